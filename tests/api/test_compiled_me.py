"""The compiled `me` root (api.compiled.me) answers exactly as the resolvers of the owners' app do, on both
databases, for owners of every kind (one unit, several units, co-owners, the developer's representative, before and
after voting), for staff and anonymous callers (`me` is null), and never serves one person's `me` to another.

The demo city (scale 1) gives the compounds, firms and committees; the owners, their votes and notifications are
added here through the use cases, as tests/api/test_owners_app.py does.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.seed import seed_demo
from api.settings import Settings
from domain.accounts.rules import Role
from domain.bodies.rules import BodyKind
from domain.geography.models import Community, Compound, Ownership
from domain.notifications.models import Notification
from domain.owners.throttle import LimitsThrottle, use_throttle
from tests import factories as f
from tests.api.test_compiled_reads import _endpoint, _post
from tests.conftest import count_queries, make_token
from tests.contract.operations import contract_operations
from tests.owners_support import FUND, assembly, election

OWNER_APP = {op.name: op.document for op in contract_operations() if op.file.startswith("owner/")}
ME_OPERATIONS = [op for op in contract_operations() if op.kind == "query" and "me {" in op.document]
CAST = """mutation C($input: CastMyBallotInput!) { castMyBallot(input: $input) { errors { code } } }"""
READ = """mutation R($input: MarkNotificationReadInput!) { markNotificationRead(input: $input) { errors { code } } }"""
REGISTER = """mutation Register($input: RegisterUnitsInput!) {
  registerUnits(input: $input) { units { id } errors { code field message } } }"""
# Every compiled field of `me`, as selections for the generated documents.
ME_FIELDS = [
    "__typename",
    "person { id name phone idNumber isPartyMember __typename }",
    ("units { id building entrance number kind area areaSource heldByDeveloper __typename"
    " compound { id name householdCount totalExclusiveArea } }"),
    ("compounds { id name managementMode openComplaintCount servingFirm { id name creditGrade listing }"
    " ownersCommittee { id name status termEndsOn partyMemberShare } }"),
    ("openVotes { __typename seatLabel agendaItem { id position title description decisionRule matter scopeBuilding"
    " scopeEntrance status result votingOpenedAt votingClosedAt votingOpensAt votingClosesAt maxSelections"
    " ballotListHash __typename meeting { id kind status title scheduledAt location rulePack noticeIssuedAt"
    " openedAt closedAt __typename } } myBallot { id choice castAt evidence proxyAuthorisation __typename } }"),
    ("notifications(first: 2) { totalCount __typename pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
    " edges { cursor __typename node { id kind title body createdAt readAt __typename"
    " link { id typeName __typename } } } }"),
    "openVotes { seatLabel }",
    "person { phone }",
]


@pytest.fixture(autouse=True)
def fresh_throttle():
    use_throttle(LimitsThrottle())


def _app(*, compiled: bool, cache: bool = False) -> Any:
    return create_app(Settings(database_url="unused", redis_url=None, compiled_reads=compiled, response_cache=cache),
                      manage_database=False)


async def _same_answer(query: str, variables: dict[str, Any], token: str | None, *, expect_compiled: bool) -> Any:
    compiled, resolvers = _app(compiled=True), _app(compiled=False)
    fast = _without_request_ids(await _post(compiled, query, variables, token))
    slow = _without_request_ids(await _post(resolvers, query, variables, token))
    assert fast == slow, (json.dumps(fast, ensure_ascii=False)[:3000], json.dumps(slow, ensure_ascii=False)[:3000])
    assert (_endpoint(compiled).compiled == 1) is expect_compiled
    return fast[1]


def _without_request_ids(answer: tuple[int, Any]) -> tuple[int, Any]:
    """Masked faults carry a fresh request id each: the rest of the answer must be the same."""
    for error in answer[1].get("errors") or ():
        (error.get("extensions") or {}).pop("requestId", None)
    return answer


async def _owner(name: str, phone: str) -> tuple[Any, str]:
    person = await f.person(name, phone=phone)
    return person, await make_token(Role.OWNER, person_id=person.id)


@pytest.fixture
async def homes(db: str, gql) -> dict[str, Any]:
    await seed_demo(scale=1, seed=7)
    compound, other = await Compound.filter(units__id__isnull=False).distinct().order_by("id").limit(2)
    street_token = await make_token(Role.STREET_STAFF, street_id=compound.street_id)
    people: dict[str, Any] = {}
    tokens: dict[str, str | None] = {"anonymous": None}
    for name, phone in (("solo", "13800000001"), ("buyer", "13800000002"), ("wife", "13800000003"),
                        ("husband", "13800000004"), ("voter", "13800000005"), ("representative", "13800000006")):
        people[name], tokens[name] = await _owner(name, phone)
    people["solo"].id_number = "11010519491231002X"
    await people["solo"].save()
    await f.unit(compound, people["solo"], building="88", number="101")
    await f.unit(compound, people["buyer"], building="88", number="102")
    await f.unit(compound, people["buyer"], building="88", number="103")
    await f.unit(other, people["buyer"], building="88", number="104")
    await f.unit(compound, people["wife"], people["husband"], building="88", number="201")
    await f.unit(compound, people["voter"], building="88", number="202")
    developer = await f.body(BodyKind.OTHER, await Community.get(id=compound.community_id), "宏达房地产开发有限公司")
    registered = await gql(REGISTER, {"input": {
        "compoundId": f.gid("Compound", compound.id),
        "units": [{"building": "99", "entrance": "1", "number": n, "kind": "DWELLING", "area": "100.00",
                   "areaSource": "REGISTRY", "ownerIds": [], "heldByDeveloper": True} for n in ("901", "902")],
        "developer": {"organisationId": f.gid("Organisation", developer.id),
                      "representativeId": f.gid("Person", people["representative"].id)}}}, token=street_token)
    assert registered["registerUnits"]["errors"] == [], registered
    await assembly(compound, [FUND, election([people["solo"].id, people["voter"].id], 1)])
    for name, choice in (("voter", "AGREE"), ("wife", "OPPOSE")):
        item = (await gql(OWNER_APP["MyHome"], token=tokens[name]))["me"]["openVotes"][0]["agendaItem"]["id"]
        cast = await gql(CAST, {"input": {"agendaItemId": item, "choice": choice}}, token=tokens[name])
        assert cast["castMyBallot"]["errors"] == [], cast
    first = await Notification.filter(person_id=people["solo"].id).order_by("id").first()
    assert first is not None
    marked = await gql(READ, {"input": {"notificationId": f.gid("Notification", first.id)}}, token=tokens["solo"])
    assert marked["markNotificationRead"]["errors"] == [], marked
    tokens["street"] = street_token
    tokens["admin"] = await make_token(Role.CENTRE_ADMIN)
    tokens["community"] = await make_token(Role.COMMUNITY_STAFF, street_id=compound.street_id,
                                           community_id=compound.community_id)
    # Accounts linked to a person beyond owners: `me` is theirs too (schema.owners.queries.Query.me).
    tokens["centre with a person"] = await make_token(Role.CENTRE_ADMIN, person_id=people["buyer"].id)
    tokens["street staff who owns"] = await make_token(Role.STREET_STAFF, street_id=compound.street_id,
                                                       person_id=people["voter"].id)
    seeded = await Ownership.filter(unit__compound_id=compound.id).order_by("id").first()
    assert seeded is not None and seeded.person_id not in {p.id for p in people.values()}
    tokens["seeded owner"] = await make_token(Role.OWNER, person_id=seeded.person_id)
    return {"tokens": tokens, "people": people}


OWNERS = ["solo", "buyer", "wife", "husband", "voter", "seeded owner", "centre with a person",
          "street staff who owns"]


@pytest.mark.parametrize("who", OWNERS)
async def test_my_home_compiles_and_answers_as_the_resolvers_do_for_each_kind_of_owner(homes, who):
    body = await _same_answer(OWNER_APP["MyHome"], {}, homes["tokens"][who], expect_compiled=True)
    assert body["data"]["me"]["person"]["id"]


async def test_the_scenario_holds_what_the_compiled_fields_spell_out(homes):
    tokens = homes["tokens"]

    async def home(who: str) -> Any:
        return (await _same_answer(OWNER_APP["MyHome"], {}, tokens[who], expect_compiled=True))["data"]["me"]

    solo, buyer, husband, voter = (await home("solo"), await home("buyer"), await home("husband"),
                                   await home("voter"))
    assert solo["person"]["phone"] == "13800000001"  # one's own phone, unmasked
    assert len(buyer["units"]) == 3 and len(buyer["compounds"]) == 2
    assert [v["seatLabel"] for v in buyer["openVotes"]] == ["88号楼1单元102 等2套"] * 2
    assert husband["openVotes"][0]["myBallot"]["choice"] == "OPPOSE"  # the co-owner's ballot is the seat's
    assert voter["openVotes"][0]["myBallot"]["choice"] == "AGREE" and voter["openVotes"][1]["myBallot"] is None
    assert solo["openVotes"] and all(v["myBallot"] is None for v in solo["openVotes"])


async def test_the_developers_representative_is_answered_as_the_resolvers_do(homes):
    # The representative holds the developer's seat without owning a unit: holding a seat on an item makes its
    # meeting theirs to read (domain.access.policies._meetings_attended), so their open vote is shown to them.
    body = await _same_answer(OWNER_APP["MyHome"], {}, homes["tokens"]["representative"], expect_compiled=True)
    assert "errors" not in body and body["data"]["me"]["openVotes"]
    assert all(vote["agendaItem"]["meeting"]["id"] for vote in body["data"]["me"]["openVotes"])


@pytest.mark.parametrize("who", ["anonymous", "admin", "street", "community"])
async def test_me_is_null_for_staff_and_anonymous_callers_on_the_compiled_path(homes, who):
    for operation in ME_OPERATIONS:
        if operation.name == "MyComplaints":
            continue  # complaints are not compiled, even under a null `me` it takes the resolvers
        body = await _same_answer(operation.document, {"first": 3}, homes["tokens"][who], expect_compiled=True)
        assert body["data"]["me"] is None


@pytest.mark.parametrize("who", ["solo", "buyer", "centre with a person"])
async def test_my_notifications_are_paged_newest_first_as_the_resolvers_do(homes, who):
    token = homes["tokens"][who]
    after, seen = None, []
    for first in (1, 2, 100, 0, 5):
        body = await _same_answer(OWNER_APP["MyNotifications"], {"first": first, "after": after}, token,
                                  expect_compiled=True)
        page = body["data"]["me"]["notifications"]
        seen += [e["node"]["id"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"] or after
    assert seen and len(seen) == len(set(seen))  # every notification once, across the pages


async def test_a_read_notification_and_a_link_compile_as_the_resolvers_show_them(homes):
    body = await _same_answer(OWNER_APP["MyNotifications"], {"first": 100}, homes["tokens"]["solo"],
                              expect_compiled=True)
    nodes = [e["node"] for e in body["data"]["me"]["notifications"]["edges"]]
    assert any(n["readAt"] for n in nodes) and any(n["readAt"] is None for n in nodes)
    assert all(n["link"] and n["link"]["id"] for n in nodes)


@pytest.mark.parametrize(("_case", "variables"), [
    ("a page too large", {"first": 101}),
    ("a negative page", {"first": -1}),
    ("a malformed cursor", {"after": "nope"}),
])
async def test_what_the_resolvers_refuse_is_left_to_them(homes, _case, variables):
    body = await _same_answer(OWNER_APP["MyNotifications"], variables, homes["tokens"]["solo"],
                              expect_compiled=False)
    assert body["errors"]


async def test_my_complaints_falls_back_to_the_resolvers(homes):
    # Complaint.availableActions (the state machine for this viewer) and timeline (the audit log) stay resolvers.
    await _same_answer(OWNER_APP["MyComplaints"], {"first": 5}, homes["tokens"]["solo"], expect_compiled=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_generated_selections_of_me_answer_as_the_resolvers_do(homes, data):
    chosen = data.draw(st.lists(st.sampled_from(ME_FIELDS), min_size=1, max_size=4, unique=True))
    aliased = [f"a{i}: {c}" if c.startswith(("openVotes { seatLabel", "person { phone")) else c
               for i, c in enumerate(chosen)]
    who = data.draw(st.sampled_from([*OWNERS, "anonymous", "admin", "street"]))
    await _same_answer("{ me { " + " ".join(aliased) + " } }", {}, homes["tokens"][who], expect_compiled=True)


async def test_my_home_costs_two_statements_the_data_version_and_one_for_me(homes):
    app = _app(compiled=True)
    counts = []
    for who in ("solo", "buyer", "voter"):
        token = homes["tokens"][who]
        await _post(app, OWNER_APP["MyHome"], {}, token)  # the token is cached from here on
        with count_queries() as sql:
            status, body = await _post(app, OWNER_APP["MyHome"], {}, token)
        assert status == 200 and body["data"]["me"]
        counts.append(len(sql))
    assert counts == [2, 2, 2]
    with count_queries() as sql:
        await _post(app, "{ me { person { name } } compounds(first: 3) { totalCount } }", {},
                    homes["tokens"]["solo"])
    assert len(sql) == 3  # the version, then one statement per root field


async def test_two_owners_never_get_each_others_me_from_the_caches(homes):
    app = _app(compiled=True, cache=True)
    endpoint = _endpoint(app)
    assert endpoint.cache is not None
    people, tokens = homes["people"], homes["tokens"]
    # Same document, same variables, same roles and no anchors: only the person tells them apart.
    callers = [("solo", people["solo"]), ("buyer", people["buyer"]), ("solo", people["solo"]),
               ("buyer", people["buyer"]), ("centre with a person", people["buyer"])]
    for who, person in callers * 2:
        status, body = await _post(app, OWNER_APP["MyHome"], {}, tokens[who])
        assert status == 200 and body["data"]["me"]["person"]["name"] == person.name, who
    # A second account of the same person is answered its own (notifications may be addressed to the account).
    other_account = await make_token(Role.OWNER, person_id=people["solo"].id)
    status, body = await _post(app, OWNER_APP["MyHome"], {}, other_account)
    assert body["data"]["me"]["person"]["name"] == people["solo"].name
    # A staff account of the same roles has no `me`, whatever was cached for owners.
    status, body = await _post(app, OWNER_APP["MyHome"], {}, tokens["street"])
    assert body["data"]["me"] is None
    assert endpoint.cache.hits >= 5  # the cache was really used, and still kept them apart


async def test_notifications_are_not_served_from_the_response_cache(homes):
    # The reminder jobs write notifications without an audit event: the data version does not move with them.
    from datetime import UTC, datetime

    from domain.notifications.rules import NoticeKind, Text
    from domain.notifications.service import Recipient, notify

    app = _app(compiled=True, cache=True)
    token = homes["tokens"]["solo"]
    before = (await _post(app, OWNER_APP["MyNotifications"], {"first": 100}, token))[1]
    await notify(recipients=[Recipient(person_id=homes["people"]["solo"].id)], kind=NoticeKind.VOTING_REMINDER,
                 text=Text("提醒", "请投票"), link=None, cause="test", now=datetime.now(UTC))
    after = (await _post(app, OWNER_APP["MyNotifications"], {"first": 100}, token))[1]
    assert len(after["data"]["me"]["notifications"]["edges"]) == len(before["data"]["me"]["notifications"]["edges"]) + 1
    assert _endpoint(app).compiled == 2
