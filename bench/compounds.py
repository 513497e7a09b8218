"""Benchmark of the compound list screen (CompoundList) over HTTP against a city-sized demo data set.

    .venv/bin/python bench/compounds.py                      # fresh SQLite file, seed-demo --scale 25
    .venv/bin/python bench/compounds.py --database-url postgres://postgres@127.0.0.1:5432/tongxin_bench \
        --output bench/results/compounds-postgres.json
    .venv/bin/python bench/compounds.py --skip-load --database-url sqlite:///tmp/bench.sqlite3

Steps: (a) unless --skip-load, create a fresh database, `python -m api migrate`, `python -m api seed-demo` (timed);
(b) `python -m api serve` on a free loopback port; (c) log in as the demo admin and send the front end's
CompoundList operation (or, where the schema lacks some of its fields, a reduced document) with a few filters at a
fixed concurrency for a fixed number of requests after a warm-up; (d) write the figures to bench/results; (e) stop
the server.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
CONTRACT = REPO / "tests" / "contract" / "operations" / "frontend" / "compounds.graphql"  # the project's copy
PYTHON = sys.executable
DEMO_PASSWORD = "tongxin-demo"

REDUCED_DOCUMENT = """
query CompoundList($filter: CompoundFilter, $first: Int = 20, $after: String) {
  compounds(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name address managementMode isRedProperty
        community { id name street { id name } }
        householdCount totalExclusiveArea
        servingFirm { id name }
      }
    }
  }
}
"""
LOGIN = """mutation Login($input: LoginInput!) { login(input: $input) { token errors { code message } } }"""
STREETS = "{ streets(first: 5) { edges { node { id name } } } }"


def contract_operation(name: str) -> str:
    """One operation of the front-end contract file, by name (operations there are separated by blank lines)."""
    text = CONTRACT.read_text(encoding="utf-8")
    match = re.search(rf"^query {name}\b.*?^}}", text, flags=re.S | re.M)
    if not match:
        raise SystemExit(f"operation {name} not found in {CONTRACT}")
    return match.group(0)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(args: list[str], env: dict[str, str], timeout: float) -> str:
    done = subprocess.run([PYTHON, "-m", "api", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise SystemExit(f"python -m api {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout.strip()


# --- databases -----------------------------------------------------------------------------------------------


def backend_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgres"


def redacted(url: str) -> str:
    if backend_of(url) == "sqlite":
        return url
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def sqlite_path(url: str) -> str:
    path = url.split("sqlite://", 1)[1].split("?", 1)[0]
    while path.startswith("//"):
        path = path[1:]
    return path


async def prepare_postgres(url: str, *, recreate: bool) -> None:
    """Creates the database if missing (through the `test` database); drops it first with --recreate."""
    import asyncpg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"unexpected database name {name!r}")
    admin = await asyncpg.connect(urlunsplit(parts._replace(path="/test", query="")))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if exists and recreate:
            await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()


async def count_rows(url: str) -> dict[str, int]:
    tables = ("street", "compound", "unit", "person", "ownership")
    if backend_of(url) == "sqlite":
        with sqlite3.connect(sqlite_path(url)) as conn:
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    import asyncpg

    conn = await asyncpg.connect(urlunsplit(urlsplit(url)._replace(query="")))
    try:
        return {t: int(await conn.fetchval(f'SELECT COUNT(*) FROM "{t}"')) for t in tables}
    finally:
        await conn.close()


def load(url: str, env: dict[str, str], *, scale: int, seed: int, recreate: bool) -> dict[str, Any]:
    if backend_of(url) == "sqlite":
        path = sqlite_path(url)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        asyncio.run(prepare_postgres(url, recreate=recreate))
    started = time.perf_counter()
    run(["migrate"], env, timeout=600)
    migrate_seconds = time.perf_counter() - started
    started = time.perf_counter()
    summary = run(["seed-demo", "--scale", str(scale), "--seed", str(seed)], env, timeout=3600)
    return {"migrate_seconds": round(migrate_seconds, 2), "load_seconds": round(time.perf_counter() - started, 2),
            "seed_summary": summary}


# --- the server ------------------------------------------------------------------------------------------------


class Server:
    def __init__(self, env: dict[str, str], port: int, log_path: Path, *, workers: int = 1) -> None:
        self.port = port
        self.log = log_path.open("w")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
             "--workers", str(workers)],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2) as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise SystemExit(f"the server exited with {self.process.returncode}; see {self.log.name}")
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise SystemExit(f"/healthz did not answer within {timeout:.0f} s; see {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.log.close()


# --- the load ---------------------------------------------------------------------------------------------------


async def graphql(http: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": query, "variables": variables or {}})
    body: dict[str, Any] = response.json()
    return body


async def choose_document(http: httpx.AsyncClient, server_log: Path) -> tuple[str, str, str | None]:
    """The full contract operation if the server answers it without errors, else the reduced document."""
    full = contract_operation("CompoundList")
    body = await graphql(http, full, {"first": 1})
    if not body.get("errors"):
        return "full", full, None
    reason = "; ".join(e.get("message", "?") for e in body["errors"])[:500]
    # Unexpected faults are masked in the response: the server's log says what went wrong.
    await asyncio.sleep(0.5)
    causes = re.findall(r"^\w+(?:\.\w+)*(?:Error|Exception): .*$", server_log.read_text(errors="replace"), flags=re.M)
    if causes:
        reason += f" (server log: {causes[0][:300]})"
    body = await graphql(http, REDUCED_DOCUMENT, {"first": 1})
    if body.get("errors"):
        raise SystemExit(f"even the reduced CompoundList fails: {body['errors']}")
    return "reduced", REDUCED_DOCUMENT, reason


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


async def hammer(http: httpx.AsyncClient, document: str, filters: list[tuple[str, dict[str, Any] | None]],
                 *, requests: int, concurrency: int) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {name: [] for name, _ in filters}
    errors: list[str] = []
    cursor = 0

    async def worker() -> None:
        nonlocal cursor
        while cursor < requests:
            name, variables = filters[cursor % len(filters)]
            cursor += 1
            started = time.perf_counter()
            try:
                response = await http.post("/graphql", json={"query": document,
                                                             "variables": {"filter": variables, "first": 20}})
                body = response.json()
                ok = response.status_code == 200 and not body.get("errors") and len(
                    body["data"]["compounds"]["edges"]) > 0
                if not ok:
                    errors.append(f"{name}: {response.status_code} {str(body.get('errors'))[:200]}")
            except (httpx.HTTPError, ValueError) as exc:
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
            latencies[name].append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    every = [v for values in latencies.values() for v in values]
    return {
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(every) / elapsed, 1),
        "p50_ms": round(percentile(every, 50), 1),
        "p90_ms": round(percentile(every, 90), 1),
        "p99_ms": round(percentile(every, 99), 1),
        "errors": len(errors),
        "first_errors": errors[:5],
        "by_filter": {
            name: {"requests": len(v), "p50_ms": round(percentile(v, 50), 1), "p99_ms": round(percentile(v, 99), 1),
                   "mean_ms": round(statistics.fmean(v), 1)}
            for name, v in latencies.items() if v
        },
    }


async def measure(server: Server, *, requests: int, warmup: int, concurrency: int) -> dict[str, Any]:
    await server.wait_healthy()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=60, limits=limits) as http:
        login = await graphql(http, LOGIN, {"input": {"username": "admin", "password": DEMO_PASSWORD}})
        token = (login.get("data") or {}).get("login", {}).get("token")
        if not token:
            raise SystemExit(f"admin login failed: {login}")
        http.headers["Authorization"] = f"Bearer {token}"
        kind, document, reason = await choose_document(http, Path(server.log.name))
        streets = [e["node"] for e in (await graphql(http, STREETS))["data"]["streets"]["edges"]]
        filters: list[tuple[str, dict[str, Any] | None]] = [
            ("none", None),
            ("streetId", {"streetId": streets[0]["id"]}),
            ("managementMode", {"managementMode": "COMMUNITY_CUSTODIAL"}),
            ("search", {"search": "花园"}),
        ]
        await hammer(http, document, filters, requests=warmup, concurrency=concurrency)
        result = await hammer(http, document, filters, requests=requests, concurrency=concurrency)
    return {"document": kind, "document_text": document, "full_document_failed_with": reason,
            "filters": {name: value for name, value in filters}, **result}


def git_commit() -> str:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO, capture_output=True,
                           text=True).stdout.strip()
    return head + ("-dirty" if dirty else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="sqlite:///FILE or postgres://...; default: a fresh temporary file")
    parser.add_argument("--skip-load", action="store_true", help="use the database as it is")
    parser.add_argument("--recreate", action="store_true", help="PostgreSQL: drop an existing database first")
    parser.add_argument("--scale", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "compounds.json"))
    args = parser.parse_args()
    if args.requests < 1 or args.requests > 100_000 or args.concurrency < 1 or args.concurrency > 256:
        raise SystemExit("--requests must lie in 1..100000 and --concurrency in 1..256")
    workdir = Path(tempfile.mkdtemp(prefix="tongxin-bench-"))
    url = args.database_url or f"sqlite:///{workdir}/bench.sqlite3"
    if args.skip_load and not args.database_url:
        raise SystemExit("--skip-load needs --database-url")
    env = {**os.environ, "TONGXIN_DATABASE_URL": url, "TONGXIN_GRAPHIQL": "0"}
    env.pop("TONGXIN_REDIS_URL", None)

    loaded: dict[str, Any] = {"migrate_seconds": None, "load_seconds": None, "seed_summary": None}
    if not args.skip_load:
        print(f"loading seed-demo --scale {args.scale} into {redacted(url)} ...", flush=True)
        loaded = load(url, env, scale=args.scale, seed=args.seed, recreate=args.recreate)
        print(loaded["seed_summary"], flush=True)
    counts = asyncio.run(count_rows(url))
    load_average_before = [round(x, 2) for x in os.getloadavg()]
    server = Server(env, free_port(), workdir / "server.log", workers=args.workers)
    try:
        result = asyncio.run(measure(server, requests=args.requests, warmup=args.warmup,
                                     concurrency=args.concurrency))
    finally:
        server.stop()

    figures = {
        "benchmark": "compounds (CompoundList over HTTP)",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        # Other work on the machine skews the figures: the load average before and after the measurement.
        "load_average_before": load_average_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "database": backend_of(url),
        "database_url": redacted(url),
        "scale": args.scale if not args.skip_load else None,
        "seed": args.seed if not args.skip_load else None,
        "compounds": counts["compound"],
        "units": counts["unit"],
        "persons": counts["person"],
        "ownerships": counts["ownership"],
        **loaded,
        "server": f"python -m api serve --workers {args.workers} (uvicorn)",
        "workers": args.workers,
        "concurrency": args.concurrency,
        "warmup_requests": args.warmup,
        "requests": args.requests,
        **result,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(
        f"{figures['database']}: {figures['compounds']} compounds, {figures['units']} units"
        f" (load {figures['load_seconds']} s); CompoundList ({result['document']} document), {args.requests} requests"
        f" at concurrency {args.concurrency}: {result['requests_per_second']} req/s, p50 {result['p50_ms']} ms,"
        f" p90 {result['p90_ms']} ms, p99 {result['p99_ms']} ms, {result['errors']} errors -> {output}"
    )
    for name, stats in result["by_filter"].items():
        print(f"  {name:15} p50 {stats['p50_ms']:8.1f} ms  p99 {stats['p99_ms']:8.1f} ms"
              f"  ({stats['requests']} requests)")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
