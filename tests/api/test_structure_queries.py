"""Queries of the structure area: compound filters, Relay pagination, nodes, personal data and the serving firm."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from domain.accounts.rules import Role
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind, MembershipRole
from domain.geography.rules import ManagementMode
from domain.calendar import LOCAL
from tests import factories as f
from tests.conftest import make_token
from tests.factories import gid

COMPOUND_NAMES = """
query Names($filter: CompoundFilter, $first: Int, $after: String, $last: Int, $before: String) {
  compounds(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { name } }
  }
}
"""


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["compounds"]["edges"]]


# --- filters -------------------------------------------------------------------------------------------------------

@pytest.fixture
async def territory(db):
    """Two streets, three communities and eight compounds with names and addresses in Chinese and Latin letters."""
    east, west = await f.street("东街道"), await f.street("西街道")
    east_1, east_2, west_1 = await f.community(east), await f.community(east), await f.community(west)
    rows = [
        await f.compound(east_1, "幸福里", ManagementMode.PROFESSIONAL_FIRM, is_red_property=True),
        await f.compound(east_1, "Garden Court", ManagementMode.SELF_MANAGED),
        await f.compound(east_2, "和平小区_东", ManagementMode.NONE),
        await f.compound(west_1, "阳光100%", ManagementMode.PROFESSIONAL_FIRM),
        await f.compound(west_1, "GARDEN view", ManagementMode.COMMUNITY_CUSTODIAL),
        await f.compound(west_1, "翠苑", ManagementMode.PROFESSIONAL_FIRM),
        await f.compound(west_1, "ＡＢＣ花园", ManagementMode.NONE),
        await f.compound(west_1, "Ärztehaus", ManagementMode.NONE),
    ]
    rows[1].address = "Lake Road 5"
    await rows[1].save()
    return {"east": east, "west": west, "east_1": east_1, "east_2": east_2, "west_1": west_1, "compounds": rows}


@pytest.mark.parametrize(
    ("_case", "filter", "expected"),
    [
        ("no filter", {}, ["幸福里", "Garden Court", "和平小区_东", "阳光100%", "GARDEN view", "翠苑", "ＡＢＣ花园",
                           "Ärztehaus"]),
        ("street", {"streetId": "east"}, ["幸福里", "Garden Court", "和平小区_东"]),
        ("community", {"communityId": "east_1"}, ["幸福里", "Garden Court"]),
        ("management mode", {"managementMode": "PROFESSIONAL_FIRM"}, ["幸福里", "阳光100%", "翠苑"]),
        ("red property", {"isRedProperty": True}, ["幸福里"]),
        ("street and mode", {"streetId": "west", "managementMode": "PROFESSIONAL_FIRM"}, ["阳光100%", "翠苑"]),
        ("search in lower case", {"search": "garden"}, ["Garden Court", "GARDEN view"]),
        ("search in upper case", {"search": "GARDEN"}, ["Garden Court", "GARDEN view"]),
        ("search in mixed case", {"search": "gArDeN V"}, ["GARDEN view"]),
        ("search matches the address", {"search": "lake road"}, ["Garden Court"]),
        ("search in Chinese", {"search": "幸福"}, ["幸福里"]),
        ("search default address", {"search": "测试路"}, ["幸福里", "和平小区_东", "阳光100%", "GARDEN view", "翠苑",
                                                          "ＡＢＣ花园", "Ärztehaus"]),
        ("full-width letters in another case", {"search": "ａｂｃ"}, ["ＡＢＣ花园"]),
        ("accented letter in another case", {"search": "ärzte"}, ["Ärztehaus"]),
        ("percent sign is literal", {"search": "%"}, ["阳光100%"]),
        ("underscore is literal", {"search": "_"}, ["和平小区_东"]),
        ("search and street", {"search": "garden", "streetId": "west"}, ["GARDEN view"]),
        ("search finding nothing", {"search": "不存在"}, []),
    ],
)
async def test_compounds_are_filtered_alike_on_every_backend(gql, territory, _case, filter, expected):
    for key in ("streetId", "communityId"):
        if key in filter:
            kind = "Street" if key == "streetId" else "Community"
            filter = {**filter, key: gid(kind, territory[filter[key]].id)}

    data = await gql(COMPOUND_NAMES, {"filter": filter, "first": 50})

    assert names(data) == expected
    assert data["compounds"]["totalCount"] == len(expected)


@pytest.mark.parametrize(("_case", "filter"), [("malformed street", {"streetId": "xyz"}),
                                               ("community ID as street", {"streetId": gid("Community", 1)})])
async def test_a_bad_filter_id_is_a_request_error(gql, territory, _case, filter):
    body = await gql(COMPOUND_NAMES, {"filter": filter}, expect_errors=True)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


# --- pagination ----------------------------------------------------------------------------------------------------

@pytest.fixture
async def seven(db):
    community = await f.community()
    return [await f.compound(community, f"小区{i}") for i in range(1, 8)]


async def test_pages_forwards_with_first_and_after(gql, seven):
    first = await gql(COMPOUND_NAMES, {"first": 3})
    second = await gql(COMPOUND_NAMES, {"first": 3, "after": first["compounds"]["pageInfo"]["endCursor"]})
    third = await gql(COMPOUND_NAMES, {"first": 3, "after": second["compounds"]["pageInfo"]["endCursor"]})

    assert [names(first), names(second), names(third)] == [["小区1", "小区2", "小区3"], ["小区4", "小区5", "小区6"],
                                                           ["小区7"]]
    pages = [d["compounds"]["pageInfo"] for d in (first, second, third)]
    assert [(p["hasNextPage"], p["hasPreviousPage"]) for p in pages] == [(True, False), (True, True), (False, True)]
    assert {d["compounds"]["totalCount"] for d in (first, second, third)} == {7}
    edges = first["compounds"]["edges"]
    assert (pages[0]["startCursor"], pages[0]["endCursor"]) == (edges[0]["cursor"], edges[-1]["cursor"])


async def test_pages_backwards_with_last_and_before(gql, seven):
    last = await gql(COMPOUND_NAMES, {"last": 2})
    before = await gql(COMPOUND_NAMES, {"last": 2, "before": last["compounds"]["pageInfo"]["startCursor"]})

    assert (names(last), names(before)) == (["小区6", "小区7"], ["小区4", "小区5"])
    assert last["compounds"]["pageInfo"]["hasPreviousPage"] is True
    assert before["compounds"]["pageInfo"]["hasNextPage"] is True
    assert before["compounds"]["totalCount"] == 7


async def test_the_last_page_of_a_short_list_has_no_previous_page(gql, seven):
    data = await gql(COMPOUND_NAMES, {"last": 10})

    assert len(names(data)) == 7
    assert data["compounds"]["pageInfo"]["hasPreviousPage"] is False


async def test_a_page_of_one_hundred_is_allowed(gql, seven):
    data = await gql(COMPOUND_NAMES, {"first": 100})

    assert len(names(data)) == 7
    assert data["compounds"]["pageInfo"]["hasNextPage"] is False


async def test_an_empty_page_has_no_cursors(gql, db):
    data = await gql(COMPOUND_NAMES, {"first": 5})

    assert data["compounds"] == {"totalCount": 0, "edges": [], "pageInfo": {
        "hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None}}


@pytest.mark.parametrize(
    ("_case", "variables"),
    [
        ("first over one hundred", {"first": 101}),
        ("last over one hundred", {"last": 101}),
        ("negative first", {"first": -1}),
        ("first and last together", {"first": 2, "last": 2}),
        ("malformed cursor", {"first": 2, "after": "not a cursor"}),
        ("a global ID as cursor", {"first": 2, "after": gid("Compound", 1)}),
    ],
)
async def test_a_bad_page_request_is_a_graphql_error_not_a_silent_cut(gql, seven, _case, variables):
    body = await gql(COMPOUND_NAMES, variables, expect_errors=True)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "INVALID"


# --- nodes ---------------------------------------------------------------------------------------------------------

NODE = "query Node($id: ID!) { node(id: $id) { __typename id } }"


async def test_every_structure_type_is_reachable_by_node(gql, admin_token):
    community = await f.community()
    compound = await f.compound(community)
    owner = await f.person()
    unit = await f.unit(compound, owner)
    firm = await f.firm()
    contract = await f.contract(firm, compound)
    organisation = await f.body(BodyKind.RESIDENTS_COMMITTEE, community)
    post = await f.membership(organisation, owner, MembershipRole.CHAIR)
    ids = {
        "Street": gid("Street", community.street_id), "Community": gid("Community", community.id),
        "Compound": gid("Compound", compound.id), "Unit": gid("Unit", unit.id), "Person": gid("Person", owner.id),
        "PropertyFirm": gid("PropertyFirm", firm.id), "ServiceContract": gid("ServiceContract", contract.id),
        "Organisation": gid("Organisation", organisation.id), "Membership": gid("Membership", post.id),
    }

    for type_name, global_id in ids.items():
        data = await gql(NODE, {"id": global_id}, token=admin_token)
        assert data["node"] == {"__typename": type_name, "id": global_id}


@pytest.mark.parametrize(("_case", "global_id"), [("row that does not exist", gid("Compound", 999999)),
                                                  ("type that does not exist", gid("Spaceship", 1))])
async def test_node_of_nothing_is_null(gql, db, _case, global_id):
    assert (await gql(NODE, {"id": global_id}))["node"] is None


async def test_a_malformed_node_id_is_a_request_error(gql, db):
    body = await gql(NODE, {"id": "!!!"}, expect_errors=True)

    assert body["errors"][0]["extensions"]["code"] == "INVALID"


async def test_typed_fields_return_their_object_and_null_for_a_foreign_type(gql, db):
    compound = await f.compound()
    community_id = gid("Community", compound.community_id)
    query = """query One($id: ID!) { compound(id: $id) { id name } community(id: $id) { id } street(id: $id) { id }
                                     propertyFirm(id: $id) { id } }"""

    as_compound = await gql(query, {"id": gid("Compound", compound.id)})
    as_community = await gql(query, {"id": community_id})

    assert as_compound == {"compound": {"id": gid("Compound", compound.id), "name": compound.name},
                           "community": None, "street": None, "propertyFirm": None}
    assert as_community == {"compound": None, "community": {"id": community_id}, "street": None,
                            "propertyFirm": None}


# --- personal data -------------------------------------------------------------------------------------------------

PERSON = "query Person($id: ID!) { node(id: $id) { ... on Person { name phone idNumber } } }"


FULL, MASKED = ("13812345678", "11010519491231002X"), ("138****5678", "110105********002X")


@pytest.mark.parametrize(
    ("_case", "role", "themself", "where", "shown"),
    [
        # Issue 15: a person's record is read only with a reason to know them, their phone and ID number by
        # jurisdiction (README "Who reads what"); the full matrix is tests/api/test_read_policy_api.py.
        ("firm staff", Role.FIRM_STAFF, False, "home", None),
        ("another owner", Role.OWNER, False, "home", None),
        ("committee member", Role.COMMITTEE_MEMBER, False, "home", None),
        ("the owner themself", Role.OWNER, True, "home", FULL),
        ("centre staff", Role.CENTRE_STAFF, False, "elsewhere", FULL),
        ("centre admin", Role.CENTRE_ADMIN, False, "elsewhere", FULL),
        ("street staff where the person owns a unit", Role.STREET_STAFF, False, "home", FULL),
        ("street staff of another street", Role.STREET_STAFF, False, "elsewhere", None),
    ],
)
async def test_phone_and_id_number_are_masked_unless_the_viewer_may_read_them(gql, db, _case, role, themself,
                                                                              where, shown):
    person, other = await f.person("王秀英", phone="13812345678"), await f.person("李")
    person.id_number = "11010519491231002X"
    await person.save()
    home = await f.compound()
    await f.unit(home, person)
    street_id = home.street_id if where == "home" else (await f.street()).id
    token = await make_token(role, person_id=(person if themself else other).id, firm_id=(await f.firm()).id,
                             street_id=street_id) if role else None

    data = await gql(PERSON, {"id": gid("Person", person.id)}, token=token)

    assert data["node"] == (None if shown is None else {"name": "王秀英", "phone": shown[0], "idNumber": shown[1]})


async def test_persons_are_hidden_from_anonymous_viewers(gql, db):
    person = await f.person()

    assert (await gql(PERSON, {"id": gid("Person", person.id)})) == {"node": None}


async def test_a_person_without_id_number_shows_null(gql, db):
    person = await f.person(phone="010-12345678")
    firm = await f.firm()
    await f.membership(await Body.get(id=firm.body_id), person, MembershipRole.STAFF)  # firm staff read their staff
    token = await make_token(Role.FIRM_STAFF, firm_id=firm.id)

    data = await gql(PERSON, {"id": gid("Person", person.id)}, token=token)

    assert data["node"]["phone"] == "010****5678"
    assert data["node"]["idNumber"] is None


PERSONS = "query { persons(first: 10) { totalCount edges { node { name } } } }"


@pytest.mark.parametrize("role", [None, Role.OWNER, Role.FIRM_STAFF])
async def test_the_person_list_is_forbidden_to_anyone_but_staff(gql, db, role):
    await f.person()
    token = await make_token(role, person_id=(await f.person()).id, firm_id=(await f.firm()).id) if role else None

    body = await gql(PERSONS, token=token, expect_errors=True)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_staff_search_the_person_list(gql, admin_token):
    await f.person("王秀英", party=True)
    await f.person("王强")
    await f.person("李明", party=True)

    data = await gql('query { persons(filter: {search: "王", isPartyMember: true}) { totalCount edges { node { name '
                     "} } } }", token=admin_token)

    assert data["persons"] == {"totalCount": 1, "edges": [{"node": {"name": "王秀英"}}]}


async def test_units_of_a_compound_are_forbidden_to_anonymous_viewers(gql, db):
    compound = await f.compound()
    await f.unit(compound)

    body = await gql("query C($id: ID!) { compound(id: $id) { name units { totalCount } } }",
                     {"id": gid("Compound", compound.id)}, expect_errors=True)

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# --- the serving firm ----------------------------------------------------------------------------------------------

async def test_the_serving_firm_is_the_one_under_contract_today(gql, db):
    today = datetime.now(LOCAL).date()
    community = await f.community()
    serving, expired, future, terminated, last_day, _without = [
        await f.compound(community, name) for name in ("在服务", "已到期", "未开始", "已解约", "今日到期", "无合同")]
    firm, other = await f.firm("红心物业"), await f.firm("其他物业")
    await f.contract(firm, serving, last_day, starts_on=today - timedelta(days=100), ends_on=today)
    await f.contract(other, serving, starts_on=today - timedelta(days=900), ends_on=today - timedelta(days=101))
    await f.contract(other, expired, starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=1))
    await f.contract(other, future, starts_on=today + timedelta(days=1), ends_on=today + timedelta(days=400))
    cancelled = await f.contract(other, terminated, starts_on=today - timedelta(days=10),
                                 ends_on=today + timedelta(days=400))
    cancelled.terminated_on = today - timedelta(days=1)
    await cancelled.save()
    leaving_soon = await f.compound(community, "解约待生效")
    leaving = await f.contract(firm, leaving_soon, starts_on=today - timedelta(days=10),
                               ends_on=today + timedelta(days=400))
    leaving.terminated_on = today + timedelta(days=30)
    await leaving.save()

    data = await gql("query { compounds { edges { node { name servingFirm { id name } } } } }")

    serving_firms = {e["node"]["name"]: e["node"]["servingFirm"] for e in data["compounds"]["edges"]}
    red = {"id": gid("PropertyFirm", firm.id), "name": "红心物业"}
    assert serving_firms == {"在服务": red, "已到期": None, "未开始": None, "已解约": None, "今日到期": red,
                             "无合同": None, "解约待生效": red}


@pytest.mark.parametrize(
    ("_case", "instant", "serving", "status"),
    [
        ("23:59 in Beijing, the day before", datetime(2026, 11, 21, 15, 59, tzinfo=UTC), False, "PENDING"),
        ("01:30 in Beijing on the first day, still the 21st in UTC", datetime(2026, 11, 21, 17, 30, tzinfo=UTC),
         True, "ACTIVE"),
    ],
)
async def test_contract_days_are_beijing_calendar_days(gql, admin_token, _case, instant, serving, status):
    compound, firm = await f.compound(), await f.firm("红心物业")
    contract = await f.contract(firm, compound, starts_on=date(2026, 11, 22), ends_on=date(2027, 11, 21))
    post = await f.membership(await f.body(BodyKind.RESIDENTS_COMMITTEE, await f.community()), await f.person(),
                              starts_on=date(2026, 11, 22))
    query = """query Day($compound: ID!, $contract: ID!, $body: ID!) {
      compound(id: $compound) { servingFirm { name } }
      node(id: $contract) { ... on ServiceContract { status } }
      body: node(id: $body) { ... on Organisation { memberships { id } } }
    }"""

    with time_machine.travel(instant, tick=False):
        data = await gql(query, {"compound": gid("Compound", compound.id),
                                 "contract": gid("ServiceContract", contract.id),
                                 "body": gid("Organisation", post.body_id)}, token=admin_token)

    assert data["compound"]["servingFirm"] == ({"name": "红心物业"} if serving else None)
    assert data["node"]["status"] == status
    assert data["body"]["memberships"] == ([{"id": gid("Membership", post.id)}] if serving else [])
