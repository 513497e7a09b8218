"""The compiled read path (api.compiled) answers exactly as the resolvers do, on both databases, for every role.

The demo data of scale 1 holds every case the compiled fields spell out again in SQL: firms with and without a
published grade, committees live, expired and dissolved, party-member shares, open and closed complaints.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.seed import seed_demo
from api.settings import Settings
from domain.accounts.rules import Role
from domain.geography.models import Community, Compound, Street
from tests.conftest import count_queries, make_token
from tests.contract.operations import contract_operations
from tests.factories import gid

COMPOUND_LIST = next(o.document for o in contract_operations() if o.name == "CompoundList")
NODE_FIELDS = [
    "id", "name", "address", "managementMode", "isOldCompound", "isStandardised", "isRedProperty", "householdCount",
    "totalExclusiveArea", "mergedOn", "openComplaintCount", "__typename",
    "community { id name street { id name rulePack } }", "street { id name }",
    "servingFirm { id name kind creditCode creditGrade listing partyOrganisation staffCount __typename }",
    "ownersCommittee { id kind status name termStartsOn termEndsOn filedOn endedOn seatCount partyMemberShare }",
]


def _app(*, compiled: bool) -> Any:
    return create_app(Settings(database_url="unused", redis_url=None, compiled_reads=compiled), manage_database=False)


async def _post(app: Any, query: str, variables: dict[str, Any], token: str | None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    return response.status_code, response.json()


def _endpoint(app: Any) -> Any:
    return next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/graphql" and hasattr(r, "methods"))


async def _same_answer(query: str, variables: dict[str, Any], token: str | None, *,
                       expect_compiled: bool | None) -> Any:
    """expect_compiled=None: compiled unless the answer is an error (a signed-in-only list asked anonymously), which
    only the resolvers give."""
    compiled, resolvers = _app(compiled=True), _app(compiled=False)
    before = _endpoint(compiled).compiled
    fast = await _post(compiled, query, variables, token)
    slow = await _post(resolvers, query, variables, token)
    assert fast == slow, (json.dumps(fast, ensure_ascii=False)[:2000], json.dumps(slow, ensure_ascii=False)[:2000])
    if expect_compiled is None:
        expect_compiled = "errors" not in slow[1]
    assert (_endpoint(compiled).compiled - before == 1) is expect_compiled
    return fast[1]


@pytest.fixture
async def city(db: str) -> dict[str, Any]:
    await seed_demo(scale=1, seed=7)
    street = await Street.all().order_by("id").first()
    community = await Community.all().order_by("id").first()
    assert street and community
    tokens = {
        "anonymous": None,
        "admin": await make_token(Role.CENTRE_ADMIN),
        "street": await make_token(Role.STREET_STAFF, street_id=street.id),
        "community": await make_token(Role.COMMUNITY_STAFF, street_id=street.id, community_id=community.id),
    }
    return {"tokens": tokens, "streets": [s.id for s in await Street.all()],
            "communities": [c.id for c in await Community.all()], "compounds": await Compound.all().count()}


async def test_the_demo_city_exercises_every_compiled_field(city):
    body = await _same_answer(
        "{ compounds(first: 100) { edges { node { servingFirm { creditGrade } ownersCommittee { status "
        "partyMemberShare } openComplaintCount } } } }", {}, city["tokens"]["admin"], expect_compiled=True)
    nodes = [e["node"] for e in body["data"]["compounds"]["edges"]]
    assert any(n["servingFirm"] and n["servingFirm"]["creditGrade"] for n in nodes)
    assert any(n["ownersCommittee"] and n["ownersCommittee"]["partyMemberShare"] for n in nodes)
    assert any(n["openComplaintCount"] > 0 for n in nodes)


@pytest.mark.parametrize("role", ["anonymous", "admin", "street", "community"])
async def test_every_contract_query_that_compiles_answers_as_the_resolvers_do(city, role):
    from api.compiled.plans import Plans
    from schema.root import schema

    plans = Plans(schema._schema)
    compiled = [o for o in contract_operations() if o.kind == "query" and plans.plan(o.document, o.name)]
    assert {"CompoundList", "ComplaintLedger"} <= {o.name for o in compiled}
    for operation in compiled:
        for variables in ({}, {"first": 5}, {"first": 100}, {"filter": {"search": "园"}, "first": 3}):
            await _same_answer(operation.document, variables, city["tokens"][role], expect_compiled=None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_generated_filters_and_selections_answer_as_the_resolvers_do(city, data):
    chosen = data.draw(st.lists(st.sampled_from(NODE_FIELDS), min_size=1, max_size=8, unique=True))
    street = data.draw(st.none() | st.sampled_from(city["streets"]))
    community = data.draw(st.none() | st.sampled_from(city["communities"]))
    filter_ = {
        "streetId": gid("Street", street) if street else None,
        "communityId": gid("Community", community) if community else None,
        "managementMode": data.draw(st.none() | st.sampled_from(
            ["PROFESSIONAL_FIRM", "COMMUNITY_CUSTODIAL", "SELF_MANAGED", "NONE"])),
        "isOldCompound": data.draw(st.none() | st.booleans()),
        "isRedProperty": data.draw(st.none() | st.booleans()),
        "hasOwnersCommittee": data.draw(st.none() | st.booleans()),
        "search": data.draw(st.none() | st.sampled_from(["园", "花园", "苑", "%", "_", "'", "a", ""])),
    }
    filter_ = {k: v for k, v in filter_.items() if v is not None or data.draw(st.booleans())}
    after = data.draw(st.none() | st.integers(0, city["compounds"] + 2))
    from schema.core.relay import encode_cursor

    variables = {"filter": filter_ or None, "first": data.draw(st.integers(0, 100)),
                 "after": encode_cursor(after) if after is not None else None}
    document = ("query Q($filter: CompoundFilter, $first: Int, $after: String) {"
                " compounds(filter: $filter, first: $first, after: $after) { totalCount __typename"
                " pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
                f" edges {{ cursor node {{ {' '.join(chosen)} }} }} }} }}")
    role = data.draw(st.sampled_from(sorted(city["tokens"])))
    await _same_answer(document, variables, city["tokens"][role], expect_compiled=True)


@pytest.mark.parametrize(("_case", "document", "variables"), [
    ("a fragment", "query { compounds(first: 2) { ...C } } fragment C on CompoundConnection { totalCount }", {}),
    ("a backward page", "{ compounds(last: 2) { edges { node { name } } } }", {}),
    ("a page too large", "{ compounds(first: 101) { totalCount } }", {}),
    ("a foreign filter ID", "query($f: CompoundFilter) { compounds(filter: $f) { totalCount } }",
     {"f": {"streetId": gid("Community", 1)}}),
    ("a malformed cursor", "{ compounds(after: \"nope\") { totalCount } }", {}),
    ("an uncompiled field", "{ compounds { edges { node { units(first: 1) { totalCount } } } } }", {}),
    ("another root field", "{ compounds { totalCount } streets { totalCount } }", {}),
    ("an invalid document", "{ compounds { nope } }", {}),
    ("too many aliases (the schema's own limit)",
     "{ " + " ".join(f"a{i}: compounds {{ totalCount }}" for i in range(31)) + " }", {}),
])
async def test_what_does_not_compile_is_answered_by_the_resolvers(city, _case, document, variables):
    await _same_answer(document, variables, city["tokens"]["admin"], expect_compiled=False)


async def test_a_compiled_page_costs_two_statements_for_5_items_as_for_50(city):
    app = _app(compiled=True)
    token = city["tokens"]["admin"]
    await _post(app, COMPOUND_LIST, {"first": 1}, token)  # the token is cached from here on
    counts = []
    for first in (5, 40):
        with count_queries() as sql:
            await _post(app, COMPOUND_LIST, {"first": first}, token)
        counts.append(len(sql))
    assert counts == [2, 2]  # the data version, then the page
