"""POST /graphql in front of strawberry: a compilable read is answered from SQL (through the response cache);
everything else, including every request that would produce an error, is replayed to the strawberry view."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from tortoise import connections

from api.auth import InvalidToken, TokenCache, viewer_from_headers
from api.compiled.cache import ResponseCache, cache_key
from api.compiled.dialect import Postgres, Sqlite, bind_instant, uses_instant
from api.compiled.plans import Plans, visibility_of
from api.compiled.sqlite_readers import SqliteReaders, readers_for
from domain.calendar import local_date

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
_log = logging.getLogger("tortoise.db_client")
# domain.audit.service.data_version, without the ORM's per-statement cost on the hot path.
VERSION_SQL = "SELECT last_hash FROM audit_chain_head WHERE id = 1"


class CompiledGraphQL:
    def __init__(self, graphql: Any, plans: Plans, tokens: TokenCache, cache: ResponseCache | None,
                 sqlite_readers: int = 4) -> None:
        self.graphql = graphql
        self.sqlite_readers = sqlite_readers
        self.plans = plans
        self.tokens = tokens
        self.cache = cache
        self.compiled = 0
        self.fallbacks = 0

    def __getattr__(self, name: str) -> Any:
        # Everything else (the broker, subscription settings…) is the strawberry view's.
        return getattr(self.__dict__["graphql"], name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.graphql(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()
        response = await self.answer(request, body)
        if response is not None:
            self.compiled += 1
            await response(scope, receive, send)
            return
        self.fallbacks += 1
        await self.graphql(scope, _replay(body, receive), send)

    async def answer(self, request: Request, body: bytes) -> Response | None:
        if not request.headers.get("content-type", "").startswith("application/json"):
            return None
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return None
        variables = payload.get("variables")
        operation_name = payload.get("operationName")
        if (variables is not None and not isinstance(variables, dict)) or (
                operation_name is not None and not isinstance(operation_name, str)):
            return None
        plan = self.plans.plan(payload["query"], operation_name)
        if plan is None:
            return None
        cost = self.plans.cost(plan, operation_name, variables)
        if cost > self.plans.demand.max_cost:
            return None  # the resolver path refuses it with COST_LIMIT, before any SQL
        client = connections.get("default")
        is_sqlite = "sqlite" in type(client).__module__
        readers = readers_for(client.filename, self.sqlite_readers) if is_sqlite and self.sqlite_readers else None
        version = await _fetch_one(client, VERSION_SQL, [] if not is_sqlite else {}, is_sqlite, readers)
        now = datetime.now(UTC)
        try:
            viewer = await viewer_from_headers(request.headers, now=now, cache=self.tokens, version=str(version))
        except InvalidToken:
            return None
        today = local_date(now)
        statements = self.plans.statements(plan, variables, viewer=viewer, today=today,
                                           dialect=Sqlite if is_sqlite else Postgres)
        if statements is None:
            return None
        # An answer over the request's instant (a complaint's isOverdue) holds for that instant only, and a
        # plan over the viewer's notifications may change without an audited write: the cache stores neither.
        uncacheable = not plan.cacheable or any(uses_instant(values) for _, _, values in statements)
        cache = None if uncacheable else self.cache
        key = cache_key(payload["query"], operation_name, variables, visibility_of(viewer, plan.personal),
                        today.isoformat(), str(version), cache.namespace if cache is not None else "")
        content: bytes | None = await cache.get(key) if cache is not None else None
        if content is None:
            parts = []
            try:
                for response_key, sql, values in statements:
                    text = await _fetch_one(client, sql, bind_instant(values, now), is_sqlite, readers)
                    if text is None:
                        return None  # SQL NULL: the resolvers would raise here (api.compiled.me); they answer
                    parts.append(orjson.dumps(response_key) + b":" + text.encode())
            except Exception:  # noqa: BLE001 - the resolvers answer (and mask) what the compiled statement could not
                _log.exception("compiled read failed; answering through the resolvers")
                return None
            content = b'{"data":{' + b",".join(parts) + b"}"
            if cost:  # reported as schema.core.demand.DemandControl reports it
                content += b',"extensions":' + orjson.dumps({"cost": {"nodes": cost,
                                                                      "maximum": self.plans.demand.max_cost}})
            content += b"}"
            if cache is not None:
                await cache.put(key, content)
        media = GRAPHQL_RESPONSE_JSON if _prefers_graphql_response(request.headers.get("accept", "")) \
            else "application/json"
        return Response(content, media_type=media)


async def _fetch_one(client: Any, sql: str, values: Any, is_sqlite: bool, readers: SqliteReaders | None) -> Any:
    if _log.isEnabledFor(logging.DEBUG):
        _log.debug("%s: %s", sql, values)  # where the ORM logs its statements (the query-count tests read it)
    if readers is not None:
        return await readers.fetch_one(sql, values)
    async with client.acquire_connection() as connection:
        if is_sqlite:
            async with connection.execute(sql, values) as cursor:
                row = await cursor.fetchone()
            return row[0] if row else None
        return await connection.fetchval(sql, *values)


def _prefers_graphql_response(accept: str) -> bool:
    media = [part.split(";")[0].strip() for part in accept.split(",")]
    if GRAPHQL_RESPONSE_JSON not in media:
        return False
    return "application/json" not in media or media.index(GRAPHQL_RESPONSE_JSON) < media.index("application/json")


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, then the client's own messages (a disconnect)."""
    sent = False

    async def replay() -> Any:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
