"""The ASGI app: GraphQL over HTTP and graphql-transport-ws at /graphql, GraphiQL in a browser, /healthz."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
import re
from pathlib import Path
from typing import Any

from dataclasses import dataclass

import orjson
from cross_web import HTTPException
from graphql import ExecutionResult
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from tortoise import Tortoise, connections

from api import observability
from api.attachments import BodyLimitByType, download, make_storage, signed_upload, upload_limits, url_secret
from api.auth import InvalidToken, TokenCache, viewer_from_headers
from api.guards import RequestTimeLimit, WebSocketMessageLimit
from api.http_errors import EXCEPTION_HANDLERS, error_response
from api.messaging import background_dispatcher
from domain.owners.throttle import LimitsThrottle, use_throttle
from api.settings import Settings, tortoise_config
from api.throttling import login_throttle, throttle_storage
from domain.attachments.service import FileSettings
from domain.audit import keys as audit_keys
from domain.workdays import use_holiday_dir
from domain.audit.service import ensure_chain_head
from api.events import Broker, make_broker
from schema.core.context import Context
from schema.core.demand import DemandLimits
from schema.core.exposure import ExposurePolicy, Introspection
from schema.root import schema

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
STATIC = Path(__file__).resolve().parent / "static"
CONSOLE_HTML = STATIC / "console.html"


def _wants_graphql_response_json(accept: str) -> bool:
    """GraphQL over HTTP: answer in application/graphql-response+json when the client prefers it."""
    media = [part.split(";")[0].strip() for part in accept.split(",")]
    if GRAPHQL_RESPONSE_JSON not in media:
        return False
    return "application/json" not in media or media.index(GRAPHQL_RESPONSE_JSON) < media.index("application/json")


@dataclass
class SocketContext(Context):
    """A websocket's context: strawberry stores connection_init's payload here before on_ws_connect."""

    connection_params: dict[str, Any] | None = None


def _authorization_in(payload: dict[str, Any]) -> str | None:
    """GraphiQL and graphql-ws clients put headers in connection_init's payload, under any capitalisation,
    sometimes nested in "headers"."""
    for source in (payload, payload.get("headers") if isinstance(payload.get("headers"), dict) else {}):
        for key, value in source.items():
            if key.lower() == "authorization" and isinstance(value, str):
                return value
    return None


class TongxinGraphQL(GraphQL[Context, None]):
    def __init__(self, broker: Broker, settings: Settings, files: FileSettings | None = None, **kwargs: Any) -> None:
        super().__init__(schema, **kwargs)
        self.broker = broker
        self.files = files
        self.demand = DemandLimits(max_selections=settings.max_selections, max_cost=settings.max_cost)
        self.exposure = ExposurePolicy(introspection=Introspection(settings.introspection),
                                       suggestions=settings.suggestions)
        self.login_throttle = login_throttle(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:  # strawberry's own refusals (400, 401, 405 …): JSON, not text/plain
            response = error_response(exc.status_code, exc.reason)
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        """Our console (api/static/console.html): assets served by the service itself, a sign-in bar."""
        return HTMLResponse(CONSOLE_HTML.read_text(encoding="utf-8"))

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        now = datetime.now(UTC)
        headers = dict(request.headers)
        try:
            viewer = await viewer_from_headers(headers, now=now)
        except InvalidToken as exc:
            raise HTTPException(401, str(exc)) from exc
        observability.note_viewer(viewer.account_id, ",".join(sorted(r.value for r in viewer.roles)) or None)
        language = "en" if headers.get("accept-language", "").lower().startswith("en") else "zh-CN"
        if isinstance(request, WebSocket):
            return SocketContext(viewer=viewer, now=now, language=language, request=request, response=response,
                                 events=self.broker, files=self.files, demand=self.demand, exposure=self.exposure)
        if isinstance(response, Response):
            response.graphql_response_json = _wants_graphql_response_json(headers.get("accept", ""))  # type: ignore[attr-defined]
        return Context(viewer=viewer, now=now, language=language, request=request, response=response,
                       events=self.broker, files=self.files, demand=self.demand, exposure=self.exposure,
                       login_throttle=self.login_throttle,
                       client_address=request.client.host if request.client else None)

    async def on_ws_connect(self, context: Context) -> Any:
        """Browsers cannot set headers on a websocket: the token comes in connection_init's payload."""
        from strawberry.types.unset import UNSET

        payload = getattr(context, "connection_params", None) or {}
        authorization = _authorization_in(payload) if isinstance(payload, dict) else None
        if authorization:
            try:
                context.viewer = await viewer_from_headers({"authorization": authorization}, now=datetime.now(UTC))
            except InvalidToken as exc:
                raise ConnectionRejectionError({"message": str(exc)}) from exc
            observability.note_viewer(context.viewer.account_id,
                                      ",".join(sorted(r.value for r in context.viewer.roles)) or None)
        return UNSET

    async def parse_http_body(self, request_adapter: Any) -> Any:
        request_data = await super().parse_http_body(request_adapter)
        observability.note_operation(getattr(request_data, "operation_name", None)
                                     or _first_operation_name(getattr(request_data, "query", None)))
        return request_data

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        processed = await super().process_result(request, result)
        request_id = observability.current_request_id()
        for error in processed.get("errors") or []:
            # A masked fault: the id lets support find its traceback in the log (tongxin.errors "fault").
            if error.get("message") == "Unexpected error." and request_id:
                error.setdefault("extensions", {})["requestId"] = request_id
        observability.note_result(processed.get("data"), processed.get("errors"))
        return processed

    def decode_json(self, data: str | bytes) -> object:
        decoded = super().decode_json(data)
        # A JSON string or number as the whole body otherwise fails deep inside the view with a 500.
        if not isinstance(decoded, (dict, list)):
            raise HTTPException(400, "The request body must be a JSON object")
        return decoded

    def encode_json(self, data: object) -> str:
        # orjson: several times faster than json.dumps on list pages (issue 11); str for the websocket paths.
        return orjson.dumps(data).decode()

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        wants_it = getattr(sub_response, "graphql_response_json", False)
        # strawberry answers "data": null for request errors too; those (parse, validation) carry no error path.
        request_error = (
            wants_it and isinstance(response_data, dict) and response_data.get("data") is None
            and bool(response_data.get("errors")) and all("path" not in e for e in response_data["errors"])
        )
        if request_error:
            response_data = {key: value for key, value in response_data.items() if key != "data"}
        response = super().create_response(response_data, sub_response)
        if wants_it:
            response.headers["content-type"] = GRAPHQL_RESPONSE_JSON
            # A request error (no "data" at all) is a 4xx under application/graphql-response+json.
            if request_error and not sub_response.status_code:
                response.status_code = 400
        return response


_OPERATION_NAME = re.compile(r"\b(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)")


def _first_operation_name(query: str | None) -> str | None:
    found = _OPERATION_NAME.search(query or "")
    return found.group(2) if found else None


async def metrics(request: Request) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


async def healthz(request: Request) -> JSONResponse:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok"})


def compiled_endpoint(graphql: Any, settings: Settings) -> Any:
    from api.compiled.cache import ResponseCache
    from api.compiled.plans import Plans, schema_rules
    from api.compiled.view import CompiledGraphQL

    cache = None
    if settings.response_cache:
        redis = None
        if settings.redis_url:
            from redis.asyncio import Redis

            redis = Redis.from_url(settings.redis_url)
        cache = ResponseCache(redis=redis, namespace=settings.database_url)
    plans = Plans(schema._schema, rules=schema_rules(schema), demand=graphql.demand)
    return CompiledGraphQL(graphql, plans, TokenCache(), cache, sqlite_readers=settings.sqlite_readers)


def settle_heap() -> None:
    """Moves what startup left alive (modules, the schema, the ORM's metadata: some 170,000 objects) out of the
    cyclic collector's reach. Otherwise every full collection walks them all again: at scale 1 one in ~30 requests
    triggered one, ~120 ms, some 4 ms per request on average (bench/resolver_path.py). Objects made later are
    collected as before; only cyclic garbage alive at this moment is never reclaimed (gc.collect() first)."""
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, *, manage_database: bool = True,
               tracer_provider: Any = None) -> Starlette:
    """The app. With manage_database=False the caller (a test) owns the ORM's connections; a tracer_provider
    (or TONGXIN_OTLP_ENDPOINT) turns tracing on."""
    settings = settings or Settings.from_env()
    use_holiday_dir(settings.holidays_dir)
    audit_keys.configure(settings.audit_key)
    broker = make_broker(settings.redis_url)
    if settings.redis_url:
        # Sign-up code limits shared by every worker (per phone, person, client address).
        use_throttle(LimitsThrottle(throttle_storage(settings.redis_url)))
    storage = make_storage(settings)
    files = FileSettings(storage=storage, limits=upload_limits(settings), secret=url_secret(settings),
                         ttl_seconds=settings.file_url_ttl_seconds)
    graphql = TongxinGraphQL(
        broker,
        settings,
        files,
        # Uploads come as GraphQL multipart requests; bearer tokens (no cookies) leave no CSRF to exploit.
        multipart_uploads_enabled=True,
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        keep_alive=True,
        keep_alive_interval=15,
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            # The server runs the lifespan in its own task: requests need the ORM's global fallback context.
            await Tortoise.init(config=tortoise_config(settings.database_url), _enable_global_fallback=True)
            await ensure_chain_head()
            settle_heap()  # the server owns the process (tests, which share theirs, do not pass here)
        try:
            # The outbox dispatcher needs the ORM; it only runs where the server owns the database.
            if manage_database:
                async with background_dispatcher(settings):
                    yield
            else:
                yield
        finally:
            await broker.close()
            if manage_database:
                await Tortoise.close_connections()

    endpoint: Any = graphql
    if settings.compiled_reads:
        endpoint = compiled_endpoint(graphql, settings)
    routes: list[Any] = [
        Route("/graphql", endpoint, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
    ]
    from api.routes import extra_routes

    routes.extend(extra_routes())
    routes += [
        Route("/files/{attachment_id}/{variant}", download, methods=["GET"]),
        Route("/uploads", signed_upload, methods=["PUT"]),
    ]
    routes.append(Route("/metrics", metrics))
    if settings.graphiql:
        # GraphiQL, React and the explorer, vendored (api/static/graphiql/README.md): no CDN, works offline.
        routes.append(Mount("/console-assets", StaticFiles(directory=STATIC / "graphiql"), name="console-assets"))
    observability.install()
    middleware = [Middleware(observability.RequestLogMiddleware),
                  Middleware(BodyLimitByType, json_limit=settings.max_body_bytes,
                             upload_limit=settings.upload_max_bytes),
                  Middleware(RequestTimeLimit, seconds=settings.request_timeout_seconds),
                  Middleware(WebSocketMessageLimit, max_bytes=settings.max_websocket_message_bytes)]
    if settings.cors_origins:
        anywhere = "*" in settings.cors_origins
        middleware.append(Middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins),
            # Credentials (cookies) are never allowed together with "*"; bearer tokens need no credentials mode.
            allow_credentials=not anywhere, allow_methods=["GET", "POST", "PUT", "OPTIONS"],
            allow_headers=["authorization", "content-type", "accept", "accept-language", "x-request-id"],
            expose_headers=["x-request-id"], max_age=600))
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware, exception_handlers=EXCEPTION_HANDLERS)
    app.state.settings = settings
    app.state.broker = broker
    app.state.storage = storage
    from api.tracing import detach, provider_for

    provider = tracer_provider or provider_for(settings)
    if provider is None:
        detach(schema)
        return app
    from api.tracing import instrument

    traced = instrument(app, schema, provider)
    traced.state = app.state  # type: ignore[attr-defined]
    return traced  # type: ignore[return-value]


def create_served_app() -> Starlette:
    """`serve`'s factory (also in each worker process): JSON logging configured, then the app."""
    settings = Settings.from_env()
    observability.configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
