"""Deadlines in a year whose statutory holidays are not loaded: stored as provisional, never escalated automatically,
recounted once the operator loads the year's schedule."""

from datetime import UTC, datetime, timedelta

import time_machine

from api.complaint_jobs import escalate_overdue_job
from api.settings import Settings
from domain.complaints.models import Complaint
from domain.workdays import use_holiday_dir
from tests.api.test_complaints_support import dispatched, build_world

# Monday 28 December 2026, 09:00 in Beijing; national pack: ORDINARY = 5 working days
START = datetime(2026, 12, 28, 1, 0, tzinfo=UTC)

HOLIDAYS_2027 = """
year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知 (test data, not the real notice)"
days_off = ["2027-01-01"]
"""


async def test_a_deadline_into_an_unloaded_year_is_provisional_and_not_escalated(gql, db, capsys):
    with time_machine.travel(START, tick=False) as clock:
        world = await build_world("national")
        await dispatched(gql, world, urgency="ORDINARY")
        clock.move_to(datetime(2027, 1, 10, 1, 0, tzinfo=UTC))
        await escalate_overdue_job(Settings(database_url="unused", redis_url=None))

    row = await Complaint.get(id=1)
    # 29, 30, 31 Dec, then Fri 1 and Mon 4 Jan counted Monday–Friday: due 4 January, marked provisional
    assert row.due_provisional is True
    assert row.due_at == datetime(2027, 1, 4, 15, 59, 59, tzinfo=UTC)
    assert row.escalation_level == 0
    assert "provisional deadline: the statutory holidays of 2027 are not loaded" in capsys.readouterr().out


async def test_loading_the_years_schedule_recounts_the_deadline_before_escalating(gql, db, tmp_path):
    (tmp_path / "2027.toml").write_text(HOLIDAYS_2027, encoding="utf-8")
    try:
        with time_machine.travel(START, tick=False) as clock:
            world = await build_world("national")
            await dispatched(gql, world, urgency="ORDINARY")
            clock.move_to(datetime(2027, 1, 10, 1, 0, tzinfo=UTC))
            # the operator's directory, as TONGXIN_HOLIDAYS_DIR sets it
            await escalate_overdue_job(Settings(database_url="unused", redis_url=None, holidays_dir=str(tmp_path)))
    finally:
        use_holiday_dir(None)

    row = await Complaint.get(id=1)
    # 1 January is a holiday: the fifth working day is Tuesday 5 January, now definitive and passed
    assert row.due_provisional is False
    assert row.due_at == datetime(2027, 1, 5, 15, 59, 59, tzinfo=UTC)
    assert row.escalation_level == 1


DUE = "query($id: ID!) { complaint(id: $id) { dueAt dueIsProvisional } }"


async def test_the_api_shows_whether_a_due_date_is_provisional(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world("national")
        into_2027 = await dispatched(gql, world, urgency="ORDINARY")
        in_hours = await dispatched(gql, world, urgency="EMERGENCY", category="电梯")
        shown = [(await gql(DUE, {"id": o["id"]}, token=world.tokens["street"]))["complaint"]
                 for o in (into_2027, in_hours)]

    assert shown[0] == {"dueAt": "2027-01-04T15:59:59+00:00", "dueIsProvisional": True}
    assert shown[1]["dueIsProvisional"] is False


async def test_an_extension_sets_a_definitive_date(gql, db):
    from tests.api.test_complaints_support import ok

    with time_machine.travel(START, tick=False):
        world = await build_world("national")
        order = await dispatched(gql, world, urgency="ORDINARY")
        await ok(gql, world, "extendComplaint", "community", complaintId=order["id"],
                 dueAt=(START + timedelta(days=14)).isoformat(), reason="等待配件")

    assert (await Complaint.get(id=1)).due_provisional is False
