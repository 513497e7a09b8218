"""The meetings list compiled (api.compiled): the same JSON as the resolvers for every role and filter, the
Meeting read policy (staff of the territory, participants, members of the convening body, owners) in SQL."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.deliberation.vocabulary import MeetingKind, MeetingStatus
from schema.core.relay import encode_cursor
from tests.api.compiled_support import ROLES, console_city
from tests.api.test_compiled_reads import _app, _post, _same_answer
from tests.conftest import count_queries
from tests.factories import gid

NODE_FIELDS = [
    "id", "kind", "status", "title", "scheduledAt", "location", "rulePack", "noticeIssuedAt", "openedAt", "closedAt",
    "__typename", "quorum { met present required explanation }", "compound { id name }",
    "community { id name street { name } }",
]
EVERYTHING = " ".join(NODE_FIELDS)


@pytest.fixture
async def city(db: str) -> dict[str, Any]:
    return await console_city()


def _meetings(document: str = EVERYTHING) -> str:
    return ("query Q($filter: MeetingFilter, $first: Int, $after: String) {"
            " meetings(filter: $filter, first: $first, after: $after) { totalCount __typename"
            " pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
            f" edges {{ cursor node {{ {document} }} }} }} }}")


async def test_the_demo_city_exercises_every_compiled_field(city):
    body = await _same_answer(_meetings(), {"first": 100}, city["tokens"]["admin"], expect_compiled=True)
    nodes = [e["node"] for e in body["data"]["meetings"]["edges"]]
    assert len(nodes) == city["meetings"] >= 2
    for name in ("quorum", "compound"):
        assert any(n[name] is None for n in nodes) and any(n[name] is not None for n in nodes), name
    assert all(n["scheduledAt"] and n["closedAt"] and n["community"] for n in nodes)
    # The committee member reads their committee's meeting; street staff those of their street; firm staff none
    # (the Meeting policy has no firm audience).
    member = await _same_answer(_meetings("id kind"), {}, city["tokens"]["committee"], expect_compiled=True)
    assert "OWNERS_COMMITTEE" in [e["node"]["kind"] for e in member["data"]["meetings"]["edges"]]
    street = await _same_answer(_meetings("id"), {}, city["tokens"]["street"], expect_compiled=True)
    assert street["data"]["meetings"]["totalCount"] > 0
    firm = await _same_answer(_meetings("id"), {}, city["tokens"]["firm"], expect_compiled=True)
    assert firm["data"]["meetings"]["totalCount"] == 0


@pytest.mark.parametrize("role", ROLES)
async def test_the_meetings_list_answers_as_the_resolvers_do(city, role):
    for variables in ({}, {"first": 1}, {"first": 1, "after": encode_cursor(2)},
                      {"filter": {"kind": "OWNERS_COMMITTEE"}}, {"filter": {"status": "MINUTES_PUBLISHED"}}):
        await _same_answer(_meetings(), variables, city["tokens"][role], expect_compiled=role != "anonymous")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_generated_filters_and_selections_answer_as_the_resolvers_do(city, data):
    chosen = data.draw(st.lists(st.sampled_from(NODE_FIELDS), min_size=1, max_size=6, unique=True))
    filter_ = {
        "compoundId": gid("Compound", data.draw(st.sampled_from(city["compounds"][:5]))) if data.draw(st.booleans())
        else None,
        "communityId": gid("Community", data.draw(st.sampled_from(city["communities"]))) if data.draw(st.booleans())
        else None,
        "kind": data.draw(st.none() | st.sampled_from([k.value for k in MeetingKind])),
        "status": data.draw(st.none() | st.sampled_from([s.value for s in MeetingStatus])),
    }
    filter_ = {k: v for k, v in filter_.items() if v is not None or data.draw(st.booleans())}
    after = data.draw(st.none() | st.integers(0, city["meetings"] + 1))
    variables = {"filter": filter_ or None, "first": data.draw(st.integers(0, 3)),
                 "after": encode_cursor(after) if after is not None else None}
    role = data.draw(st.sampled_from(ROLES))
    await _same_answer(_meetings(" ".join(chosen)), variables, city["tokens"][role],
                       expect_compiled=role != "anonymous")


@pytest.mark.parametrize(("_case", "document", "variables"), [
    ("a field counted in rule-pack days", "{ meetings { edges { node { earliestStartAt resultsDueOn } } } }", {}),
    ("the convener (a Body the read policy may null)", "{ meetings { edges { node { convener { name } } } } }", {}),
    ("the agenda", "{ meetings { edges { node { agenda { title } } } } }", {}),
    ("a foreign compound ID", "query($f: MeetingFilter) { meetings(filter: $f) { totalCount } }",
     {"f": {"compoundId": gid("Community", 1)}}),
    ("a backward page", "{ meetings(last: 1) { totalCount } }", {}),
])
async def test_what_does_not_compile_is_answered_by_the_resolvers(city, _case, document, variables):
    await _same_answer(document, variables, city["tokens"]["street"], expect_compiled=False)


@pytest.mark.parametrize("role", ["admin", "committee"])
async def test_a_compiled_meetings_page_costs_two_statements_for_5_items_as_for_50(city, role):
    app = _app(compiled=True)
    token = city["tokens"][role]
    document = _meetings()
    await _post(app, document, {"first": 1}, token)
    counts = []
    for first in (5, 50):
        with count_queries() as sql:
            await _post(app, document, {"first": first}, token)
        counts.append(len(sql))
    assert counts == [2, 2]
