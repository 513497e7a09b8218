import asyncio
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from io import BytesIO

import time_machine
from openpyxl import load_workbook

from domain.accounts.models import Account
from domain.accounts.rules import Role, Viewer
from domain.accounts.service import viewer_of
from domain.complaints import service
from domain.complaints.figures import FirmComplaintFigures, firm_complaint_figures
from domain.complaints.rules import Channel, Kind, Urgency
from domain.rulepacks import rule_pack
from api.events import InProcessBroker
from schema.core.context import Context
from schema.root import schema
from tests.api.test_complaints_support import World, build_world, dispatched, file, ok
from tests.conftest import count_queries
from tests.factories import gid

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Beijing
CENTRE = Viewer(account_id=None, username="centre", roles=frozenset({Role.CENTRE_STAFF}))

LEDGER = """
query ComplaintLedger($filter: ComplaintFilter, $first: Int) {
  complaints(filter: $filter, first: $first) {
    totalCount
    edges { node { id number status urgency channel receivedAt dueAt isOverdue availableActions
                   complainant { phone } compound { name } handler { name } accountable { name } } }
  }
}"""

KPIS = """
query($scopeId: ID, $period: Period!) {
  complaintKpis(scopeId: $scopeId, period: $period) {
    received closed responseRate resolutionRate satisfactionRate onTimeRate reopenRate
    meanHoursToClose p90HoursToClose weightedScore rulePack
  }
}"""

COMPOUND = """
query($id: ID!) { compound(id: $id) { openComplaintCount
  complaints(first: 5, filter: {status: [DISPATCHED, IN_PROGRESS]}) {
    totalCount edges { node { id number title status dueAt isOverdue } } } } }"""


async def _orders(world: World, count: int) -> None:
    firm = Viewer(account_id=None, username="f", roles=frozenset({Role.FIRM_STAFF}), firm_id=world.firm.id)
    for n in range(count):
        draft = service.ComplaintDraft(
            compound_id=world.compound.id, channel=Channel.GRID_PATROL, kind=Kind.REPORT, category=f"类{n}",
            urgency=Urgency.ORDINARY, title=f"问题{n}", description="", complainant_name="李四",
            complainant_phone="13900001111", external_ref=None, received_at=START)
        order = await service.file_complaint(actor=CENTRE, draft=draft, now=START)
        await service.accept_complaint(actor=CENTRE, complaint_id=order.id, note="", now=START)
        await service.dispatch_complaint(actor=CENTRE, complaint_id=order.id, handler_id=world.firm.body_id,
                                         note="", now=START)
        if n % 2:
            await service.acknowledge_complaint(actor=firm, complaint_id=order.id, note="", now=START)


async def _ledger_statements(gql, world: World, count: int) -> int:
    await _orders(world, count)
    with count_queries() as statements:
        data = await gql(LEDGER, {"first": 100}, token=world.tokens["street"])
    assert data["complaints"]["totalCount"] >= count
    return len(statements)


async def test_the_ledger_sends_as_many_statements_for_fifty_orders_as_for_five(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        five = await _ledger_statements(gql, world, 5)
        fifty = await _ledger_statements(gql, world, 45)

    assert five == fifty


async def test_kpis_over_a_street_match_the_hand_computed_figures(gql, db):
    with time_machine.travel(START, tick=False) as clock:
        world = await build_world("national")
        a = await dispatched(gql, world)  # acknowledged in time, resolved on time, unsatisfied then satisfied
        b = await dispatched(gql, world)  # acknowledged late, resolved on time, satisfied
        await file(gql, world)  # received only
        clock.shift(timedelta(hours=1))
        await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=a["id"])
        clock.shift(timedelta(hours=24))
        await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=b["id"])
        await ok(gql, world, "resolveComplaint", "firm", complaintId=a["id"], resolution="修复")
        await ok(gql, world, "resolveComplaint", "firm", complaintId=b["id"], resolution="修复")
        await ok(gql, world, "recordReturnVisit", "street", complaintId=a["id"], reached=True, solved=False,
                 satisfaction="UNSATISFIED")
        await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=a["id"])
        await ok(gql, world, "resolveComplaint", "firm", complaintId=a["id"], resolution="再修复")
        for order in (a, b):
            await ok(gql, world, "recordReturnVisit", "street", complaintId=order["id"], reached=True,
                     solved=True, satisfaction="BASICALLY_SATISFIED")
        clock.move_to(START + timedelta(hours=35))  # 35 h after receipt
        await ok(gql, world, "closeComplaint", "street", complaintId=a["id"])
        clock.move_to(START + timedelta(hours=55))
        await ok(gql, world, "closeComplaint", "street", complaintId=b["id"])
        data = await gql(KPIS, {"scopeId": gid("Street", world.street.id), "period": "2026-Q4"},
                         token=world.tokens["street"])
        firm_view = await gql(KPIS, {"scopeId": world.firm_gid, "period": "2026-Q4"}, token=world.tokens["firm"])
        other_quarter = await gql(KPIS, {"period": "2026-Q3"}, token=world.tokens["street"])

    assert data["complaintKpis"] == {
        "received": 3, "closed": 2,
        "responseRate": 2 / 3,  # dispatches: a (in time), b (25 h: late), a's re-dispatch (in time)
        "resolutionRate": 2 / 3, "satisfactionRate": 2 / 3,  # 3 visits: 1 unsolved + 2 solved, basically satisfied
        "onTimeRate": 1.0, "reopenRate": 0.5,  # a was reopened; a and b were visited
        "meanHoursToClose": 45.0, "p90HoursToClose": 55.0,
        # national pack 30/35/35: (30 * 2/3 + 35 * 2/3 + 35 * 2/3) / 100
        "weightedScore": 2 / 3, "rulePack": "national@" + rule_pack("national").version,
    }
    assert firm_view["complaintKpis"]["received"] == 2
    assert other_quarter["complaintKpis"]["received"] == 0
    assert other_quarter["complaintKpis"]["responseRate"] is None


async def test_firm_figures_count_per_firm_in_a_constant_number_of_statements(gql, db):
    with time_machine.travel(START, tick=False) as clock:
        world = await build_world("beijing")
        late = await dispatched(gql, world, urgency="EMERGENCY")
        timely = await dispatched(gql, world, urgency="ORDINARY")
        for order in (late, timely):
            await ok(gql, world, "acknowledgeComplaint", "firm", complaintId=order["id"])
        clock.shift(timedelta(hours=3))
        for order in (late, timely):
            await ok(gql, world, "resolveComplaint", "firm", complaintId=order["id"], resolution="修复")
        await ok(gql, world, "recordReturnVisit", "street", complaintId=late["id"], reached=True, solved=True,
                 satisfaction="UNSATISFIED")

    ids = [world.firm.body_id, world.other_firm.body_id]
    with count_queries() as statements:
        figures = await firm_complaint_figures(firm_body_ids=ids, start=START, end=START + timedelta(days=1))

    assert figures == {
        world.firm.body_id: FirmComplaintFigures(dispatched=3, resolved=2, resolved_on_time=1, unsatisfied_visits=1),
        world.other_firm.body_id: FirmComplaintFigures(0, 0, 0, 0),
    }
    assert len(statements) == 3


async def test_a_compound_shows_its_open_orders(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        sent = await dispatched(gql, world)
        await file(gql, world)
        rejected = await file(gql, world)
        await ok(gql, world, "rejectComplaint", "street", complaintId=rejected["id"], reason="不属实", redirectTo="无")
        data = await gql(COMPOUND, {"id": gid("Compound", world.compound.id)}, token=world.tokens["street"])

    compound = data["compound"]
    assert compound["openComplaintCount"] == 2
    assert compound["complaints"]["totalCount"] == 1
    assert compound["complaints"]["edges"][0]["node"]["id"] == sent["id"]
    assert compound["complaints"]["edges"][0]["node"]["isOverdue"] is False


async def test_staff_download_the_filtered_ledger_as_excel_with_chinese_headers(client, gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        await dispatched(gql, world)
        await file(gql, world, title="绿化带被占")
        response = await client.get("/complaints/ledger.xlsx", params={"status": "DISPATCHED"},
                                    headers={"Authorization": f"Bearer {world.tokens['street']}"})
        refused = await client.get("/complaints/ledger.xlsx",
                                   headers={"Authorization": f"Bearer {world.tokens['owner']}"})
        anonymous = await client.get("/complaints/ledger.xlsx")
        bad = await client.get("/complaints/ledger.xlsx", params={"status": "LOST"},
                               headers={"Authorization": f"Bearer {world.tokens['street']}"})

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("工单编号", "外部编号", "渠道", "诉求类型")
    assert len(rows) == 2 and rows[1][0] == "TS-2026-000001" and rows[1][11] == "已派单"
    assert rows[1][10] == datetime(2026, 11, 2, 9, 0)  # Beijing time
    assert (refused.status_code, anonymous.status_code, bad.status_code) == (403, 401, 400)


async def test_a_new_order_in_scope_is_pushed_to_subscribers(db):
    broker = InProcessBroker()
    with time_machine.travel(START, tick=False):
        world = await build_world()
    accounts = {a.username: a for a in await Account.filter(username__in=["street", "other-street"])}
    street = viewer_of(accounts["street"])
    other = viewer_of(accounts["other-street"])
    subscription = "subscription { complaintAlerts { kind complaint { number } } }"
    mine = await schema.subscribe(subscription, context_value=Context(viewer=street, now=START, events=broker))
    theirs = await schema.subscribe(subscription, context_value=Context(viewer=other, now=START, events=broker))
    first_mine, first_theirs = asyncio.ensure_future(mine.__anext__()), asyncio.ensure_future(theirs.__anext__())
    for _ in range(2000):  # let both subscribers reach the broker (scheduling, not the clock)
        if len(broker._queues.get("complaints", ())) == 2:
            break
        await asyncio.sleep(0.001)

    mutation = """mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { errors { code } } }"""
    filed = await schema.execute(mutation, {"input": {
        "compoundId": gid("Compound", world.compound.id), "channel": "WALK_IN", "kind": "HELP", "category": "水电",
        "urgency": "UTILITY", "title": "停水", "complainant": {"name": "王五"}}},
        context_value=Context(viewer=street, now=START, events=broker))
    alert = await asyncio.wait_for(first_mine, timeout=5)

    assert filed.errors is None and filed.data == {"fileComplaint": {"errors": []}}
    assert alert.data == {"complaintAlerts": {"kind": "NEW", "complaint": {"number": "TS-2026-000001"}}}
    assert not first_theirs.done()
    first_theirs.cancel()
    with suppress(asyncio.CancelledError):
        await first_theirs
    await mine.aclose()
    await theirs.aclose()


async def test_an_order_falling_overdue_is_pushed_to_subscribers_in_scope(db, monkeypatch):
    import schema.complaints.subscriptions as alerts

    monkeypatch.setattr(alerts, "OVERDUE_SCAN_SECONDS", 0.01)
    subscription = "subscription { complaintAlerts { kind complaint { number isOverdue } } }"
    with time_machine.travel(START, tick=False) as clock:
        world = await build_world("beijing")
        street = viewer_of(await Account.get(username="street"))
        firm = Viewer(account_id=None, username="f", roles=frozenset({Role.FIRM_STAFF}), firm_id=world.firm.id)
        draft = service.ComplaintDraft(
            compound_id=world.compound.id, channel=Channel.HOTLINE_12345, kind=Kind.HELP, category="燃气",
            urgency=Urgency.EMERGENCY, title="燃气泄漏", description="", complainant_name="赵六",
            complainant_phone=None, external_ref=None, received_at=START)
        order = await service.file_complaint(actor=CENTRE, draft=draft, now=START)
        await service.accept_complaint(actor=CENTRE, complaint_id=order.id, note="", now=START)
        await service.dispatch_complaint(actor=CENTRE, complaint_id=order.id, handler_id=world.firm.body_id,
                                         note="", now=START)
        await service.acknowledge_complaint(actor=firm, complaint_id=order.id, note="", now=START)
        stream = await schema.subscribe(subscription, context_value=Context(viewer=street, now=START))
        pending = asyncio.ensure_future(stream.__anext__())
        clock.shift(timedelta(hours=2, minutes=1))
        alert = await asyncio.wait_for(pending, timeout=10)
        await stream.aclose()

    assert alert.data == {"complaintAlerts": {"kind": "OVERDUE",
                                              "complaint": {"number": order.number, "isOverdue": True}}}


async def test_the_excel_export_sends_as_many_statements_for_fifty_orders_as_for_five(client, gql, db):
    async def export_statements(count: int) -> int:
        await _orders(world, count)
        with count_queries() as statements:
            response = await client.get("/complaints/ledger.xlsx",
                                        headers={"Authorization": f"Bearer {world.tokens['street']}"})
        assert response.status_code == 200
        return len(statements)

    with time_machine.travel(START, tick=False):
        world = await build_world()
        five = await export_statements(5)
        fifty = await export_statements(45)

    assert five == fifty
