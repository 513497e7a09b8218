"""Hand-written SQL for the few hot paths where building the query costs more than running it.

A ballot in a burst of a thousand, and the audit append every mutation makes, spent more CPU in the ORM's query
building (pypika copies, filter resolution, model instances) than in the database. Those statements are written
here once as plain SQL with `?` placeholders; `$1, $2, …` are numbered for PostgreSQL. They run on the connection
of the current transaction when there is one (tortoise keeps it in a context variable), so they join the use
case's transaction exactly as ORM calls do, and they pass through the client's logging (statement counts).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

_PLACEHOLDER = re.compile(r"\?")


def client() -> BaseDBAsyncClient:
    return connections.get("default")


def is_postgres(db: BaseDBAsyncClient) -> bool:
    return db.capabilities.dialect == "postgres"


@lru_cache(maxsize=64)
def _numbered(sql: str) -> str:
    counter = iter(range(1, 1000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def in_dialect(db: BaseDBAsyncClient, sql: str) -> str:
    """Our statements hold no literal `?`: every one is a placeholder."""
    return _numbered(sql) if is_postgres(db) else sql


async def rows(sql: str, values: list[Any], db: BaseDBAsyncClient | None = None) -> list[dict[str, Any]]:
    """The rows a SELECT (or a statement with RETURNING) gives, as dicts."""
    db = db or client()
    return await db.execute_query_dict(in_dialect(db, sql), values)


def instant(value: datetime | str | None) -> datetime | None:
    """A timestamp as read without the ORM: asyncpg gives datetimes, SQLite the text tortoise stored."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)
