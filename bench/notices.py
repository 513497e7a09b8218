"""Benchmark of a meeting notice to a large compound and of the outbox dispatcher draining it.

    .venv/bin/python bench/notices.py                       # fresh SQLite file, 2,000 owners with accounts
    .venv/bin/python bench/notices.py --owners 5000 --database-url postgres://postgres@127.0.0.1:5432/test \
        --output bench/results/notices-postgres.json

Steps: create a fresh database with the real migrations; one compound with N owners who have accounts; time
`notify` of a statutory meeting notice inside one transaction (N notifications, N in-app and N SMS outbox rows);
then time `dispatch_pending` draining the outbox through senders that accept at once (the channel itself is
not measured, the claim/record round trips are); write the figures to bench/results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


class Accept:
    async def send(self, delivery) -> None:  # type: ignore[no-untyped-def]
        return None


async def run(url: str, owners: int) -> dict[str, float | int]:
    from tortoise import Tortoise

    from api.settings import tortoise_config
    from domain.accounts.models import Account
    from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit
    from domain.geography.rules import AreaSource, ManagementMode, UnitKind
    from domain.messaging.dispatcher import DispatchConfig, dispatch_pending
    from domain.messaging.models import OutboxMessage
    from domain.messaging.rules import Channel, QuietHours
    from domain.notifications.rules import NoticeKind, Text
    from domain.notifications.service import Link, notify, person_recipients
    from domain.transaction import atomic

    await Tortoise.init(config=tortoise_config(url))
    now = datetime.now(UTC)
    street = await Street.create(name="基准街道", rule_pack="national", created_at=now)
    community = await Community.create(street_id=street.id, name="基准社区", created_at=now)
    compound = await Compound.create(community_id=community.id, street_id=street.id, name="基准小区", address="路1号",
                                     management_mode=ManagementMode.PROFESSIONAL_FIRM, created_at=now)
    persons = await Person.bulk_create([Person(name=f"业主{i}", phone=f"139{i:08d}", created_at=now)
                                        for i in range(owners)], batch_size=500)
    persons = list(await Person.all().order_by("id"))
    units = [Unit(compound_id=compound.id, building=str(i // 100), entrance="1", number=str(i), kind=UnitKind.DWELLING,
                  area=Decimal("90.00"), area_source=AreaSource.REGISTRY, created_at=now) for i in range(owners)]
    await Unit.bulk_create(units, batch_size=500)
    units = list(await Unit.all().order_by("id"))
    await Ownership.bulk_create([Ownership(unit_id=u.id, person_id=p.id) for u, p in zip(units, persons)],
                                batch_size=500)
    await Account.bulk_create([Account(username=f"o{p.id}", password_hash="x", roles="OWNER", person_id=p.id,
                                       created_at=now) for p in persons], batch_size=500)

    started = time.perf_counter()
    async with atomic():
        recipients = await person_recipients([p.id for p in persons])
        written = await notify(recipients=recipients, kind=NoticeKind.MEETING_NOTICE,
                               text=Text("会议通知：业主大会", "定于下周六召开"), link=Link("Meeting", 1),
                               cause="meeting:bench", now=now)
    notice_seconds = time.perf_counter() - started
    queued = await OutboxMessage.all().count()

    config = DispatchConfig(senders={Channel.SMS: Accept(), Channel.IN_APP: Accept()},
                            quiet=QuietHours(start=QuietHours().start, end=QuietHours().start), batch_size=100)
    started = time.perf_counter()
    report = await dispatch_pending(now=datetime.now(UTC), config=config)
    dispatch_seconds = time.perf_counter() - started
    await Tortoise.close_connections()
    return {"owners": owners, "notifications": written, "outbox_rows": queued,
            "notice_seconds": round(notice_seconds, 3), "dispatched": report.sent,
            "dispatch_seconds": round(dispatch_seconds, 3),
            "dispatch_messages_per_second": round(report.sent / dispatch_seconds, 1)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--owners", type=int, default=2000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "notices.json"))
    args = parser.parse_args()
    url = args.database_url or f"sqlite://{tempfile.mkdtemp(prefix='tongxin-bench-')}/notices.sqlite3"
    migrate = subprocess.run([sys.executable, "-m", "api", "migrate"], cwd=REPO, capture_output=True, text=True,
                             env={**os.environ, "TONGXIN_DATABASE_URL": url})
    if migrate.returncode != 0:
        print(migrate.stderr, file=sys.stderr)
        return 1
    figures = asyncio.run(run(url, args.owners))
    figures.update({"database": url.split(":", 1)[0], "python": platform.python_version(),
                    "machine": platform.machine(), "cpus": os.cpu_count() or 0,
                    "measured_at": datetime.now(UTC).isoformat(timespec="seconds")})
    Path(args.output).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
