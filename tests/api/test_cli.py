"""The operating contract: `python -m api migrate | create-user | serve`, run as an operator would, as processes."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.structure_support import SESSION, operation
from tests.conftest import _PG_PROBLEM, PG_URL

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "s3cret-pass"


def run_cli(url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=180, env={**os.environ, "TONGXIN_DATABASE_URL": url})


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database that only the processes under test touch."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/x.sqlite3"
        return
    if _PG_PROBLEM:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {_PG_PROBLEM}")
    name = f"tongxin_cli_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _pg(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_URL)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def migrate_and_create_alice(url: str) -> None:
    migrated = run_cli(url, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    created = run_cli(url, "create-user", "alice", "--role", "CENTRE_ADMIN", "--password-stdin", stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert "created alice" in created.stdout


def test_an_operator_migrates_creates_a_user_serves_and_signs_in(database_url):
    migrate_and_create_alice(database_url)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "TONGXIN_DATABASE_URL": database_url}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert server.poll() is None, server.communicate()[1]
                assert time.monotonic() < deadline, "the server did not start within 30 s"
                time.sleep(0.2)

        login = httpx.post(f"{base}/graphql", json={"query": operation(SESSION, "Login"),
                                                    "variables": {"input": {"username": "alice",
                                                                            "password": PASSWORD}}}, timeout=10)
        token = login.json()["data"]["login"]["token"]
        viewer = httpx.post(f"{base}/graphql", json={"query": operation(SESSION, "Viewer")},
                            headers={"Authorization": f"Bearer {token}"}, timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=15)

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert login.json()["data"]["login"]["errors"] == []
    assert viewer.json()["data"]["viewer"]["username"] == "alice"
    assert viewer.json()["data"]["viewer"]["roles"] == ["CENTRE_ADMIN"]


def test_migrate_is_idempotent(database_url):
    first, second = run_cli(database_url, "migrate"), run_cli(database_url, "migrate")

    assert (first.returncode, second.returncode) == (0, 0), second.stderr


@pytest.fixture(scope="module")
def alice_on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated SQLite file with the account alice; the refusals below write nothing to it."""
    url = f"sqlite:///{tmp_path_factory.mktemp('cli')}/x.sqlite3"
    migrate_and_create_alice(url)
    return url


@pytest.mark.parametrize(
    ("_case", "args", "stdin", "status", "said"),
    [
        ("short password", ["bob", "--role", "CENTRE_STAFF", "--password-stdin"], "short\n", 1, "INVALID"),
        ("taken username", ["alice", "--role", "CENTRE_STAFF", "--password-stdin"], PASSWORD + "\n", 1,
         "DUPLICATE"),
        ("no password", ["bob", "--role", "CENTRE_STAFF", "--password-stdin"], "", 2, "password is required"),
        ("unknown role", ["bob", "--role", "KING", "--password-stdin"], PASSWORD + "\n", 2, "unknown role"),
        ("street staff without a street", ["bob", "--role", "STREET_STAFF", "--password-stdin"], PASSWORD + "\n", 1,
         "streetId"),
        ("street that does not exist", ["bob", "--role", "STREET_STAFF", "--street-id", "999", "--password-stdin"],
         PASSWORD + "\n", 1, "NOT_FOUND"),
    ],
)
def test_create_user_refuses_bad_accounts_with_a_nonzero_exit(alice_on_sqlite, _case, args, stdin, status, said):
    result = run_cli(alice_on_sqlite, "create-user", *args, stdin=stdin)

    assert result.returncode == status
    assert said in result.stderr
