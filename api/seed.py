"""`python -m api seed-demo`: a deterministic demo data set in Chinese, from a district (scale 1) to a city.

The same seed gives the same data set (Faker zh_CN and random.Random, both seeded). Rows are built in memory
street by street (api.seed_plan) with pre-assigned ids and written with bulk inserts in batches, one transaction
per street, so that scale 25 (1,000 compounds, 300,000 units) loads in minutes on SQLite and PostgreSQL.

No audit events are written for the structure: the audit log records what people did through the API, and a bulk
demo load is not such an act (it would also add one hash-chained row per inserted row for nothing). At scale 1 the
district then gets a little area activity (committees, complaints, meetings, an evaluation) through the domain
services (api.seed_activity), which audit themselves like any other use case.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import UTC, date, datetime
from datetime import time as clock

from argon2 import PasswordHasher
from faker import Faker
from tortoise import connections
from tortoise.models import Model
from tortoise.transactions import in_transaction

from api.progress import Progress, Silent
from api.seed_activity import seed_activity
from api.seed_names import NameBook
from api.seed_plan import DemoPlanner, IdCounter, Rows
from domain.accounts.models import Account
from domain.accounts.rules import Role
from domain.bodies.models import Body, Membership
from domain.firms.models import ContractCompound, PropertyFirm, ServiceContract
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit

DEMO_PASSWORD = "tongxin-demo"
BATCH_SIZE = 5_000
# Foreign keys point backwards in this list, so writing in this order never references a missing row.
WRITE_ORDER: list[type[Model]] = [
    Street, Community, Compound, Person, Unit, Ownership, Body, PropertyFirm, Membership, ServiceContract,
    ContractCompound, Account,
]


async def seed_demo(*, scale: int, seed: int, today: date | None = None, progress: Progress | None = None) -> str:
    """Loads the demo data set into an empty database and returns a one-line summary; does nothing if the
    database already has streets."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    if await Street.exists():
        return "数据库中已有街道，未载入示例数据 — the database already has streets; nothing was seeded"
    started = time.perf_counter()
    now = datetime.now(UTC)
    today = today or now.date()
    faker = Faker("zh_CN")
    faker.seed_instance(seed)
    rng = random.Random(seed)
    next_id = IdCounter({model: await _next_free_id(model) for model in WRITE_ORDER})
    planner = DemoPlanner(scale=scale, names=NameBook(faker, rng), rng=rng, today=today, now=now, next_id=next_id)
    totals: Counter[str] = Counter()
    modes: Counter[str] = Counter()
    progress = progress or Silent()

    try:
        city = planner.city()
        firms = Rows()
        planner.firm_rows(8 * scale, firms)
        await _write(firms, totals)
        first_street = first_community = None
        progress.start(f"streets (scale {scale})", len(city.streets))
        for s in range(len(city.streets)):
            rows = Rows()
            planner.street_rows(city, s, rows)
            first_street = first_street or rows.by_model[Street][0].pk
            first_community = first_community or rows.by_model[Community][0].pk
            modes.update(str(c.management_mode) for c in rows.by_model[Compound])  # type: ignore[attr-defined]
            await _write(rows, totals)
            progress.advance()
        accounts = await _demo_accounts(next_id, now, street_id=first_street, community_id=first_community,
                                        firm_id=planner.firms[0].firm.pk)
        totals["Account"] += len(accounts)
    finally:
        await _advance_sequences()  # also after a failure, so that later inserts do not collide
    activity = ""
    if scale == 1:  # larger scales stay a bulk load of structure only
        base = now if today == now.date() else datetime.combine(today, clock(4), UTC)
        progress.start("area activity (committees, complaints, meetings, evaluation)", 1)
        activity = "；" + await seed_activity(rng=random.Random(seed * 7919 + 1), base=base)
        progress.advance()
    seconds = time.perf_counter() - started
    return (
        f"示例数据已载入（seed={seed}，scale={scale}，{seconds:.1f} 秒）：{totals['Street']} 个街道、"
        f"{totals['Community']} 个社区、{totals['Compound']} 个小区（专业物业 {modes['PROFESSIONAL_FIRM']}、"
        f"社区代管 {modes['COMMUNITY_CUSTODIAL']}、居民自治 {modes['SELF_MANAGED']}、无物业 {modes['NONE']}）、"
        f"{totals['Unit']} 套房屋、{totals['Person']} 人、{totals['Ownership']} 条产权登记、"
        f"{totals['PropertyFirm']} 家物业企业、{totals['ServiceContract']} 份服务合同；"
        f"演示账号 {', '.join(accounts) or '（均已存在）'}，密码 {DEMO_PASSWORD}{activity}"
    )


async def _next_free_id(model: type[Model]) -> int:
    largest = await model.all().order_by("-id").limit(1).values_list("id", flat=True)
    return int(largest[0]) + 1 if largest else 1


async def _write(rows: Rows, totals: Counter[str]) -> None:
    async with in_transaction() as connection:
        for model in WRITE_ORDER:
            items = rows.by_model.get(model)
            if items:
                await model.bulk_create(items, batch_size=BATCH_SIZE, using_db=connection)
                totals[model.__name__] += len(items)


async def _demo_accounts(next_id: IdCounter, now: datetime, *, street_id: int | None, community_id: int | None,
                         firm_id: int) -> list[str]:
    """admin, centre, street, community and firm, anchored to the first street, community and firm; an account
    whose username already exists is left alone."""
    wanted = [
        ("admin", Role.CENTRE_ADMIN, {}),
        ("centre", Role.CENTRE_STAFF, {}),
        ("street", Role.STREET_STAFF, {"street_id": street_id}),
        ("community", Role.COMMUNITY_STAFF, {"community_id": community_id}),
        ("firm", Role.FIRM_STAFF, {"firm_id": firm_id}),
    ]
    taken = set(await Account.filter(username__in=[w[0] for w in wanted]).values_list("username", flat=True))
    # One hash for the five demo accounts: they share a published password anyway, and argon2 is slow on purpose.
    password_hash = PasswordHasher().hash(DEMO_PASSWORD)
    created = [
        Account(id=next_id(Account), username=username, password_hash=password_hash, roles=role.value,
                created_at=now, **anchor)
        for username, role, anchor in wanted if username not in taken
    ]
    if created:
        await Account.bulk_create(created)
    return [f"{a.username}（{a.roles}）" for a in created]


async def _advance_sequences() -> None:
    """PostgreSQL serial sequences do not move on explicit ids: move them past the rows just written."""
    connection = connections.get("default")
    if connection.capabilities.dialect != "postgres":
        return  # SQLite's AUTOINCREMENT follows the largest id by itself
    for model in WRITE_ORDER:
        table = model._meta.db_table
        await connection.execute_script(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM \"{table}\"), false)"
        )
