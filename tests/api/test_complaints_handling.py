from datetime import UTC, datetime, timedelta

import time_machine

from domain.audit.models import AuditEvent

from api.complaint_jobs import escalate_overdue_job
from api.settings import Settings
from domain.complaints.models import Complaint, ComplaintEvent, ReturnVisitRecord
from tests.api.test_complaints_support import act, build_world, dispatched, file, ok, timeline
from tests.factories import gid

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Beijing

MERGE = """
mutation Merge($input: MergeComplaintsInput!) {
  mergeComplaints(input: $input) {
    duplicate { id status mergedInto { id } }
    original { id status possibleDuplicates { id } }
    errors { code field message }
  }
}"""

DUPLICATES = "query($id: ID!) { complaint(id: $id) { possibleDuplicates { id } } }"


async def test_a_firm_escalates_to_the_community_and_stays_accountable(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await dispatched(gql, world)
        await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=order["id"])
        escalated = await ok(gql, world, "escalateComplaint", "firm", complaintId=order["id"],
                             toBodyId=gid("Organisation", world.committee.id), reason="需社区协调业主")
        report = await ok(gql, world, "reportComplaintProgress", "community", complaintId=order["id"],
                          note="已约谈业主")
        further = await ok(gql, world, "escalateComplaint", "community", complaintId=order["id"],
                           toBodyId=gid("Organisation", world.street_office.id), reason="涉及多个部门")
        shown = await timeline(gql, world, order["id"], token="firm")

    assert (escalated["status"], escalated["escalationLevel"]) == ("DISPATCHED", 1)
    assert escalated["handler"]["id"] == gid("Organisation", world.committee.id)
    assert report["status"] == "DISPATCHED"
    assert further["escalationLevel"] == 2
    # 首接负责: the firm still sees the order and its whole timeline, co-handlers' reports included
    assert [e["action"] for e in shown["timeline"]][-3:] == ["ESCALATE", "REPORT", "ESCALATE"]
    assert (await Complaint.get(id=1)).accountable_id == world.firm.body_id


async def test_escalating_sideways_or_down_is_invalid(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await dispatched(gql, world)
        down = await act(gql, world, "escalateComplaint", "street", complaintId=order["id"],
                         toBodyId=world.firm_gid, reason="退回")
        foreign = await act(gql, world, "escalateComplaint", "street", complaintId=order["id"],
                            toBodyId=gid("PropertyFirm", world.other_firm.id), reason="退回")

    assert down["errors"][0]["code"] == "INVALID" and down["errors"][0]["field"] == ["toBodyId"]
    assert foreign["errors"][0]["code"] == "INVALID"
    assert (await Complaint.get(id=1)).escalation_level == 0


async def test_the_scheduler_escalates_each_overdue_order_once(gql, db):
    with time_machine.travel(START, tick=False) as clock:
        world = await build_world("beijing")
        urgent = await dispatched(gql, world, urgency="EMERGENCY")
        await dispatched(gql, world, urgency="ORDINARY")
        clock.shift(timedelta(hours=3))
        settings = Settings(database_url="unused", redis_url=None)
        await escalate_overdue_job(settings)
        await escalate_overdue_job(settings)
        shown = await timeline(gql, world, urgent["id"])

    rows = {c.id: c for c in await Complaint.all()}
    assert (rows[1].escalation_level, rows[1].handler_id) == (1, world.committee.id)
    assert rows[2].escalation_level == 0
    assert [e["action"] for e in shown["timeline"]].count("ESCALATE") == 1
    assert shown["isOverdue"] is True


async def test_an_extended_order_falls_overdue_again_and_climbs_one_more_rung(gql, db):
    with time_machine.travel(START, tick=False) as clock:
        world = await build_world("beijing")
        order = await dispatched(gql, world, urgency="EMERGENCY")
        settings = Settings(database_url="unused", redis_url=None)
        clock.shift(timedelta(hours=3))
        await escalate_overdue_job(settings)
        await ok(gql, world, "extendComplaint", "community", complaintId=order["id"],
                 dueAt=(START + timedelta(hours=5)).isoformat(), reason="夜间无法入户")
        clock.shift(timedelta(hours=3))
        await escalate_overdue_job(settings)

    row = await Complaint.get(id=1)
    assert (row.escalation_level, row.handler_id) == (2, world.street_office.id)


async def test_merging_closes_the_duplicate_into_its_original_and_keeps_both_timelines(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        original = await dispatched(gql, world)
        duplicate = await file(gql, world, channel="PROVINCIAL_SYSTEM", externalRef="LU-2026-77")
        other_category = await file(gql, world, category="绿化")
        suspects = await gql(DUPLICATES, {"id": duplicate["id"]}, token=world.tokens["street"])
        merged = await gql(MERGE, {"input": {"duplicateId": duplicate["id"], "originalId": original["id"]}},
                           token=world.tokens["street"])
        kept = await timeline(gql, world, original["id"])
        closed = await timeline(gql, world, duplicate["id"])

    assert [c["id"] for c in suspects["complaint"]["possibleDuplicates"]] == [original["id"]]
    payload = merged["mergeComplaints"]
    assert payload["errors"] == []
    assert payload["duplicate"] == {"id": duplicate["id"], "status": "CLOSED", "mergedInto": {"id": original["id"]}}
    assert payload["original"]["status"] == "DISPATCHED"
    assert other_category["id"] not in [d["id"] for d in payload["original"]["possibleDuplicates"]]
    assert kept["timeline"][-1]["action"] == "ABSORB_DUPLICATE" and duplicate["number"] in kept["timeline"][-1]["note"]
    assert [e["action"] for e in closed["timeline"]] == ["FILE", "MERGE"]
    # One use case, one audit event (issue 15 item 8), naming both orders.
    merges = await AuditEvent.filter(action__in=["mergeComplaints", "absorbDuplicate"])
    assert len(merges) == 1 and duplicate["number"] in merges[0].summary


async def test_merging_into_a_closed_order_is_refused_and_changes_nothing(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        original = await file(gql, world)
        await ok(gql, world, "rejectComplaint", "street", complaintId=original["id"], reason="重复",
                 redirectTo="无")
        duplicate = await file(gql, world)
        merged = await gql(MERGE, {"input": {"duplicateId": duplicate["id"], "originalId": original["id"]}},
                           token=world.tokens["street"])

    assert merged["mergeComplaints"]["errors"][0]["code"] == "INVALID_TRANSITION"
    assert (await Complaint.get(id=2)).status == "RECEIVED"
    assert await ComplaintEvent.filter(complaint_id=2).count() == 1


async def test_an_unreached_complainant_closes_after_the_packs_attempts(gql, db):
    with time_machine.travel(START, tick=False) as clock:
        world = await build_world("national")
        order = await dispatched(gql, world)
        await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=order["id"])
        await ok(gql, world, "resolveComplaint", "firm", complaintId=order["id"], resolution="已修复")
        for _ in range(2):
            clock.shift(timedelta(hours=4))
            await ok(gql, world, "recordReturnVisit", "street", complaintId=order["id"], reached=False)
        early = await act(gql, world, "closeComplaint", "street", complaintId=order["id"])
        before = await timeline(gql, world, order["id"])
        await ok(gql, world, "recordReturnVisit", "street", complaintId=order["id"], reached=False)
        after = await timeline(gql, world, order["id"])
        closed = await ok(gql, world, "closeComplaint", "street", complaintId=order["id"])

    assert early["errors"][0]["code"] == "INVALID_TRANSITION"
    assert "CLOSE_UNREACHED" not in before["availableActions"]
    assert "CLOSE_UNREACHED" in after["availableActions"]
    assert closed["status"] == "CLOSED"
    assert await ReturnVisitRecord.filter(complaint_id=1, reached=False).count() == 3


async def test_a_return_visit_with_satisfaction_but_no_contact_is_invalid(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await dispatched(gql, world)
        await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=order["id"])
        await ok(gql, world, "resolveComplaint", "firm", complaintId=order["id"], resolution="已修复")
        payload = await act(gql, world, "recordReturnVisit", "street", complaintId=order["id"], reached=False,
                            satisfaction="SATISFIED")

    assert payload["errors"][0]["code"] == "INVALID"
    assert await ReturnVisitRecord.all().count() == 0


async def test_two_concurrent_acceptances_let_exactly_one_through(gql, db):
    import asyncio

    from domain.accounts.rules import Role, Viewer
    from domain.complaints import service
    from domain.errors import RuleViolation

    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await file(gql, world)
    staff = Viewer(account_id=None, username="c", roles=frozenset({Role.CENTRE_STAFF}))
    pk = int((await Complaint.get(number=order["number"])).id)

    results = await asyncio.gather(
        *(service.accept_complaint(actor=staff, complaint_id=pk, note="", now=START) for _ in range(2)),
        return_exceptions=True,
    )

    failures = [r for r in results if isinstance(r, RuleViolation)]
    assert len(failures) == 1 and failures[0].code == "INVALID_TRANSITION"
    assert await ComplaintEvent.filter(complaint_id=pk, action="ACCEPT").count() == 1
