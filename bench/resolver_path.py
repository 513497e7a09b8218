"""What the resolver path costs per request (issue 11, "cut the fixed cost"): CPU ms per request and the number of
awaited field resolutions, in process, over httpx.ASGITransport against a seeded SQLite file, with compiled reads
off so that every operation runs through strawberry resolvers.

Operations: CompoundList and CompoundDetail (the front end's contract), ComplaintLedger (the console's), as the
centre admin and as street staff (whose read policies filter in SQL and per object).

    .venv/bin/python bench/resolver_path.py                  # fresh SQLite file, seed-demo --scale 1
    .venv/bin/python bench/resolver_path.py --database /tmp/rp.sqlite3 --skip-load
    .venv/bin/python bench/resolver_path.py --label before --output /tmp/before.json

Counted in separate passes (so that counting costs nothing in the timed one): every field resolution graphql-core
performs, and those whose resolver (with the schema's per-field hooks around it) returned an awaitable — each of
which makes graphql-core build a coroutine and take its async completion path; and the Python function calls of
one request (cProfile), which unlike CPU time do not vary with the load of a shared machine.

The CPU figure is the lowest of --repeats batches of --rounds requests (the least disturbed); on a loaded machine
run before/after alternately several times (--label names each run in the output file).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import logging
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from inspect import isawaitable
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from api import app as app_module
from api.app import create_app
from api.settings import MODEL_MODULES, Settings, connection_config
from tests.contract.operations import contract_operations

OPERATIONS = ("CompoundList", "CompoundDetail", "ComplaintLedger")


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "api", *args], check=False, cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"python -m api {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip()


def load(path: str, scale: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    env = {**os.environ, "TONGXIN_DATABASE_URL": f"sqlite://{path}"}
    _run(["migrate"], env)
    _run(["seed-demo", "--scale", str(scale), "--seed", "7"], env)


async def _token(role: str, **scope: int | None) -> str:
    from domain.accounts.models import AccessToken, Account
    from domain.accounts.rules import new_token

    now = datetime.now(UTC)
    account = await Account.create(username=f"bench-{role.lower()}-{uuid.uuid4().hex[:6]}", password_hash="-",
                                   roles=role, created_at=now, **scope)
    token, digest = new_token()
    await AccessToken.create(account_id=account.id, token_hash=digest, created_at=now,
                             expires_at=now + timedelta(days=1))
    return str(token)


class Counter:
    """The outermost resolve middleware of the counting pass: sees what graphql-core receives from each field."""

    def __init__(self) -> None:
        self.fields = 0
        self.awaited = 0
        self.by_field: dict[str, int] = {}

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        self.fields += 1
        if isawaitable(result):
            self.awaited += 1
            key = f"{info.parent_type.name}.{info.field_name}"
            self.by_field[key] = self.by_field.get(key, 0) + 1
        return result


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _count_with(counter: Counter) -> Any:
    """Appends the counter to every request's middleware (strawberry builds one manager per request)."""
    from graphql.execution.middleware import MiddlewareManager
    from strawberry.schema.schema import Schema

    original = Schema._get_middleware_manager

    def patched(self: Any, extensions: Any) -> MiddlewareManager:
        return MiddlewareManager(*original(self, extensions).middlewares, counter)

    Schema._get_middleware_manager = patched  # type: ignore[method-assign]
    return lambda: setattr(Schema, "_get_middleware_manager", original)


async def measure(database: str, rounds: int, repeats: int, *, settle_heap: bool = True) -> dict[str, Any]:
    await Tortoise.init(config={"connections": {"default": connection_config(f"sqlite://{database}")},
                                "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
                                "use_tz": True, "timezone": "UTC"})
    from tortoise import connections

    from schema.core.relay import encode_id

    try:
        # The detail shown is the compound with the most to show: open orders, meetings, a committee.
        rows = await connections.get("default").execute_query_dict(
            "SELECT co.id, co.street_id, "
            "(SELECT COUNT(*) FROM complaint c WHERE c.compound_id = co.id "
            " AND c.status IN ('DISPATCHED', 'IN_PROGRESS')) AS orders, "
            "(SELECT COUNT(*) FROM meeting m WHERE m.compound_id = co.id) AS meetings, "
            "(SELECT COUNT(*) FROM owners_body o WHERE o.compound_id = co.id) AS committees FROM compound co")
        assert rows, "the database holds no compounds: run without --skip-load"
        detail = max(rows, key=lambda r: ((r["orders"] > 0) + (r["meetings"] > 0) + (r["committees"] > 0),
                                          r["orders"] + r["meetings"], -r["id"]))
        tokens = {"admin": await _token("CENTRE_ADMIN"),
                  "street": await _token("STREET_STAFF", street_id=detail["street_id"])}
        documents = {o.name: o.document for o in contract_operations() if o.name in OPERATIONS}
        variables = {"CompoundList": {"first": 20}, "ComplaintLedger": {"first": 20},
                     "CompoundDetail": {"id": encode_id("Compound", detail["id"])}}
        app = create_app(Settings(database_url="unused", redis_url=None, compiled_reads=False),
                         manage_database=False)
        # What the server's lifespan does once the ORM is up (where this version of the app has it).
        settle = getattr(app_module, "settle_heap", None) if settle_heap else None
        if settle is not None:
            settle()
        results: dict[str, Any] = {}
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as http:
            async def send(name: str, token: str) -> dict[str, Any]:
                response = await http.post("/graphql", json={"query": documents[name], "variables": variables[name]},
                                           headers={"Authorization": f"Bearer {token}"})
                body = response.json()
                assert response.status_code == 200 and not body.get("errors"), body
                return body

            for name in OPERATIONS:
                for who, token in tokens.items():
                    body = await send(name, token)
                    for _ in range(5):  # warm-up: caches, first-statement costs
                        await send(name, token)
                    samples = []
                    for _ in range(repeats):
                        started = time.process_time()
                        for _ in range(rounds):
                            await send(name, token)
                        samples.append((time.process_time() - started) / rounds * 1000)
                    counter = Counter()
                    restore = _count_with(counter)
                    statements = _Statements()
                    logger = logging.getLogger("tortoise.db_client")
                    logger.addHandler(statements)
                    level = logger.level
                    logger.setLevel(logging.DEBUG)
                    try:
                        await send(name, token)
                    finally:
                        restore()
                        logger.removeHandler(statements)
                        logger.setLevel(level)
                    # Python function calls of one request: deterministic, where CPU time on a shared machine is not.
                    profile = cProfile.Profile()
                    profile.enable()
                    await send(name, token)
                    profile.disable()
                    calls = sum(entry.callcount for entry in profile.getstats())
                    results[f"{name}/{who}"] = {
                        "cpu_ms_per_request": round(min(samples), 3),
                        "cpu_ms_median": round(statistics.median(samples), 3),
                        "python_calls": calls,
                        "sql_statements": statements.count,
                        "fields_resolved": counter.fields,
                        "awaited_resolutions": counter.awaited,
                        "awaited_by_field": dict(sorted(counter.by_field.items(), key=lambda kv: -kv[1])),
                        "response_bytes": len(json.dumps(body, ensure_ascii=False).encode()),
                    }
                    print(f"{name:16} {who:6} cpu {min(samples):7.2f} ms (median {statistics.median(samples):7.2f})"
                          f"  fields {counter.fields:5}  awaited {counter.awaited:5}  calls {calls:7}  sql {statements.count:3}", flush=True)
        return results
    finally:
        await Tortoise.close_connections()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=str(Path(tempfile.gettempdir()) / "tongxin-resolver-path.sqlite3"))
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-settle", action="store_true", help="skip the server's startup gc.freeze (settle_heap)")
    parser.add_argument("--label", default="")
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "resolver_path.json"))
    args = parser.parse_args()
    if not args.skip_load:
        load(args.database, args.scale)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], check=False, cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    figures = asyncio.run(measure(args.database, args.rounds, args.repeats, settle_heap=not args.no_settle))
    report = {"label": args.label, "commit": commit, "scale": args.scale, "rounds": args.rounds,
              "repeats": args.repeats, "settle_heap": not args.no_settle, "python": platform.python_version(),
              "load_average": [round(x, 2) for x in os.getloadavg()],
              "measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "operations": figures}
    output = Path(args.output)
    previous = json.loads(output.read_text()) if output.exists() else {}
    runs = previous.get("runs", []) if isinstance(previous, dict) else []
    runs = [r for r in runs if r.get("label") != args.label or not args.label]
    output.write_text(json.dumps({"runs": [*runs, report]}, ensure_ascii=False, indent=2) + "\n")
    print(f"written to {re.sub(str(REPO) + '/', '', str(output))}")


if __name__ == "__main__":
    main()
