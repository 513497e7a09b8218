"""What the read policies cost (issue 15 item 1): CPU per request and SQL statements per request, in process on a
fresh SQLite file, for a public list (compounds) and a guarded list with personal data (persons with phone and ID
number), as centre staff (no filter) and as street staff (policy subqueries + personal-data facts).

    .venv/bin/python bench/read_policy.py            # writes bench/results/read-policy.json
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from tortoise import Tortoise

from api.settings import MODEL_MODULES, connection_config
from domain.accounts.rules import Role, Viewer
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit
from domain.geography.rules import AreaSource, ManagementMode, UnitKind
from schema.core.context import Context
from schema.root import schema

ROWS, ROUNDS = 100, 30
DOCUMENTS = {
    "compounds": "{ compounds(first: 100) { totalCount edges { node { id name community { name } "
                 "street { name } } } } }",
    "persons": "{ persons(first: 100) { totalCount edges { node { id name phone idNumber } } } }",
}


async def _seed() -> Street:
    now = datetime.now(UTC)
    street = await Street.create(name="街道", rule_pack="national", created_at=now)
    community = await Community.create(street_id=street.id, name="社区", created_at=now)
    for n in range(ROWS):
        compound = await Compound.create(community_id=community.id, street_id=street.id, name=f"小区{n}",
                                         management_mode=ManagementMode.PROFESSIONAL_FIRM, created_at=now)
        unit = await Unit.create(compound_id=compound.id, building="1", number=str(n), kind=UnitKind.DWELLING,
                                 area=Decimal("90"), area_source=AreaSource.REGISTRY, created_at=now)
        person = await Person.create(name=f"业主{n}", phone="13812345678", id_number=None, created_at=now)
        await Ownership.create(unit_id=unit.id, person_id=person.id, since=date(2026, 1, 1))
    return street


async def _measure(document: str, viewer: Viewer) -> dict[str, float]:
    statements: list[str] = []

    class Count(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            statements.append(record.getMessage())

    logger = logging.getLogger("tortoise.db_client")
    handler = Count()
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    started = time.process_time()
    for _ in range(ROUNDS):
        result = await schema.execute(document, context_value=Context(viewer=viewer, now=datetime.now(UTC)))
        assert not result.errors, result.errors
    cpu = (time.process_time() - started) / ROUNDS * 1000
    logger.removeHandler(handler)
    return {"cpu_ms_per_request": round(cpu, 2), "statements_per_request": len(statements) / ROUNDS}


async def main() -> None:
    folder = tempfile.mkdtemp()
    await Tortoise.init(config={"connections": {"default": connection_config(f"sqlite://{folder}/bench.sqlite3")},
                                "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
                                "use_tz": True, "timezone": "UTC"})
    await Tortoise.generate_schemas()
    street = await _seed()
    viewers = {
        "centre": Viewer(account_id=1, username="centre", roles=frozenset({Role.CENTRE_STAFF})),
        "street": Viewer(account_id=2, username="street", roles=frozenset({Role.STREET_STAFF}), street_id=street.id),
    }
    figures = {}
    for name, document in DOCUMENTS.items():
        for who, viewer in viewers.items():
            await _measure(document, viewer)  # warm-up
            figures[f"{name} as {who}"] = await _measure(document, viewer)
            print(f"{name:10} as {who:7} {figures[f'{name} as {who}']}")
    await Tortoise.close_connections()
    out = Path(__file__).parent / "results" / "read-policy.json"
    out.write_text(json.dumps({"rows": ROWS, "rounds": ROUNDS, "backend": "sqlite", "figures": figures}, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
