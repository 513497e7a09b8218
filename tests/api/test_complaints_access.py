from datetime import UTC, datetime

import pytest
import time_machine

from domain.complaints.models import Complaint, ComplaintEvent
from tests.api.test_complaints_support import FILE, act, build_world, dispatched, file, intake, ok
from tests.factories import gid

START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
SHOW = """query($id: ID!) { complaint(id: $id) { id status availableActions complainant { name phone } } }"""
LEDGER = "{ complaints(first: 50) { totalCount edges { node { id } } } }"


@pytest.mark.parametrize(
    ("_case", "token", "mutation", "code"),
    [
        ("_case firm staff cannot accept", "firm", "acceptComplaint", "FORBIDDEN"),
        ("_case an owner cannot accept", "owner", "acceptComplaint", "FORBIDDEN"),
        ("_case another street cannot see the order", "other_street", "acceptComplaint", "NOT_FOUND"),
        ("_case another community cannot see the order", "other_community", "rejectComplaint", "NOT_FOUND"),
        ("_case a committee member cannot act", "committee_member", "acceptComplaint", "FORBIDDEN"),
    ],
)
async def test_a_received_order_is_accepted_only_by_its_territorys_staff(_case, token, mutation, code, gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await file(gql, world)
        payload = await act(gql, world, mutation, token, complaintId=order["id"], reason="x", redirectTo="y") \
            if mutation == "rejectComplaint" else await act(gql, world, mutation, token, complaintId=order["id"])

    assert payload["complaint"] is None and payload["errors"][0]["code"] == code
    assert (await Complaint.get(id=1)).status == "RECEIVED"
    assert await ComplaintEvent.all().count() == 1


@pytest.mark.parametrize(
    ("_case", "token", "mutation", "code"),
    [
        ("_case another firm cannot sign for it", "other_firm", "acknowledgeComplaint", "NOT_FOUND"),
        ("_case community staff cannot sign for the firm", "community", "acknowledgeComplaint", "FORBIDDEN"),
        ("_case the handler cannot record its own return visit", "firm", "recordReturnVisit", "FORBIDDEN"),
        ("_case the handler cannot close", "firm", "closeComplaint", "FORBIDDEN"),
        ("_case an owner cannot resolve", "owner", "resolveComplaint", "FORBIDDEN"),
    ],
)
async def test_a_dispatched_order_is_handled_only_by_its_handler(_case, token, mutation, code, gql, db):
    extra = {"resolveComplaint": {"resolution": "x"}, "recordReturnVisit": {"reached": False}}.get(mutation, {})
    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await dispatched(gql, world)
        payload = await act(gql, world, mutation, token, complaintId=order["id"], **extra)

    assert payload["complaint"] is None and payload["errors"][0]["code"] == code
    assert (await Complaint.get(id=1)).status == "DISPATCHED"
    assert await ComplaintEvent.all().count() == 3


async def test_firm_staff_see_only_orders_dispatched_to_their_firm(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        mine = await dispatched(gql, world)
        await file(gql, world)
        firm_ledger = await gql(LEDGER, token=world.tokens["firm"])
        other_ledger = await gql(LEDGER, token=world.tokens["other_firm"])
        street_ledger = await gql(LEDGER, token=world.tokens["street"])
        unseen = await gql(SHOW, {"id": mine["id"]}, token=world.tokens["other_firm"])

    assert [e["node"]["id"] for e in firm_ledger["complaints"]["edges"]] == [mine["id"]]
    assert other_ledger["complaints"]["totalCount"] == 0
    assert street_ledger["complaints"]["totalCount"] == 2
    assert unseen["complaint"] is None


async def test_an_owner_files_online_for_their_compound_and_sees_only_their_own_orders(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        own = await file(gql, world, token="owner", channel="ONLINE", externalRef=None)
        await file(gql, world)  # filed by the street for somebody else
        ledger = await gql(LEDGER, token=world.tokens["owner"])
        shown = await gql(SHOW, {"id": own["id"]}, token=world.tokens["owner"])
        elsewhere = await gql(FILE, {"input": intake(world, compoundId=gid("Compound", world.other_compound.id))},
                              token=world.tokens["owner"])

    assert [e["node"]["id"] for e in ledger["complaints"]["edges"]] == [own["id"]]
    assert shown["complaint"]["availableActions"] == []
    assert shown["complaint"]["complainant"] == {"name": "张三", "phone": "13812345678"}
    assert elsewhere["fileComplaint"]["errors"][0]["code"] == "FORBIDDEN"
    assert (await Complaint.get(id=1)).complainant_person_id == world.owner.id


async def test_the_complainants_phone_is_masked_for_viewers_without_the_right_to_read_it(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await file(gql, world)
        before_dispatch = await gql(SHOW, {"id": order["id"]}, token=world.tokens["street"])
        await ok(gql, world, "acceptComplaint", "street", complaintId=order["id"])
        await ok(gql, world, "dispatchComplaint", "street", complaintId=order["id"], handlerId=world.firm_gid)
        handler = await gql(SHOW, {"id": order["id"]}, token=world.tokens["firm"])
        await ok(gql, world, "escalateComplaint", "street", complaintId=order["id"],
                 toBodyId=gid("Organisation", world.committee.id), reason="需协调")

    assert before_dispatch["complaint"]["complainant"]["phone"] == "13812345678"
    # the handler has to call the complainant back (签收 means contacted)
    assert handler["complaint"]["complainant"]["phone"] == "13812345678"
    assert handler["complaint"]["availableActions"] == ["ACKNOWLEDGE", "EXTEND", "ESCALATE", "REPORT"]


async def test_the_ledger_and_kpis_refuse_anonymous_callers(gql, db):
    body = await gql(LEDGER, expect_errors=True)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_street_staff_are_offered_the_actions_of_the_table(gql, db):
    with time_machine.travel(START, tick=False):
        world = await build_world()
        order = await file(gql, world)
        shown = await gql(SHOW, {"id": order["id"]}, token=world.tokens["street"])

    assert shown["complaint"]["availableActions"] == ["ACCEPT", "REJECT", "MERGE"]


async def test_the_ledger_filters_by_every_field_of_its_filter(gql, db):
    query = "query($filter: ComplaintFilter) { complaints(filter: $filter) { totalCount } }"
    with time_machine.travel(START, tick=False):
        world = await build_world()
        await dispatched(gql, world, receivedAt="2026-10-30T08:00:00+08:00")
        await file(gql, world, channel="PETITION", title="噪音扰民", externalRef="XF-88",
                   compoundId=gid("Compound", world.compound.id))
        cases = {
            "status": ({"status": ["DISPATCHED"]}, 1),
            "several statuses": ({"status": ["DISPATCHED", "RECEIVED"]}, 2),
            "compound": ({"compoundId": gid("Compound", world.other_compound.id)}, 0),
            "handler": ({"handlerId": world.firm_gid}, 1),
            "channel": ({"channel": "PETITION"}, 1),
            "received from": ({"receivedFrom": "2026-11-01T00:00:00+08:00"}, 1),
            "received to": ({"receivedTo": "2026-11-01T00:00:00+08:00"}, 1),
            "search the title": ({"search": "噪音"}, 1),
            "search the number in lower case": ({"search": "ts-2026-000002"}, 1),
            "search the external reference": ({"search": "xf-88"}, 1),
        }
        counts = {
            name: (await gql(query, {"filter": given}, token=world.tokens["street"]))["complaints"]["totalCount"]
            for name, (given, _) in cases.items()
        }

    assert counts == {name: expected for name, (_, expected) in cases.items()}
