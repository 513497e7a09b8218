"""Settings from the environment, read when the app or a command starts (not at import)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

DEFAULT_DATABASE_URL = "sqlite://var/tongxin.sqlite3"  # relative to the working directory

# Every area's models, in dependency order; tortoise reads them as one app called "models".
MODEL_MODULES = [
    "domain.geography.models",
    "domain.bodies.models",
    "domain.firms.models",
    "domain.accounts.models",
    "domain.audit.models",
    "domain.committees.models",
    "domain.deliberation.models",
    "domain.complaints.models",
    "domain.evaluation.models",
]


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    # Query depth, alias and token limits are part of the schema (schema/root.py); the body limit is HTTP's.
    max_body_bytes: int = 1_000_000
    graphiql: bool = True
    # perf (issue 11): compilable reads answered from one SQL statement, and their response cache.
    compiled_reads: bool = True
    # On for servers (from_env); off where tests build Settings directly and write rows without audit events.
    response_cache: bool = False

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("TONGXIN_DATABASE_URL", DEFAULT_DATABASE_URL),
            redis_url=env.get("TONGXIN_REDIS_URL") or None,
            graphiql=env.get("TONGXIN_GRAPHIQL", "1") != "0",
            compiled_reads=env.get("TONGXIN_COMPILED_READS", "1") != "0",
            response_cache=env.get("TONGXIN_RESPONSE_CACHE", "1") != "0",
        )


def connection_config(url: str) -> dict[str, Any]:
    """A tortoise connection for a sqlite:/// file or a postgres:// URL."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:///abs/path and sqlite:////abs/path are absolute; sqlite://relative/path is relative.
        path = url.split("sqlite://", 1)[1].split("?", 1)[0]
        while path.startswith("//"):
            path = path[1:]
        if path != ":memory:":
            directory = os.path.dirname(path)
            if directory:
                os.makedirs(directory, exist_ok=True)
        return {
            # Our backend starts write transactions IMMEDIATE and waits on a busy database (stack notes).
            "engine": "api.sqlite_backend",
            "credentials": {"file_path": path, "journal_mode": "WAL", "busy_timeout": 10000,
                            "synchronous": "NORMAL", "foreign_keys": "ON"},
        }
    if parts.scheme in ("postgres", "postgresql", "asyncpg"):
        query = dict(parse_qsl(parts.query))
        return {
            "engine": "api.postgres_backend",
            "credentials": {
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "user": parts.username or "postgres",
                "password": parts.password or "",
                "database": parts.path.lstrip("/") or "postgres",
                "minsize": int(query.get("minsize", 2)),
                "maxsize": int(query.get("maxsize", 20)),
            },
        }
    raise ValueError(f"TONGXIN_DATABASE_URL must be sqlite:///FILE or postgres://..., got {url!r}")


def tortoise_config(url: str) -> dict[str, Any]:
    return {
        "connections": {"default": connection_config(url)},
        "apps": {
            "models": {"models": MODEL_MODULES, "default_connection": "default", "migrations": "migrations"}
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For the `tortoise` command line ([tool.tortoise] in pyproject.toml).
TORTOISE_ORM = tortoise_config(os.environ.get("TONGXIN_DATABASE_URL", DEFAULT_DATABASE_URL))
