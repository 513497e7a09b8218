"""ASGI guards that hold whatever server runs the app: a time limit per HTTP request and a size limit per
websocket message (the HTTP body limit is Starlette's max_body_size)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

Scope = dict[str, Any]
log = logging.getLogger("tongxin.guards")


class RequestTimeLimit:
    """An HTTP request that runs longer than `seconds` is cancelled and answered 503 (if nothing was sent yet);
    its transaction rolls back with the cancellation."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app, self.seconds = app, seconds

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, tracked_send)
        except TimeoutError:
            log.warning("request cancelled after %.1f s: %s", self.seconds, scope.get("path"))
            if started:
                return
            body = json.dumps({"errors": [{"message": f"Request exceeded its time limit ({self.seconds:g} s)",
                                           "extensions": {"code": "TIMEOUT"}}]}).encode()
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"), (b"retry-after", b"5")]})
            await send({"type": "http.response.body", "body": body})


class WebSocketMessageLimit:
    """A websocket message over `max_bytes` closes the connection with 1009 (message too big)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return

        async def guarded_receive() -> dict[str, Any]:
            message = await receive()
            if message["type"] == "websocket.receive":
                size = len(message.get("bytes") or b"") + len((message.get("text") or "").encode("utf-8",
                                                                                                  "surrogatepass"))
                if size > self.max_bytes:
                    await send({"type": "websocket.close", "code": 1009, "reason": "message too big"})
                    return {"type": "websocket.disconnect", "code": 1009}
            return message

        await self.app(scope, guarded_receive, send)
