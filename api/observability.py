"""What an operator sees: one JSON log line per request, Prometheus metrics, refusals without tracebacks.

Each HTTP request gets a request id (the client's `X-Request-ID` when it is short and plain, else a new one),
returned in the `X-Request-ID` header, written on every log line of the request and, for an unexpected fault, in
the masked error's `extensions.requestId`, so support can go from a user's screen to the traceback.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import traceback
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError
from opentelemetry import trace
from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("tongxin.request")
errors_log = logging.getLogger("tongxin.errors")


@dataclass
class RequestInfo:
    """What the request log line says; filled as the request goes (the view adds operation and viewer)."""

    request_id: str
    method: str = ""
    path: str = ""
    operation: str | None = None
    viewer_id: int | None = None
    roles: str | None = None
    statements: int = 0
    outcome: str = "ok"
    codes: list[str] = field(default_factory=list)


CURRENT: ContextVar[RequestInfo | None] = ContextVar("tongxin_request", default=None)

REQUESTS = Counter("tongxin_requests", "HTTP requests by GraphQL operation and outcome", ["operation", "outcome"])
LATENCY = Histogram("tongxin_request_duration_seconds", "Request latency by GraphQL operation", ["operation"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
ERRORS = Counter("tongxin_errors", "GraphQL errors and payload user errors by code", ["code"])
WEBSOCKETS = Gauge("tongxin_websocket_connections", "Open GraphQL websocket connections (subscriptions)")
# A hook for the transactional outbox: the code that drains it sets the depth (set_outbox_depth).
OUTBOX_DEPTH = Gauge("tongxin_outbox_depth", "Events waiting in the outbox to be delivered")


def set_outbox_depth(depth: int) -> None:
    OUTBOX_DEPTH.set(depth)


class _PoolCollector:
    """The database pool, read at scrape time (asyncpg's pool; SQLite has one connection)."""

    def collect(self) -> Any:
        size = GaugeMetricFamily("tongxin_db_pool_size", "Connections open in the database pool")
        idle = GaugeMetricFamily("tongxin_db_pool_idle", "Idle connections in the database pool")
        try:
            from tortoise import connections

            pool = getattr(connections.get("default"), "_pool", None)
        except Exception:  # noqa: BLE001 - no ORM yet (or a test without one): no figures
            pool = None
        if pool is not None and hasattr(pool, "get_size"):
            size.add_metric([], pool.get_size())
            idle.add_metric([], pool.get_idle_size())
        yield size
        yield idle


_POOL_COLLECTOR = _PoolCollector()
REGISTRY.register(_POOL_COLLECTOR)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(offered: str | None) -> str:
    return offered if offered and _SAFE_ID.match(offered) else uuid.uuid4().hex


def current_request_id() -> str | None:
    info = CURRENT.get()
    return info.request_id if info else None


class RequestLogMiddleware:
    """Outermost layer: request id, timing, one `request` line and the metrics for each HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        info = RequestInfo(request_id=new_request_id(headers.get("x-request-id")), method=scope.get("method", "WS"),
                           path=scope.get("path", ""))
        token = CURRENT.set(info)
        span = trace.get_current_span()  # the ASGI server span when tracing is on (api/tracing.py)
        if span.is_recording():
            span.set_attribute("tongxin.request_id", info.request_id)
        if scope["type"] == "websocket":
            WEBSOCKETS.inc()
            try:
                await self.app(scope, receive, send)
            finally:
                WEBSOCKETS.dec()
                CURRENT.reset(token)
            return
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", info.request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            info.outcome = "fault"
            raise
        finally:
            duration = time.perf_counter() - started
            if status >= 500:
                info.outcome = "fault"
            elif status >= 400 and info.outcome == "ok":
                info.outcome = "rejected"
            operation = info.operation or ("-" if info.path != "/graphql" else "anonymous")
            if info.path != "/metrics":
                REQUESTS.labels(operation, info.outcome).inc()
                LATENCY.labels(operation).observe(duration)
            log.info("request", extra={"fields": {
                "method": info.method, "path": info.path, "status": status, "operation": info.operation,
                "viewer_id": info.viewer_id, "roles": info.roles, "duration_ms": round(duration * 1000, 2),
                "sql_statements": info.statements, "outcome": info.outcome, "codes": info.codes or None,
            }})
            CURRENT.reset(token)


class _StatementCounter(logging.Handler):
    """Counts the ORM's SQL statements for the current request (tortoise logs each one at DEBUG)."""

    def emit(self, record: logging.LogRecord) -> None:
        info = CURRENT.get()
        if info is not None and not str(record.msg).startswith(("Created connection", "Closed connection")):
            info.statements += 1


def _is_expected(error: GraphQLError) -> bool:
    """A refusal the schema meant to give (FORBIDDEN, INVALID, validation), not a fault."""
    original = error.original_error
    return original is None or isinstance(original, GraphQLError)


class _RefusalFilter(logging.Filter):
    """strawberry logs every GraphQL error with its traceback: expected refusals become one plain line."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.msg
        if not isinstance(error, GraphQLError):
            return True
        info = CURRENT.get()
        code = (error.extensions or {}).get("code")
        if _is_expected(error):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text = None, None
            record.msg = "refused"
            record.args = ()
            record.fields = {"code": code or "GRAPHQL_VALIDATION", "error": error.message,  # type: ignore[attr-defined]
                             "path": list(error.path) if error.path else None}
        else:
            record.msg = "fault"
            record.args = ()
            record.fields = {"error": f"{type(error.original_error).__name__}: {error.message}",  # type: ignore[attr-defined]
                             "path": list(error.path) if error.path else None}
            if info is not None:
                info.outcome = "fault"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's id and the record's fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage(),
        }
        request_id = current_request_id()
        if request_id:
            entry["request_id"] = request_id
        entry.update({k: v for k, v in (getattr(record, "fields", None) or {}).items() if v is not None})
        if record.exc_info and record.exc_info[1] is not None:
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


JsonFormatter.converter = time.gmtime  # type: ignore[assignment]

_INSTALLED = False


def install() -> None:
    """The statement counter and the refusal filter, once per process (create_app may run many times)."""
    global _INSTALLED
    if _INSTALLED:
        return
    _INSTALLED = True
    orm = logging.getLogger("tortoise.db_client")
    orm.addHandler(_StatementCounter(level=logging.DEBUG))
    if orm.level == logging.NOTSET or orm.level > logging.DEBUG:
        orm.setLevel(logging.DEBUG)
        # Only our counter wants these records; other handlers keep their own thresholds.
        orm.propagate = False
    logging.getLogger("strawberry.execution").addFilter(_RefusalFilter())


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Root logging for `serve`: JSON lines on stderr (TONGXIN_LOG_FORMAT=text for a developer's terminal)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s %(fields)s", defaults={"fields": ""}))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("uvicorn.access").disabled = True  # our request line replaces it


def note_operation(name: str | None) -> None:
    info = CURRENT.get()
    if info is not None and name:
        info.operation = name[:100]


def note_viewer(viewer_id: int | None, roles: str | None) -> None:
    info = CURRENT.get()
    if info is not None:
        info.viewer_id, info.roles = viewer_id, roles


def note_result(data: Any, errors: list[dict[str, Any]] | None) -> None:
    """Counts errors by code, GraphQL errors and the `errors` of mutation payloads alike."""
    info = CURRENT.get()
    codes: list[str] = []
    for error in errors or []:
        codes.append(str((error.get("extensions") or {}).get("code") or
                         ("INTERNAL" if error.get("message") == "Unexpected error." else "GRAPHQL_VALIDATION")))
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, dict) and isinstance(value.get("errors"), list):
                codes.extend(str(e.get("code")) for e in value["errors"] if isinstance(e, dict) and e.get("code"))
    for code in codes:
        ERRORS.labels(code).inc()
    if info is not None:
        info.codes.extend(codes)
        if info.outcome == "ok" and codes:
            info.outcome = "fault" if "INTERNAL" in codes else "refused"
