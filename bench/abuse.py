"""Abuse benchmark (issue 15): what an attacker's requests cost the server, and what other clients feel meanwhile.

    .venv/bin/python bench/abuse.py                    # fresh seeded SQLite file, writes bench/results/abuse.json

Against a real server (`python -m api serve` on a seeded SQLite file, one process), it measures:
(a) the server CPU each abusive anonymous document costs before it is refused (read from /proc/PID/stat around the
    request; each document made unique with a comment so that no cache answers it), the worst of them reported;
(b) other clients' latency (p50/p99 of a light query) alone, during a password-guessing attack with the default
    throttle, and during one with the throttle lifted (every guess verified: argon2 runs in a worker thread);
(c) other clients' latency while a staff client sends the heaviest query the cost limit admits, and the CPU of the
    30-alias query the issue reported (refused by cost before execution).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEMO_PASSWORD = "tongxin-demo"
LOGIN = "mutation($input: LoginInput!) { login(input: $input) { token errors { code } } }"
LIGHT = "{ streets(first: 3) { totalCount edges { node { id name } } } }"
TICKS = os.sysconf("SC_CLK_TCK")


def _abusive_documents() -> dict[str, str]:
    repeated = "{" + " ".join("streets { totalCount }" for _ in range(520)) + "}"
    fragment_bomb = "\n".join(
        ["fragment F0 on Query { streets { totalCount } }"]
        + [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 25)]
        + ["{ ...F24 }"])
    inline_repeats = "{" + " ".join("... on Query { streets { totalCount } }" for _ in range(400)) + "}"
    wide = "{" + " ".join(f"a{i}: streets {{ totalCount }}" for i in range(30)) + " " + " ".join(
        "__typename" for _ in range(1500)) + "}"
    deep = "{ compounds { edges { node { " + "community { compounds { " * 6 + "id" + " } } " * 6 + "} } } }"
    typo = "{" + " ".join(f"streetz{i} {{ totalCount }}" for i in range(300)) + "}"
    return {"520 repeated streets { totalCount } (11 KB)": repeated, "fragment doubling x24": fragment_bomb,
            "400 repeated inline fragments": inline_repeats, "1,500 __typename + 30 aliases": wide,
            "depth beyond the limit": deep, "300 unknown fields (suggestions)": typo}


# The heaviest shape the default maximum (50,000 nodes) admits: 100 compounds x 100 units = 10,100 nodes.
HEAVY_ALLOWED = """{ compounds(first: 100) { edges { node { name
  units(first: 100) { totalCount edges { node { number } } } } } } }"""
HEAVY_REPORTED = "{" + " ".join(
    f"a{i}: compounds(first: 100) {{ edges {{ node {{ name units(first: 100) {{ edges {{ node {{ number "
    f"owners {{ name phone idNumber }} }} }} }} }} }} }}" for i in range(30)) + "}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


class Server:
    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [PYTHON, "-m", "api", "serve", "--host", "127.0.0.1", "--port", str(self.port), "--log-level",
             "error"], cwd=REPO, env={**os.environ, "TONGXIN_DATABASE_URL": url, **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    async def wait(self) -> None:
        async with httpx.AsyncClient() as http:
            for _ in range(300):
                try:
                    if (await http.get(f"{self.base}/healthz")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": round(pick(0.50) * 1000, 1), "p99_ms": round(pick(0.99) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


async def _light_client(base: str, stop: asyncio.Event, samples: list[float]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        while not stop.is_set():
            started = time.perf_counter()
            response = await http.post("/graphql", json={"query": LIGHT})
            assert response.status_code == 200, response.text
            samples.append(time.perf_counter() - started)
            await asyncio.sleep(0.02)


async def _while(base: str, attack: Any, seconds: float) -> tuple[dict[str, float], dict[str, Any]]:
    stop, samples = asyncio.Event(), []
    outcomes: dict[str, Any] = {}
    client = asyncio.create_task(_light_client(base, stop, samples))
    attackers = [asyncio.create_task(attack(stop, outcomes)) for _ in range(attack.concurrency)]
    await asyncio.sleep(seconds)
    stop.set()
    await asyncio.gather(client, *attackers)
    return _percentiles(samples), outcomes


def _login_attack(base: str, concurrency: int) -> Any:
    async def attack(stop: asyncio.Event, outcomes: dict[str, Any]) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as http:
            n = 0
            while not stop.is_set():
                n += 1
                body = (await http.post("/graphql", json={"query": LOGIN, "variables": {"input": {
                    "username": "admin", "password": f"guess-{n}"}}})).json()
                code = body["data"]["login"]["errors"][0]["code"] if body.get("data") else "GRAPHQL_ERROR"
                outcomes[code] = outcomes.get(code, 0) + 1
    attack.concurrency = concurrency  # type: ignore[attr-defined]
    return attack


def _heavy_attack(base: str, token: str, document: str, concurrency: int) -> Any:
    async def attack(stop: asyncio.Event, outcomes: dict[str, Any]) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=120) as http:
            while not stop.is_set():
                started = time.perf_counter()
                response = await http.post("/graphql", json={"query": document},
                                           headers={"Authorization": f"Bearer {token}"})
                body = response.json()
                outcomes.setdefault("seconds", []).append(round(time.perf_counter() - started, 3))
                outcomes["bytes"] = len(response.content)
                outcomes["cost"] = (body.get("extensions") or {}).get("cost")
                outcomes["errors"] = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    attack.concurrency = concurrency  # type: ignore[attr-defined]
    return attack


async def _refusal_cpu(server: Server, documents: dict[str, str], token: str | None = None,
                       repeat: int = 3) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=server.base, timeout=120) as http:
        for name, document in documents.items():
            costs, answer = [], None
            for i in range(repeat):
                unique = f"# {name} {i} {time.time_ns()}\n{document}"
                before = _cpu_seconds(server.process.pid)
                response = await http.post("/graphql", json={"query": unique}, headers=headers)
                costs.append(_cpu_seconds(server.process.pid) - before)
                body = response.json()
                answer = [e.get("extensions", {}).get("code") or e["message"][:80] for e in body.get("errors", [])]
            figures[name] = {"bytes": len(document), "cpu_ms_max": round(max(costs) * 1000, 1),
                             "refused_with": answer[:2] if answer else "ANSWERED"}
    return figures


async def _token(base: str, username: str) -> str:
    async with httpx.AsyncClient(base_url=base) as http:
        body = (await http.post("/graphql", json={"query": LOGIN, "variables": {"input": {
            "username": username, "password": DEMO_PASSWORD}}})).json()
    return body["data"]["login"]["token"]


async def run(url: str, seconds: float) -> dict[str, Any]:
    results: dict[str, Any] = {}
    server = Server(url, {})
    try:
        await server.wait()
        staff = await _token(server.base, "centre")
        results["worst_anonymous_documents"] = await _refusal_cpu(server, _abusive_documents())
        worst = max(results["worst_anonymous_documents"].values(), key=lambda f: f["cpu_ms_max"])
        results["worst_anonymous_document_cpu_ms"] = worst["cpu_ms_max"]
        results["baseline"], _ = await _while(server.base, _heavy_attack(server.base, staff, LIGHT, 0), seconds)
        results["during_login_attack_throttled"], outcomes = await _while(
            server.base, _login_attack(server.base, 4), seconds * 2)
        results["login_attack_throttled_outcomes"] = outcomes
        results["heavy_reported_query"] = await _refusal_cpu(server, {"30 aliases x 100 x 100": HEAVY_REPORTED},
                                                             staff, repeat=1)
        results["during_heavy_allowed_query"], outcomes = await _while(
            server.base, _heavy_attack(server.base, staff, HEAVY_ALLOWED, 1), seconds)
        seconds_each = outcomes.pop("seconds", [])
        results["heavy_allowed_query"] = {**outcomes, "requests": len(seconds_each),
                                          "median_s": statistics.median(seconds_each) if seconds_each else None}
    finally:
        server.stop()
    # The same attack with the throttle lifted: every guess runs argon2 (in a worker thread).
    server = Server(url, {"TONGXIN_LOGIN_LIMIT_PER_ACCOUNT": "100000/minute",
                          "TONGXIN_LOGIN_LIMIT_PER_ADDRESS": "100000/minute"})
    try:
        await server.wait()
        results["during_login_attack_unthrottled"], outcomes = await _while(
            server.base, _login_attack(server.base, 4), seconds)
        results["login_attack_unthrottled_outcomes"] = outcomes
    finally:
        server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="an already seeded database (default: a fresh SQLite file)")
    parser.add_argument("--seconds", type=float, default=8.0, help="length of each attack phase")
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "abuse.json"))
    args = parser.parse_args()
    url = args.database_url
    if url is None:
        path = Path(tempfile.mkdtemp(prefix="tongxin-abuse-")) / "demo.sqlite3"
        url = f"sqlite:///{path}"
        env = {**os.environ, "TONGXIN_DATABASE_URL": url}
        for command in (["migrate"], ["seed-demo"]):
            subprocess.run([PYTHON, "-m", "api", *command], cwd=REPO, env=env, check=True, capture_output=True)
    figures = asyncio.run(run(url, args.seconds))
    report = {"benchmark": "abuse", "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "load_average_1min_at_end": round(os.getloadavg()[0], 1)},
              "note": "CPU in 10 ms clock ticks of the server process; latencies depend on the machine's load",
              "database": url.split("://")[0], "seconds_per_phase": args.seconds, **figures}
    Path(args.output).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
