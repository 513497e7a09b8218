"""Serving with uvicorn, hardened against slow and idle connections.

uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but arms no timer while a request is
still arriving: a client that connects and sends nothing, or trickles its headers or body a byte at a time
(slow loris), holds a connection forever. `SlowRequestGuard` gives every request a deadline to arrive in full;
a client that misses it is disconnected. WebSocket frames are capped by uvicorn's `ws_max_size`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.settings import Settings

log = logging.getLogger("tongxin.guards")

# States in which the client has finished sending its request (or switched to a websocket).
_REQUEST_IN = (h11.DONE, h11.SWITCHED_PROTOCOL, h11.MUST_CLOSE, h11.CLOSED, h11.ERROR)


class ArrivalDeadline:
    """A deadline for each request to arrive in full, shared by the h11 and httptools guards below: armed when a
    connection opens or a request begins, stopped once the request is in (or the connection upgraded)."""

    # Read from the environment in each server process (several workers import the guards by name).
    arrival_seconds: float | None = None
    _arrival_deadline: asyncio.TimerHandle | None = None
    _upgraded = False
    loop: asyncio.AbstractEventLoop
    transport: Any

    def _request_in(self) -> bool:  # pragma: no cover - per protocol
        raise NotImplementedError

    def _seconds(self) -> float:
        return self.arrival_seconds or Settings.from_env().request_arrival_seconds

    def _arm(self) -> None:
        if self._arrival_deadline is None and not self._upgraded:
            self._arrival_deadline = self.loop.call_later(self._seconds(), self._too_slow)

    def _disarm(self) -> None:
        if self._arrival_deadline is not None:
            self._arrival_deadline.cancel()
            self._arrival_deadline = None

    def _too_slow(self) -> None:
        self._arrival_deadline = None
        if not self.transport.is_closing() and not self._request_in():
            log.warning("connection closed: the request did not arrive in full within %.1f s", self._seconds())
            self.transport.close()


class SlowRequestGuard(ArrivalDeadline, H11Protocol):
    """uvicorn's h11 protocol plus a deadline for each request to arrive in full."""

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._request_in():
            self._disarm()
        else:  # a request (headers or body) is on its way: the deadline armed when it began still runs
            self._arm()

    def handle_websocket_upgrade(self, event: h11.Request) -> None:
        # The transport now belongs to the websocket protocol (its h11 state never reaches DONE,
        # and data_received would re-arm the deadline): one left running closes every subscription after it.
        self._upgraded = True
        self._disarm()
        super().handle_websocket_upgrade(event)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()  # idle now: uvicorn's keep-alive timeout takes over until the next byte

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _request_in(self) -> bool:
        return self.conn.their_state in _REQUEST_IN


# What h11_max_incomplete_event_size caps for h11: a request line and headers larger than this are refused.
MAX_HEAD_BYTES = 64 * 1024


class HttptoolsSlowRequestGuard(ArrivalDeadline, HttpToolsProtocol):
    """The same deadline over uvicorn's httptools protocol (llhttp, in C: the request parsing that h11 does in
    Python costs a noticeable share of a compiled read; issue 11 measures both). llhttp has no size limit of its
    own for the request head, so the guard also refuses a head over MAX_HEAD_BYTES, as h11 does."""

    _complete = False  # the current request has arrived in full (none yet: False, so a silent connection is cut)
    _head_bytes = 0
    _head_done = False

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if not self._head_done:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._disarm()
                self.send_400_response("Request head too large.")
                return
        super().data_received(data)
        if self.transport.get_protocol() is not self:  # upgraded: the websocket's own limits apply
            self._upgraded = True
            self._disarm()
        elif self._complete:
            self._disarm()
        else:
            self._arm()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._complete = False
        self._head_done = False
        self._head_bytes = 0

    def on_headers_complete(self) -> None:
        self._head_done = True
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._complete = True

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _request_in(self) -> bool:
        return self._complete


PROTOCOLS: dict[str, type[Any]] = {"h11": SlowRequestGuard, "httptools": HttptoolsSlowRequestGuard}


def guarded_protocol(arrival_seconds: float, http: str = "h11") -> type[Any]:
    """The guard with a fixed deadline (one process: tests, benchmarks)."""
    base = PROTOCOLS[http]
    return type(base.__name__, (base,), {"arrival_seconds": arrival_seconds})


def server_options(settings: Settings) -> dict[str, Any]:
    if settings.http not in PROTOCOLS:
        raise ValueError(f"TONGXIN_HTTP must be one of {sorted(PROTOCOLS)}, got {settings.http!r}")
    return {
        "http": f"api.server:{PROTOCOLS[settings.http].__name__}",
        "loop": settings.loop,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "ws_max_size": settings.max_websocket_message_bytes,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,  # request line and headers
    }


def server_config(app: Any, settings: Settings, **options: Any) -> uvicorn.Config:
    return uvicorn.Config(app, **{**server_options(settings), **options})
