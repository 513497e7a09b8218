"""Tortoise's SQLite backend, with write transactions started IMMEDIATE.

A deferred transaction that reads and then writes fails at once with "database is locked" when another process
writes; IMMEDIATE takes the write lock up front and waits up to busy_timeout instead (conventions.md).
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self):  # type: ignore[no-untyped-def]
        from tortoise.backends.sqlite.client import SqliteTransactionContext

        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
