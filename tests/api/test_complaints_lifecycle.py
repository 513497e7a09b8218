from datetime import UTC, datetime, timedelta

import time_machine

from domain.audit.models import AuditEvent
from domain.complaints.models import Complaint, ComplaintEvent
from domain.rulepacks import rule_pack
from tests.api.test_complaints_support import (
    TIMELINE,
    act,
    build_world,
    dispatched,
    file,
    instant,
    ok,
    timeline,
)
from tests.factories import gid

# 2026-09-30 10:00 in Beijing, the day before the National Day holiday
RECEIVED = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)


async def test_one_order_walks_the_whole_loop_with_a_second_handling(gql, db):
    with time_machine.travel(RECEIVED, tick=False) as clock:
        world = await build_world("national")
        order = await file(gql, world, receivedAt="2026-09-30T09:30:00+08:00")
        cid = order["id"]
        assert order["number"].startswith("TS-2026-") and order["status"] == "RECEIVED"
        assert instant(order["receivedAt"]) == datetime(2026, 9, 30, 1, 30, tzinfo=UTC)

        assert (await ok(gql, world, "acceptComplaint", "street", complaintId=cid, note="属实"))["status"] == "ACCEPTED"
        sent = await ok(gql, world, "dispatchComplaint", "street", complaintId=cid, handlerId=world.firm_gid)
        # 5 working days across National Day, counting the make-up Saturday 10-10: due at the end of 10-13
        assert sent["status"] == "DISPATCHED"
        assert instant(sent["dueAt"]) == datetime(2026, 10, 13, 15, 59, 59, tzinfo=UTC)
        assert sent["handler"]["id"] == world.firm_gid
        signing = await gql("query($id: ID!) { complaint(id: $id) { acknowledgeBy } }", {"id": cid},
                            token=world.tokens["firm"])
        limit = rule_pack("national").complaints.acknowledge_hours  # type: ignore[union-attr]
        assert instant(signing["complaint"]["acknowledgeBy"]) == RECEIVED + timedelta(hours=limit)

        clock.shift(timedelta(hours=1))
        assert (await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=cid))["status"] == "IN_PROGRESS"
        clock.move_to(datetime(2026, 10, 9, 3, 0, tzinfo=UTC))
        resolved = await ok(gql, world, "resolveComplaint", "firm", complaintId=cid, resolution="已更换控制板")
        assert resolved["status"] == "RESOLVED"

        clock.move_to(datetime(2026, 10, 10, 2, 0, tzinfo=UTC))  # the make-up working Saturday
        back = await ok(gql, world, "recordReturnVisit", "street", complaintId=cid, reached=True, solved=False,
                        satisfaction="UNSATISFIED", note="仍有异响")
        assert (back["status"], back["reopenCount"]) == ("DISPATCHED", 1)
        assert instant(back["dueAt"]) == datetime(2026, 10, 16, 15, 59, 59, tzinfo=UTC)

        clock.shift(timedelta(hours=2))
        await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=cid)
        clock.shift(timedelta(days=2))
        await ok(gql, world, "resolveComplaint", "firm", complaintId=cid, resolution="已更换曳引机轴承")
        clock.shift(timedelta(days=1))
        visited = await ok(gql, world, "recordReturnVisit", "street", complaintId=cid, reached=True, solved=True,
                           satisfaction="SATISFIED")
        assert (visited["status"], visited["reopenCount"]) == ("RETURN_VISITED", 1)
        closed = await ok(gql, world, "closeComplaint", "street", complaintId=cid, note="销号")

        assert closed["status"] == "CLOSED" and closed["closedAt"] is not None
        shown = await timeline(gql, world, cid)
    assert shown["reopenCount"] == 1 and shown["availableActions"] == [] and shown["isOverdue"] is False
    assert [(e["action"], e["fromStatus"], e["toStatus"]) for e in shown["timeline"]] == [
        ("FILE", None, "RECEIVED"),
        ("ACCEPT", "RECEIVED", "ACCEPTED"),
        ("DISPATCH", "ACCEPTED", "DISPATCHED"),
        ("ACKNOWLEDGE", "DISPATCHED", "IN_PROGRESS"),
        ("RESOLVE", "IN_PROGRESS", "RESOLVED"),
        ("REOPEN", "RESOLVED", "DISPATCHED"),
        ("ACKNOWLEDGE", "DISPATCHED", "IN_PROGRESS"),
        ("RESOLVE", "IN_PROGRESS", "RESOLVED"),
        ("RETURN_VISIT", "RESOLVED", "RETURN_VISITED"),
        ("CLOSE", "RETURN_VISITED", "CLOSED"),
    ]
    ats = [instant(e["at"]) for e in shown["timeline"]]
    assert ats == sorted(ats)
    assert [e["actor"]["username"] for e in shown["timeline"]][:4] == ["street", "street", "street", "firm"]
    audited = await AuditEvent.filter(entity_type="Complaint").order_by("id").values_list("action", flat=True)
    assert audited == [
        "fileComplaint", "acceptComplaint", "dispatchComplaint", "acknowledgeComplaint", "resolveComplaint",
        "recordReturnVisit", "acknowledgeComplaint", "resolveComplaint", "recordReturnVisit", "closeComplaint",
    ]


async def test_order_numbers_count_up_within_the_year(gql, db):
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        first = await file(gql, world)
        second = await file(gql, world, channel="PROVINCIAL_SYSTEM", externalRef=None)

    assert (first["number"], second["number"]) == ("TS-2026-000001", "TS-2026-000002")


async def test_a_receipt_in_the_future_is_refused_and_nothing_is_filed(gql, db):
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        from tests.api.test_complaints_support import FILE, intake

        data = await gql(FILE, {"input": intake(world, receivedAt="2026-09-30T11:00:00+08:00")},
                         token=world.tokens["street"])

    assert data["fileComplaint"] == {"complaint": None, "errors": [
        {"code": "INVALID", "field": ["receivedAt"], "message": "受理时间不能晚于当前时间"}]}
    assert await Complaint.all().count() == 0


async def test_an_unknown_compound_is_not_found(gql, db):
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        from tests.api.test_complaints_support import FILE, intake

        data = await gql(FILE, {"input": intake(world, compoundId=gid("Compound", 999))},
                         token=world.tokens["centre"])

    assert data["fileComplaint"]["errors"][0]["code"] == "NOT_FOUND"


async def test_every_channel_of_the_contract_can_file(gql, db):
    channels = ["HOTLINE_12345", "PROVINCIAL_SYSTEM", "PETITION", "PUBLIC_OPINION", "GRID_PATROL", "WALK_IN",
                "ONLINE", "MEETING"]
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        filed = [await file(gql, world, channel=channel) for channel in channels]

    assert [c["channel"] for c in filed] == channels


async def test_rejection_records_the_reason_and_where_to_go(gql, db):
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        order = await file(gql, world)
        refused = await act(gql, world, "rejectComplaint", "street", complaintId=order["id"], reason="",
                            redirectTo="区住建委")
        rejected = await ok(gql, world, "rejectComplaint", "street", complaintId=order["id"],
                            reason="属于商品房质量纠纷", redirectTo="区住建委")
        again = await act(gql, world, "acceptComplaint", "street", complaintId=order["id"])

    assert refused["errors"][0]["code"] == "INVALID" and refused["errors"][0]["field"] == ["reason"]
    assert rejected["status"] == "REJECTED"
    assert again["errors"][0]["code"] == "INVALID_TRANSITION"
    row = await Complaint.get(id=1)
    assert (row.reject_reason, row.redirect_to) == ("属于商品房质量纠纷", "区住建委")


async def test_an_invalid_transition_changes_nothing(gql, db):
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        order = await file(gql, world)
        payload = await act(gql, world, "resolveComplaint", "centre", complaintId=order["id"], resolution="x")

    assert payload["errors"][0]["code"] == "INVALID_TRANSITION" and payload["complaint"] is None
    assert (await Complaint.get(id=1)).status == "RECEIVED"
    assert await ComplaintEvent.all().count() == 1


async def test_extension_moves_the_deadline_and_is_on_the_timeline(gql, db):
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        order = await dispatched(gql, world)
        due = instant(order["dueAt"])
        earlier = await act(gql, world, "extendComplaint", "firm", complaintId=order["id"],
                            dueAt=(due - timedelta(days=1)).isoformat(), reason="等待配件")
        extended = await ok(gql, world, "extendComplaint", "firm", complaintId=order["id"],
                            dueAt=(due + timedelta(days=3)).isoformat(), reason="等待配件")
        shown = await timeline(gql, world, order["id"])

    assert earlier["errors"][0]["field"] == ["dueAt"]
    assert instant(extended["dueAt"]) == due + timedelta(days=3) and extended["status"] == "DISPATCHED"
    assert shown["timeline"][-1]["action"] == "EXTEND" and shown["timeline"][-1]["note"] == "等待配件"


async def test_an_order_past_its_deadline_is_overdue_and_filtered(gql, db):
    ledger = """query($filter: ComplaintFilter) { complaints(filter: $filter) { totalCount edges { node {
                number isOverdue } } } }"""
    with time_machine.travel(RECEIVED, tick=False) as clock:
        world = await build_world("beijing")
        urgent = await dispatched(gql, world, urgency="EMERGENCY")
        await dispatched(gql, world, urgency="ORDINARY")
        clock.shift(timedelta(hours=2, seconds=1))
        overdue = await gql(ledger, {"filter": {"overdue": True}}, token=world.tokens["street"])
        timely = await gql(ledger, {"filter": {"overdue": False}}, token=world.tokens["street"])
        shown = await gql(TIMELINE, {"id": urgent["id"]}, token=world.tokens["street"])

    assert instant(urgent["dueAt"]) == RECEIVED + timedelta(hours=2)
    assert overdue["complaints"]["totalCount"] == 1 and overdue["complaints"]["edges"][0]["node"]["isOverdue"]
    assert timely["complaints"]["totalCount"] == 1
    assert shown["complaint"]["isOverdue"] is True


async def test_an_order_in_hand_without_a_deadline_is_listed_as_not_overdue(gql, db):
    ledger = "query($filter: ComplaintFilter) { complaints(filter: $filter) { totalCount edges { node { isOverdue } } } }"
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world("beijing")
        await dispatched(gql, world, urgency="ORDINARY")
        await Complaint.all().update(due_at=None)  # the one order in hand
        timely = await gql(ledger, {"filter": {"overdue": False}}, token=world.tokens["street"])
        late = await gql(ledger, {"filter": {"overdue": True}}, token=world.tokens["street"])

    assert timely["complaints"]["totalCount"] == 1 and timely["complaints"]["edges"][0]["node"]["isOverdue"] is False
    assert late["complaints"]["totalCount"] == 0


async def test_staff_can_link_a_registered_complainant_and_an_unknown_one_is_not_found(gql, db):
    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
        await file(gql, world, complainantPersonId=gid("Person", world.owner.id))
        from tests.api.test_complaints_support import FILE, intake

        data = await gql(FILE, {"input": intake(world, complainantPersonId=gid("Person", 999))},
                         token=world.tokens["street"])

    assert (await Complaint.get(id=1)).complainant_person_id == world.owner.id
    assert data["fileComplaint"]["errors"][0]["code"] == "NOT_FOUND"
    assert data["fileComplaint"]["errors"][0]["field"] == ["complainantPersonId"]


async def test_concurrent_intake_hands_out_distinct_numbers(gql, db):
    import asyncio

    from domain.accounts.rules import Role, Viewer
    from domain.complaints import service
    from domain.complaints.rules import Channel, Kind, Urgency

    with time_machine.travel(RECEIVED, tick=False):
        world = await build_world()
    staff = Viewer(account_id=None, username="c", roles=frozenset({Role.CENTRE_STAFF}))
    draft = service.ComplaintDraft(
        compound_id=world.compound.id, channel=Channel.WALK_IN, kind=Kind.HELP, category="水电",
        urgency=Urgency.UTILITY, title="停电", description="", complainant_name="王五", complainant_phone=None,
        external_ref=None, received_at=RECEIVED)

    filed = await asyncio.gather(
        *(service.file_complaint(actor=staff, draft=draft, now=RECEIVED) for _ in range(8)))

    assert sorted(c.number for c in filed) == [f"TS-2026-{n:06d}" for n in range(1, 9)]
