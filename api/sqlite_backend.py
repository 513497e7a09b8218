"""Tortoise's SQLite backend, with write transactions started IMMEDIATE.

A deferred transaction that reads and then writes fails at once with "database is locked" when another process
writes; IMMEDIATE takes the write lock up front and waits up to busy_timeout instead (conventions.md).
"""

from __future__ import annotations

import sqlite3

from api.compiled.dialect import b64
from tortoise.backends.sqlite.client import SqliteClient, SqliteTransactionWrapper
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            # The connection runs in autocommit (isolation_level=None): only a transaction left open needs ending
            # first, and skipping the no-op commit saves a hop to the driver's thread while the lock is held.
            if self._connection.in_transaction:
                await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise TransactionManagementError(exc) from exc


def _unicode_upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


class ImmediateSqliteClient(SqliteClient):
    async def create_connection(self, with_db: bool) -> None:
        await super().create_connection(with_db)
        if self._connection:
            # icontains is UPPER(x) LIKE UPPER(y); SQLite's UPPER knows ASCII only, PostgreSQL's all letters
            # (Ä, full-width ＡＢＣ from Chinese input methods): searches must match alike on both backends.
            await self._connection.create_function("upper", 1, _unicode_upper, deterministic=True)
            # Global IDs and cursors built inside compiled reads (api.compiled).
            await self._connection.create_function("tx_b64", 1, b64, deterministic=True)

    def _in_transaction(self):  # type: ignore[no-untyped-def]
        from tortoise.backends.sqlite.client import SqliteTransactionContext

        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
