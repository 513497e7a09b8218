"""Tortoise's asyncpg backend without the reset round trip on every pool release.

asyncpg's default `Connection.reset()` sends `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`
each time a connection goes back to the pool: one extra round trip per ORM statement (issue 11 measured ~10 per
CompoundList). Tongxin never takes advisory locks, opens cursors, LISTENs or SETs session state on pooled
connections, so the only state worth clearing is an unfinished transaction (a cancelled request).
"""

from __future__ import annotations

from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient


async def rollback_if_in_transaction(connection: asyncpg.Connection) -> None:
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


class NoResetAsyncpgClient(AsyncpgDBClient):
    async def create_pool(self, **kwargs: Any) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=rollback_if_in_transaction, **kwargs)


client_class = NoResetAsyncpgClient
