"""`python -m api escalate-overdue`, run as a scheduler would: a process against a migrated database."""

from __future__ import annotations

import asyncio
import sqlite3

from tests.api.test_cli import database_url, run_cli  # noqa: F401 - the fixture is used by name

OVERDUE_ORDER = """
INSERT INTO street (id, name, rule_pack, created_at) VALUES (1, '和平街道', 'beijing', '2026-11-01 00:00:00+00:00');
INSERT INTO community (id, street_id, name, created_at) VALUES (1, 1, '幸福社区', '2026-11-01 00:00:00+00:00');
INSERT INTO compound (id, community_id, street_id, name, address, management_mode, is_old_compound,
    is_standardised, is_red_property, household_count, total_exclusive_area, created_at)
    VALUES (1, 1, 1, '阳光花园', '', 'PROFESSIONAL_FIRM', FALSE, FALSE, FALSE, 0, 0, '2026-11-01 00:00:00+00:00');
INSERT INTO body (id, kind, name, created_at) VALUES (1, 'PROPERTY_FIRM', '安居物业', '2026-11-01 00:00:00+00:00');
INSERT INTO body (id, kind, name, community_id, street_id, created_at)
    VALUES (2, 'RESIDENTS_COMMITTEE', '幸福社区居委会', 1, 1, '2026-11-01 00:00:00+00:00');
INSERT INTO complaint (id, number, year, sequence, compound_id, community_id, street_id, channel, kind, category,
    urgency, title, description, complainant_name, received_at, filed_at, status, version, handler_id,
    accountable_id, rule_pack, due_at, dispatched_at, reopen_count, escalation_level, unreached_attempts)
    VALUES (1, 'TS-2026-000001', 2026, 1, 1, 1, 1, 'HOTLINE_12345', 'HELP', '燃气', 'EMERGENCY', '燃气泄漏', '',
    '赵六', '2026-11-01 00:00:00+00:00', '2026-11-01 00:00:00+00:00', 'DISPATCHED', 2, 1, 1, 'beijing@1',
    '2026-11-01 02:00:00+00:00', '2026-11-01 00:00:00+00:00', 0, 0, 0);
"""


def _execute(url: str, script: str) -> None:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("sqlite://", 1)[1]) as db:
            db.executescript(script)
        return

    async def run() -> None:
        import asyncpg

        conn = await asyncpg.connect(url)
        try:
            await conn.execute(script)
        finally:
            await conn.close()

    asyncio.run(run())


def test_the_scheduler_command_escalates_overdue_orders_of_a_migrated_database(database_url):  # noqa: F811
    assert run_cli(database_url, "migrate").returncode == 0
    _execute(database_url, OVERDUE_ORDER)

    first = run_cli(database_url, "escalate-overdue")
    again = run_cli(database_url, "escalate-overdue")

    assert first.returncode == 0, first.stderr
    assert "escalated 1 overdue complaint(s)" in first.stdout
    assert "escalated 0 overdue complaint(s)" in again.stdout
