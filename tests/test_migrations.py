"""The migrations agree with the models, and apply to empty SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from api.settings import tortoise_config
from tests.conftest import _PG_PROBLEM, PG_URL

REPO = Path(__file__).resolve().parents[1]
DETECT_CHANGES = """
import asyncio, json
from tortoise.cli.cli import tortoise_cli_context
from tortoise.migrations.autodetector import MigrationAutodetector
from api.settings import tortoise_config

async def main():
    config = tortoise_config("sqlite://:memory:")
    apps = {label: dict(app) for label, app in config["apps"].items()}
    async with tortoise_cli_context(config) as ctx:
        writers = await MigrationAutodetector(ctx.apps, apps).changes()
    print(json.dumps([w.name for w in writers]))

asyncio.run(main())
"""


def _run(args: list[str], url: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TONGXIN_DATABASE_URL": url}
    return subprocess.run(args, cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=300)


def test_models_and_migrations_agree():
    # Run in a fresh interpreter: the test session's ORM state must not leak into the autodetector.
    result = _run([sys.executable, "-c", DETECT_CHANGES], "sqlite://:memory:")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]", (
        f"models changed without a migration: run `tortoise makemigrations --name <what_changed>`\n{result.stdout}"
    )


def test_migrations_apply_to_an_empty_sqlite_file(tmp_path):
    result = _run([sys.executable, "-m", "api", "migrate"], f"sqlite://{tmp_path}/fresh.sqlite3")
    assert result.returncode == 0, result.stderr
    again = _run([sys.executable, "-m", "api", "migrate"], f"sqlite://{tmp_path}/fresh.sqlite3")
    assert again.returncode == 0, again.stderr


@pytest.mark.skipif(bool(_PG_PROBLEM) and os.environ.get("CI") != "true",
                    reason=f"PostgreSQL not reachable at {PG_URL}: {_PG_PROBLEM}")
def test_migrations_apply_to_an_empty_postgresql_database():
    import asyncio

    import asyncpg

    name = f"tongxin_migrate_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_URL)
        await conn.execute(sql)
        await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
        result = _run([sys.executable, "-m", "api", "migrate"], url)
        assert result.returncode == 0, result.stderr
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_the_tortoise_config_names_the_migrations_package():
    assert tortoise_config("sqlite://x.sqlite3")["apps"]["models"]["migrations"] == "migrations"
