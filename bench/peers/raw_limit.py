"""The limit: starlette + asyncpg (or sqlite3) + orjson answering CompoundList with one statement per request.

The statements are the compiled read path's own (api.compiled), built once at start-up for each filter mix the
benchmark sends (keyed by the request's variables); a request costs one JSON parse, one statement and the reply.
Run: RAW_DATABASE_URL=... RAW_VARIABLES='[...]' uvicorn --factory bench.peers.raw_limit:create_app
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


async def build_statements(url: str, document: str, variable_sets: list[Any]) -> dict[bytes, tuple[str, Any]]:
    from tortoise import Tortoise

    from api.compiled.dialect import Postgres, Sqlite
    from api.compiled.plans import Plans
    from api.settings import tortoise_config
    from domain.accounts.rules import Viewer
    from domain.calendar import local_date
    from schema.root import schema

    await Tortoise.init(config=tortoise_config(url))
    try:
        plans = Plans(schema._schema)
        plan = plans.plan(document, None)
        assert plan is not None, "the document does not compile"
        out = {}
        for variables in variable_sets:
            today = local_date(datetime.now(UTC))
            statements = plans.statements(plan, variables, viewer=Viewer.anonymous(), today=today,
                                          dialect=Sqlite if url.startswith("sqlite") else Postgres)
            assert statements is not None and len(statements) == 1
            key, sql, values = statements[0]
            out[orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)] = (sql, values, key)
        return out
    finally:
        await Tortoise.close_connections()


def create_app() -> Starlette:
    url = os.environ["RAW_DATABASE_URL"]
    document = os.environ["RAW_DOCUMENT"]
    variable_sets = orjson.loads(os.environ["RAW_VARIABLES"])
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette):  # type: ignore[no-untyped-def]
        state["statements"] = await build_statements(url, document, variable_sets)
        if url.startswith("sqlite"):
            from api.compiled.dialect import b64

            path = url.split("sqlite://", 1)[1]
            while path.startswith("//"):
                path = path[1:]
            connection = sqlite3.connect(path, check_same_thread=False)
            connection.create_function("tx_b64", 1, b64, deterministic=True)
            state["sqlite"] = connection
        else:
            import asyncpg

            from api.postgres_backend import rollback_if_in_transaction

            # No reset round trip on release, as in Tongxin's pool (api.postgres_backend).
            state["pool"] = await asyncpg.create_pool(url.replace("asyncpg://", "postgres://"), min_size=4,
                                                      max_size=16, reset=rollback_if_in_transaction)
        yield
        if "pool" in state:
            await state["pool"].close()

    async def graphql(request: Request) -> Response:
        payload = orjson.loads(await request.body())
        sql, values, key = state["statements"][orjson.dumps(payload.get("variables"), option=orjson.OPT_SORT_KEYS)]
        if "pool" in state:
            async with state["pool"].acquire() as connection:
                text = await connection.fetchval(sql, *values)
        else:
            # In the event loop's thread: a statement of a few ms, as a one-connection server would.
            text = state["sqlite"].execute(sql, values).fetchone()[0]
        return Response(b'{"data":{' + orjson.dumps(key) + b":" + text.encode() + b"}}",
                        media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response(b'{"status":"ok"}', media_type="application/json")

    return Starlette(routes=[Route("/graphql", graphql, methods=["POST"]), Route("/healthz", healthz)],
                     lifespan=lifespan)


if __name__ == "__main__":  # pragma: no cover
    asyncio.run(build_statements(os.environ["RAW_DATABASE_URL"], os.environ["RAW_DOCUMENT"], [None]))
