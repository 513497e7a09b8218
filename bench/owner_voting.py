"""Benchmark of owners voting in the owners' app: app ballots over HTTP against a real server, on one assembly.

    .venv/bin/python bench/owner_voting.py                                   # SQLite file, 5,000 owners
    .venv/bin/python bench/owner_voting.py --database-url postgres://postgres@127.0.0.1:5432/tongxin_vote_bench
    .venv/bin/python bench/owner_voting.py --owners 1000 --concurrency 1000 --label burst   # issue 11: a burst

Steps: (a) a fresh database, `python -m api migrate`; (b) in this process, through the ORM: one compound with
N owners (one unit each), an OWNER account and bearer token per owner, and an owners' assembly whose item is open
for voting (through the domain's use cases); (c) `python -m api serve`; (d) a subscriber on `tallyUpdated` over
the websocket, then every owner sends `CastMyBallot` (the contract operation) at a fixed concurrency; (e) checks:
every ballot accepted exactly once (rows, running tally, and closing the vote, which recounts every ballot
against the running tally), and the time for each ballot to show in the subscriber's tally; (f) figures to
bench/results/owner_voting.json (one entry per database and label, merged into the file).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.compounds import (  # noqa: E402 - the shared runner pieces of the compound benchmark
    Server,
    backend_of,
    free_port,
    git_commit,
    percentile,
    prepare_postgres,
    redacted,
    run,
    sqlite_path,
)

REPO = Path(__file__).resolve().parent.parent
CONTRACT = REPO.parent / "shared" / "contract" / "owner" / "owner-app.graphql"
RESULTS = REPO / "bench" / "results" / "owner_voting.json"
SUBSCRIBE = """subscription Tally($id: ID!) { tallyUpdated(agendaItemId: $id) { participatingVoters } }"""
TIMED = ("from sending the first CastMyBallot to the last answer: each owner's request over HTTP/1.1 (keep-alive, "
         "one connection per concurrent owner, a minimal asyncio client) with a bearer token issued in setup (no "
         "sign-in, no password hashing), through commit and the tally event; setup (owners, tokens, opening the "
         "vote) and the checks are outside")
CLOSE = """mutation Close($input: AgendaItemActionInput!) { closeVoting(input: $input) {
  agendaItem { id status result } errors { code message } } }"""


def operation(name: str) -> str:
    text = CONTRACT.read_text(encoding="utf-8")
    match = re.search(rf"^mutation {name}\b.*?^}}", text, flags=re.S | re.M)
    if not match:
        raise SystemExit(f"operation {name} not found in {CONTRACT}")
    return match.group(0)


# --- data ------------------------------------------------------------------------------------------------------


async def build(url: str, owners: int) -> dict[str, Any]:
    """The compound, owners, tokens and the open item, written straight through the ORM (fast, deterministic)."""
    from tortoise import Tortoise

    from api.settings import tortoise_config
    from domain.accounts.models import AccessToken, Account
    from domain.accounts.rules import Role, new_token
    from domain.geography.models import Ownership, Person, Unit
    from domain.geography.rules import AreaSource, UnitKind
    from strawberry.relay import GlobalID
    from tests import factories as f
    from tests.owners_support import assembly

    await Tortoise.init(config=tortoise_config(url))
    try:
        now = dt.datetime.now(dt.UTC)
        street = await f.street("投票街道")
        community = await f.community(street, "投票社区")
        compound = await f.compound(community, "万户小区")
        await Person.bulk_create([Person(name=f"业主{i}", phone=f"139{i:08d}", created_at=now)
                                  for i in range(owners)], batch_size=1000)
        people = await Person.filter(name__startswith="业主").order_by("id").values_list("id", flat=True)
        await Unit.bulk_create([
            Unit(compound_id=compound.id, building=str(1 + i // 200), entrance=str(1 + (i // 50) % 4),
                 number=str(101 + i % 50), kind=UnitKind.DWELLING, area=Decimal("80.00") + Decimal(i % 40),
                 area_source=AreaSource.REGISTRY, created_at=now) for i in range(owners)], batch_size=1000)
        units = await Unit.filter(compound_id=compound.id).order_by("id").values_list("id", flat=True)
        await Ownership.bulk_create([Ownership(unit_id=u, person_id=p) for u, p in zip(units, people, strict=True)],
                                    batch_size=1000)
        await Account.bulk_create([Account(username=f"owner{p}", password_hash="-", roles=Role.OWNER.value,
                                           person_id=p, created_at=now) for p in people], batch_size=1000)
        accounts = dict(await Account.filter(username__startswith="owner").values_list("person_id", "id"))
        tokens: list[str] = []
        rows = []
        for p in people:
            token, digest = new_token()
            tokens.append(token)
            rows.append(AccessToken(account_id=accounts[p], token_hash=digest, created_at=now,
                                    expires_at=now + dt.timedelta(days=1)))
        await AccessToken.bulk_create(rows, batch_size=1000)
        staff_token, digest = new_token()
        admin = await Account.create(username="bench-admin", password_hash="-", roles=Role.CENTRE_ADMIN.value,
                                     created_at=now)
        await AccessToken.create(account_id=admin.id, token_hash=digest, created_at=now,
                                 expires_at=now + dt.timedelta(days=1))
        started = time.perf_counter()
        _, items = await assembly(compound)
        open_seconds = time.perf_counter() - started
        return {"tokens": tokens, "staff_token": staff_token, "item_pk": items[0].id,
                "item_id": str(GlobalID("AgendaItem", str(items[0].id))), "open_voting_seconds": open_seconds}
    finally:
        await Tortoise.close_connections()


async def verify(url: str, item_pk: int) -> dict[str, Any]:
    from tortoise import Tortoise

    from api.settings import tortoise_config
    from api.settings import Settings
    from domain.audit import keys
    from domain.audit.service import verify_audit_chain
    from domain.deliberation.models import Ballot
    from domain.deliberation.register_models import RunningTally

    await Tortoise.init(config=tortoise_config(url))
    try:
        ballots = await Ballot.filter(item_id=item_pk).count()
        seats = len(set(await Ballot.filter(item_id=item_pk).values_list("seat_key", flat=True)))
        running = await RunningTally.get(item_id=item_pk)
        keys.configure(Settings.from_env().audit_key)  # the server's key (the development key when unset)
        chain = await verify_audit_chain()  # every ballot's event linked, and its content matching its row
        return {"ballot_rows": ballots, "distinct_seats": seats, "running_tally_ballots": running.ballots,
                "running_tally_participating": running.agree_voters + running.oppose_voters + running.abstain_voters,
                "audit_chain_valid": chain.valid, "audit_events_checked": chain.checked,
                "audit_chain_problems": list(chain.problems[:3])}
    finally:
        await Tortoise.close_connections()


# --- load ------------------------------------------------------------------------------------------------------


async def subscriber(base_url: str, token: str, item_id: str, seen: list[tuple[float, int]],
                     ready: asyncio.Event, stop: asyncio.Event) -> None:
    import websockets

    uri = base_url.replace("http://", "ws://") + "/graphql"
    headers = {"Authorization": f"Bearer {token}"}
    # max_queue=None: the reader never pauses while this loop catches up with a burst of events, so the
    # server's keepalive pings are answered however far behind the loop is.
    async with websockets.connect(uri, subprotocols=["graphql-transport-ws"], max_size=None, max_queue=None,
                                  additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": headers}))
        await ws.recv()
        await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                  "payload": {"query": SUBSCRIBE, "variables": {"id": item_id}}}))
        while not stop.is_set():
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=0.5))
            except TimeoutError:
                continue

            if message.get("type") == "ping":
                await ws.send(json.dumps({"type": "pong"}))
            elif message.get("type") == "next":
                count = message["payload"]["data"]["tallyUpdated"]["participatingVoters"]
                seen.append((time.perf_counter(), count))
                ready.set()
            elif message.get("type") in ("error", "complete"):
                raise SystemExit(f"subscription ended: {message}")


class Connection:
    """One keep-alive HTTP/1.1 connection that speaks just what a GraphQL POST needs.

    The load generator shares the 2-core machine with the server it measures: httpx spent twice the server's CPU
    on the same ballots (8.3 s against 4.0 s for 1,000), so the figures measured the client. The server receives
    the same requests (method, path, headers, JSON body) either way."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, token: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json"
                          f"\r\nAuthorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                          + body)
        try:
            head = (await self.reader.readuntil(b"\r\n\r\n")).lower()
            status = int(head[9:12])
            length = re.search(rb"\r\ncontent-length: *(\d+)", head)
            if length:
                answer = await self.reader.readexactly(int(length.group(1)))
            else:  # chunked (a 503 from the time limit)
                parts = []
                while size := int((await self.reader.readuntil(b"\r\n")).strip(), 16):
                    parts.append(await self.reader.readexactly(size + 2))
                await self.reader.readuntil(b"\r\n")
                answer = b"".join(p[:-2] for p in parts)
            if b"\r\nconnection: close" in head:
                self.close()
            return status, answer
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def cast_all(base_url: str, tokens: list[str], item_id: str, concurrency: int) -> dict[str, Any]:
    document = operation("CastMyBallot")
    body = json.dumps({"query": document, "variables": {"input": {"agendaItemId": item_id, "choice": "AGREE"}}}
                      ).encode()
    host, port = base_url.removeprefix("http://").split(":")
    queue: asyncio.Queue[str] = asyncio.Queue()
    for token in tokens:
        queue.put_nowait(token)
    results: list[tuple[float, float, int | None, str | None]] = []  # sent, answered, participating, error

    async def worker() -> None:
        connection = Connection(host, int(port))
        while not queue.empty():
            token = queue.get_nowait()
            sent = time.perf_counter()
            try:
                status, answer = await connection.post("/graphql", token, body)
                reply = json.loads(answer) if answer else {}
                payload = (reply.get("data") or {}).get("castMyBallot") or {}
                error = (";".join(e["code"] for e in payload.get("errors", [])) or
                         (str(reply["errors"])[:200] if "errors" in reply else None) or
                         (f"HTTP {status}" if status != 200 else None))
                tally = payload.get("tally") or {}
                results.append((sent, time.perf_counter(), tally.get("participatingVoters"), error))
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                results.append((sent, time.perf_counter(), None, f"{type(exc).__name__}: {exc}"[:200]))
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies = [answered - sent for sent, answered, _, _ in results]
    errors: dict[str, int] = {}
    for *_, error in results:
        if error:
            errors[error] = errors.get(error, 0) + 1
    return {"elapsed": elapsed, "results": results, "latencies": latencies, "errors": errors}


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process and its live descendants (the workers), from /proc: a figure
    that, unlike seconds, does not depend on what else the shared machine runs."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def statements_per_ballot(log_path: Path) -> dict[str, Any] | None:
    """SQL statements of each CastMyBallot request, as the server's request log counted them."""
    counts = []
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        if '"CastMyBallot"' in line and '"sql_statements"' in line:
            with_statements = json.loads(line)
            counts.append(with_statements["sql_statements"])
    if not counts:
        return None
    return {"min": min(counts), "max": max(counts), "mean": round(sum(counts) / len(counts), 2),
            "requests": len(counts)}


def visibility(results: list[tuple[float, float, int | None, str | None]], seen: list[tuple[float, int]]
               ) -> list[float]:
    """Per accepted ballot: from sending it to the first subscriber tally counting at least as many voters as the
    tally its own response carried (its ballot included)."""
    seen_sorted = sorted(seen)
    out = []
    for sent, _, count, error in results:
        if error or count is None:
            continue
        first = next((at for at, n in seen_sorted if n >= count and at >= sent), None)
        if first is not None:
            out.append(first - sent)
    return out


async def measure(server: Server, data: dict[str, Any], concurrency: int) -> dict[str, Any]:
    await server.wait_healthy()
    seen: list[tuple[float, int]] = []
    ready, stop = asyncio.Event(), asyncio.Event()
    listening = asyncio.create_task(subscriber(server.base_url, data["staff_token"], data["item_id"], seen, ready,
                                               stop))
    await asyncio.wait_for(ready.wait(), timeout=30)
    cpu_before, client_before = process_cpu_seconds(server.process.pid), time.process_time()
    load = await cast_all(server.base_url, data["tokens"], data["item_id"], concurrency)
    cpu_seconds = process_cpu_seconds(server.process.pid) - cpu_before
    client_cpu_seconds = time.process_time() - client_before
    await asyncio.sleep(2)  # let the last tally events arrive
    stop.set()
    await listening
    shown = visibility(load["results"], seen)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=300) as http:
        started = time.perf_counter()
        closed = (await http.post("/graphql", headers={"Authorization": f"Bearer {data['staff_token']}"},
                                  json={"query": CLOSE, "variables": {"input": {"agendaItemId": data["item_id"]}}}
                                  )).json()
        close_seconds = time.perf_counter() - started
    accepted = sum(1 for *_, error in load["results"] if not error)
    lat = load["latencies"]
    return {
        "ballots_sent": len(load["results"]), "ballots_accepted": accepted, "errors": load["errors"],
        "timed": TIMED,
        "elapsed_seconds": round(load["elapsed"], 2),
        "server_cpu_seconds": round(cpu_seconds, 2),
        "server_cpu_ms_per_ballot": round(cpu_seconds * 1000 / len(load["results"]), 2) if load["results"] else None,
        "client_cpu_seconds": round(client_cpu_seconds, 2),
        "throughput_ballots_per_second": round(accepted / load["elapsed"], 1) if load["elapsed"] else None,
        "latency_ms": {"p50": round(percentile(lat, 50) * 1000, 1), "p99": round(percentile(lat, 99) * 1000, 1),
                       "max": round(max(lat) * 1000, 1)},
        "subscriber_events": len(seen), "ballots_matched_to_an_event": len(shown),
        "time_to_show_in_subscriber_ms": ({"p50": round(percentile(shown, 50) * 1000, 1),
                                           "p99": round(percentile(shown, 99) * 1000, 1),
                                           "max": round(max(shown) * 1000, 1)} if shown else None),
        "close_voting": {"seconds": round(close_seconds, 2), "answer": closed.get("data", closed)},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in a temp folder")
    parser.add_argument("--owners", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0", help="used when --workers > 1")
    parser.add_argument("--label", default="window", help="the entry's name in the results file")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="tongxin-vote-bench-"))
    url = args.database_url or f"sqlite://{workdir}/vote.sqlite3"
    if backend_of(url) == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(sqlite_path(url) + suffix):
                os.remove(sqlite_path(url) + suffix)
    else:
        asyncio.run(prepare_postgres(url, recreate=True))
        if "maxsize" not in url:
            url += ("&" if "?" in url else "?") + "maxsize=20"
    env = {**os.environ, "TONGXIN_DATABASE_URL": url, "TONGXIN_GRAPHIQL": "0"}
    env.pop("TONGXIN_REDIS_URL", None)
    if args.workers > 1:
        # Several workers share tally events (and throttles) only through Redis.
        env["TONGXIN_REDIS_URL"] = args.redis_url
    run(["migrate"], env, timeout=600)
    started = time.perf_counter()
    data = asyncio.run(build(url, args.owners))
    build_seconds = time.perf_counter() - started
    server = Server(env, free_port(), workdir / "server.log", workers=args.workers)
    try:
        import uvloop  # as the server runs (uvicorn[standard]): the client's own loop costs less too

        figures = uvloop.run(measure(server, data, args.concurrency))
    finally:
        server.stop()
    checks = asyncio.run(verify(url, data["item_pk"]))
    figures["sql_statements_per_ballot"] = statements_per_ballot(workdir / "server.log")
    accepted = figures["ballots_accepted"]
    figures["checks"] = {
        **checks,
        "lost": accepted - checks["ballot_rows"] if accepted >= checks["ballot_rows"] else 0,
        "double": checks["ballot_rows"] - checks["distinct_seats"],
        "unacknowledged_rows": max(0, checks["ballot_rows"] - accepted),
        "running_tally_equals_rows": checks["running_tally_ballots"] == checks["ballot_rows"],
        "closed_after_full_recount": (figures["close_voting"]["answer"] or {}).get("closeVoting", {}).get(
            "errors") == [],
    }
    entry = {
        "database": backend_of(url), "database_url": redacted(url), "owners": args.owners,
        "concurrency": args.concurrency, "workers": args.workers, "events": "redis" if args.workers > 1 else "in-process", "setup_seconds": round(build_seconds, 1),
        "open_voting_seconds": round(data["open_voting_seconds"], 2), **figures,
        "commit": git_commit(), "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} CPUs", "load_average_1min_after": round(os.getloadavg()[0], 2),
    }
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing[f"{backend_of(url)}-{args.label}"] = entry
    args.output.write_text(json.dumps(existing, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(entry, ensure_ascii=False, indent=2))
    ok = (figures["checks"]["lost"] == 0 and figures["checks"]["double"] == 0 and not figures["errors"]
          and checks["audit_chain_valid"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
