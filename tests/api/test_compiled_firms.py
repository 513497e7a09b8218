"""The firm register compiled (api.compiled): public, the same JSON as the resolvers for every role and search."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schema.core.relay import encode_cursor
from tests.api.compiled_support import ROLES, console_city
from tests.api.test_compiled_reads import _app, _post, _same_answer
from tests.conftest import count_queries

NODE_FIELDS = [
    "id", "name", "kind", "creditCode", "partyOrganisation", "partyBuildingInstructor", "staffCount",
    "partyMemberStaffCount", "creditGrade", "listing", "__typename",
]
EVERYTHING = " ".join(NODE_FIELDS)
SEARCHES = ["物业", "公司", "91", "0", "%", "_", "'", "a", "", " "]


@pytest.fixture
async def city(db: str) -> dict[str, Any]:
    return await console_city()


def _firms(document: str = EVERYTHING) -> str:
    return ("query Q($filter: PropertyFirmFilter, $first: Int, $after: String) {"
            " propertyFirms(filter: $filter, first: $first, after: $after) { totalCount __typename"
            " pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
            f" edges {{ cursor node {{ {document} }} }} }} }}")


async def test_the_demo_city_exercises_every_compiled_field(city):
    body = await _same_answer(_firms(), {"first": 100}, None, expect_compiled=True)
    nodes = [e["node"] for e in body["data"]["propertyFirms"]["edges"]]
    assert len(nodes) == len(city["firms"])
    for name in ("creditGrade", "partyBuildingInstructor"):
        assert any(n[name] is None for n in nodes) and any(n[name] is not None for n in nodes), name
    assert len({n["listing"] for n in nodes}) > 1 and len({n["partyOrganisation"] for n in nodes}) > 1
    searched = await _same_answer(_firms("name"), {"filter": {"search": nodes[0]["creditCode"]}}, None,
                                  expect_compiled=True)
    assert searched["data"]["propertyFirms"]["totalCount"] == 1


@pytest.mark.parametrize("role", ROLES)
async def test_the_firm_register_answers_as_the_resolvers_do(city, role):
    for variables in ({}, {"first": 3}, {"first": 3, "after": encode_cursor(city["firms"][2])},
                      {"filter": {"search": "物业"}}):
        await _same_answer(_firms(), variables, city["tokens"][role], expect_compiled=True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_generated_filters_and_selections_answer_as_the_resolvers_do(city, data):
    chosen = data.draw(st.lists(st.sampled_from(NODE_FIELDS), min_size=1, max_size=6, unique=True))
    search = data.draw(st.none() | st.sampled_from(SEARCHES))
    filter_ = {"search": search} if search is not None or data.draw(st.booleans()) else None
    after = data.draw(st.none() | st.sampled_from([0, *city["firms"], city["firms"][-1] + 1]))
    variables = {"filter": filter_, "first": data.draw(st.integers(0, 10)),
                 "after": encode_cursor(after) if after is not None else None}
    role = data.draw(st.sampled_from(ROLES))
    await _same_answer(_firms(" ".join(chosen)), variables, city["tokens"][role], expect_compiled=True)


@pytest.mark.parametrize(("_case", "document"), [
    ("the contracts", "{ propertyFirms { edges { node { contracts { startsOn } } } } }"),
    ("the memberships (an argument)", "{ propertyFirms { edges { node { memberships(includeEnded: true) { role } } } } }"),
    ("a backward page", "{ propertyFirms(last: 2) { totalCount } }"),
])
async def test_what_does_not_compile_is_answered_by_the_resolvers(city, _case, document):
    await _same_answer(document, {}, city["tokens"]["admin"], expect_compiled=False)


async def test_a_compiled_firms_page_costs_two_statements_for_5_items_as_for_50(city):
    app = _app(compiled=True)
    document = _firms()
    await _post(app, document, {"first": 1}, None)
    counts = []
    for first in (5, 50):
        with count_queries() as sql:
            await _post(app, document, {"first": first}, None)
        counts.append(len(sql))
    assert counts == [2, 2]
