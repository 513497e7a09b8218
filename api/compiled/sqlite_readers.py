"""Compiled reads on SQLite outside the event loop's thread, a few connections wide.

Tortoise holds one aiosqlite connection per process: every statement queues behind the others and costs three
thread hops (execute, fetch, close the cursor). A compiled read is a single SELECT that returns one JSON text, so
it runs here instead, on one of a few plain sqlite3 connections each owned by one thread of a pool: one hop per
statement, and because pysqlite releases the GIL inside sqlite3_step, the engine's work (most of a compiled
read) proceeds on another core while the event loop serves the next request. With one worker process SQLite then
uses both cores, as a server talking to PostgreSQL does.

The file is in WAL mode (api.settings): readers see the last committed write and never block the writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from api.compiled.dialect import b64

_POOLS: dict[str, SqliteReaders] = {}
_POOLS_LOCK = threading.Lock()


def _unicode_upper(value: object) -> object:
    # api.sqlite_backend registers the same: icontains filters match alike on both paths.
    return value.upper() if isinstance(value, str) else value


class SqliteReaders:
    def __init__(self, path: str, size: int, busy_timeout_ms: int = 10_000) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="tongxin-sqlite-read")

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, check_same_thread=False,
                                         isolation_level=None)
            connection.execute("PRAGMA query_only = 1")  # a reader: a write here would be a bug, refused
            connection.create_function("upper", 1, _unicode_upper, deterministic=True)
            connection.create_function("tx_b64", 1, b64, deterministic=True)
            self._local.connection = connection
        return connection

    def _fetch_one(self, sql: str, values: Any) -> Any:
        row = self._connection().execute(sql, values).fetchone()
        return row[0] if row else None

    async def fetch_one(self, sql: str, values: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._fetch_one, sql, values)


def readers_for(path: str, size: int) -> SqliteReaders | None:
    """One pool per database file and process, shared by every app object built on it (tests build many);
    None for an in-memory database, which other connections cannot see."""
    if not path or path == ":memory:" or path.startswith("file::memory:") or "mode=memory" in path:
        return None
    with _POOLS_LOCK:
        pool = _POOLS.get(path)
        if pool is None:
            pool = _POOLS[path] = SqliteReaders(path, size)
        return pool
