"""The ASGI app: GraphQL over HTTP and graphql-transport-ws at /graphql, GraphiQL in a browser, /healthz."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from cross_web import HTTPException
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from tortoise import Tortoise, connections

from api.auth import InvalidToken, TokenCache, viewer_from_headers
from api.settings import Settings, tortoise_config
from domain.audit.service import ensure_chain_head
from api.events import Broker, make_broker
from schema.core.context import Context
from schema.root import schema

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def _wants_graphql_response_json(accept: str) -> bool:
    """GraphQL over HTTP: answer in application/graphql-response+json when the client prefers it."""
    media = [part.split(";")[0].strip() for part in accept.split(",")]
    if GRAPHQL_RESPONSE_JSON not in media:
        return False
    return "application/json" not in media or media.index(GRAPHQL_RESPONSE_JSON) < media.index("application/json")


class TongxinGraphQL(GraphQL[Context, None]):
    def __init__(self, broker: Broker, **kwargs: Any) -> None:
        super().__init__(schema, **kwargs)
        self.broker = broker

    async def get_context(self, request: Request | WebSocket, response: Response | WebSocket) -> Context:
        now = datetime.now(UTC)
        headers = dict(request.headers)
        if isinstance(request, WebSocket):
            # Browsers cannot set headers on a websocket: the token may come in connection_init's payload.
            payload = getattr(request, "connection_params", None) or {}
            if isinstance(payload, dict) and payload.get("Authorization") and "authorization" not in headers:
                headers["authorization"] = str(payload["Authorization"])
        try:
            viewer = await viewer_from_headers(headers, now=now)
        except InvalidToken as exc:
            raise HTTPException(401, str(exc)) from exc
        language = "en" if headers.get("accept-language", "").lower().startswith("en") else "zh-CN"
        if isinstance(response, Response):
            response.graphql_response_json = _wants_graphql_response_json(headers.get("accept", ""))  # type: ignore[attr-defined]
        return Context(viewer=viewer, now=now, language=language, request=request, response=response,
                       events=self.broker)

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
    return CompiledGraphQL(graphql, Plans(schema._schema, rules=schema_rules(schema)), TokenCache(), cache)


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """The app. With manage_database=False the caller (a test) owns the ORM's connections."""
    settings = settings or Settings.from_env()
    broker = make_broker(settings.redis_url)
    graphql = TongxinGraphQL(
        broker,
        graphql_ide="graphiql" if settings.graphiql else None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        keep_alive=True,
        keep_alive_interval=15,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            # The server runs the lifespan in its own task: requests need the ORM's global fallback context.
            await Tortoise.init(config=tortoise_config(settings.database_url), _enable_global_fallback=True)
            await ensure_chain_head()
        try:
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
    app = Starlette(routes=routes, lifespan=lifespan, max_body_size=settings.max_body_bytes)
    app.state.settings = settings
    app.state.broker = broker
    return app
