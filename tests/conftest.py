"""Shared fixtures: a real SQLite file and a real PostgreSQL database, the ASGI app over httpx, accounts.

Every database-backed test runs once per backend (`backend` is parametrised: sqlite, postgres). PostgreSQL tests
skip with a reason where no server answers on TONGXIN_TEST_PG (default 127.0.0.1:5432, database test) — except in
CI (CI=true), where an absent server fails the run.
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tortoise import Tortoise, connections

from api.app import create_app
from api.settings import MODEL_MODULES, Settings, connection_config
from domain.accounts.models import AccessToken, Account
from domain.accounts.rules import Role, new_token
from domain.audit.service import ensure_chain_head

PG_URL = os.environ.get("TONGXIN_TEST_PG", "postgres://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgres"]


def _pg_reachable() -> str | None:
    import asyncpg

    async def probe() -> None:
        conn = await asyncpg.connect(PG_URL, timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return None


_PG_PROBLEM = _pg_reachable()


def _config(url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(url)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def _create_pg_database() -> tuple[str, str]:
    import asyncpg

    name = f"tongxin_test_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(PG_URL)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    base = PG_URL.rsplit("/", 1)[0]
    return f"{base}/{name}?minsize=1&maxsize=30", name


async def _drop_pg_database(name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_URL)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


@pytest.fixture(scope="session", params=BACKENDS)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """The ORM initialised on one real database for the whole session; yields the backend name."""
    if request.param == "postgres":
        if _PG_PROBLEM:
            if os.environ.get("CI") == "true":
                pytest.fail(f"PostgreSQL is required in CI but unreachable at {PG_URL}: {_PG_PROBLEM}")
            pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {_PG_PROBLEM}")
        url, name = await _create_pg_database()
        await Tortoise.init(config=_config(url))
        await Tortoise.generate_schemas()
        try:
            yield "postgres"
        finally:
            await _shutdown()
            await _drop_pg_database(name)
    else:
        directory = tempfile.mkdtemp(prefix="tongxin-test-")
        await Tortoise.init(config=_config(f"sqlite://{directory}/test.sqlite3"))
        await Tortoise.generate_schemas()
        try:
            yield "sqlite"
        finally:
            await _shutdown()


async def _shutdown() -> None:
    """Closes the pool and forgets the models' binding, so the next backend rebuilds its SQL dialect."""
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    await Tortoise.close_connections()
    await Tortoise._reset_apps()
    EXECUTOR_CACHE.clear()  # keyed by connection name, so it would keep the previous backend's SQL


def _tables() -> list[str]:
    return [model._meta.db_table for model in Tortoise.apps["models"].values()]


async def truncate_all() -> None:
    conn = connections.get("default")
    tables = _tables()
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )
    else:
        script = "PRAGMA foreign_keys=OFF;" + "".join(f'DELETE FROM "{t}";' for t in tables)
        script += "DELETE FROM sqlite_sequence;" if await _has_sqlite_sequence(conn) else ""
        await conn.execute_script(script + "PRAGMA foreign_keys=ON;")


async def _has_sqlite_sequence(conn: Any) -> bool:
    rows = await conn.execute_query_dict("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
    return bool(rows)


@pytest.fixture
async def db(backend: str) -> AsyncIterator[str]:
    """An empty database (all tables truncated) on the session's backend."""
    await truncate_all()
    await ensure_chain_head()
    yield backend


@pytest.fixture
def app(db: str) -> Any:
    return create_app(Settings(database_url="unused", redis_url=None), manage_database=False)


@pytest.fixture
async def client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        yield http


@dataclass
class Gql:
    """Sends one GraphQL document to the app, as a given bearer token (or anonymously)."""

    http: httpx.AsyncClient

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None,
        expect_errors: bool = False, headers: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        sent = {"Authorization": f"Bearer {token}"} if token else {}
        sent.update(headers or {})
        response = await self.http.post("/graphql", json={"query": query, "variables": variables or {}},
                                        headers=sent)
        body = response.json()
        if not expect_errors:
            assert response.status_code == 200, body
            assert "errors" not in body, body["errors"]
        return body if expect_errors else body["data"]


@pytest.fixture
def gql(client: httpx.AsyncClient) -> Gql:
    return Gql(client)


_PASSWORD_HASH: str | None = None


def _password_hash() -> str:
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        from argon2 import PasswordHasher

        _PASSWORD_HASH = PasswordHasher().hash("correct horse battery")
    return _PASSWORD_HASH


async def make_token(
    role: Role | str, *, username: str | None = None, street_id: int | None = None,
    community_id: int | None = None, firm_id: int | None = None, person_id: int | None = None,
) -> str:
    """An account with one role (password 'correct horse battery') and a live bearer token for it."""
    now = datetime.now(UTC)
    account = await Account.create(
        username=username or f"{Role(role).value.lower()}-{uuid.uuid4().hex[:6]}", password_hash=_password_hash(),
        roles=Role(role).value, street_id=street_id, community_id=community_id, firm_id=firm_id,
        person_id=person_id, created_at=now,
    )
    token, digest = new_token()
    await AccessToken.create(account_id=account.id, token_hash=digest, created_at=now,
                             expires_at=now + timedelta(days=1))
    return token


@pytest.fixture
async def admin_token(db: str) -> str:
    return await make_token(Role.CENTRE_ADMIN, username="admin")


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collects every SQL statement the ORM sends while the block runs."""
    statements: list[str] = []

    class Collector(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            if not message.startswith(("Created connection", "Closed connection")):
                statements.append(message)

    logger = logging.getLogger("tortoise.db_client")
    handler, level = Collector(level=logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield statements
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
