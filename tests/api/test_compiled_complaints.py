"""The complaint ledger compiled (api.compiled): the same JSON as the resolvers for every role and filter, the
ledger's visibility and the Complaint read policy applied in SQL, isOverdue over the request's instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from api.settings import Settings
from domain.complaints.models import Complaint
from domain.complaints.rules import HANDLING_STATUSES, Status
from schema.core.relay import encode_cursor
from tests.api.compiled_support import ROLES, console_city
from tests.api.test_compiled_reads import _app, _endpoint, _post, _same_answer
from tests.conftest import count_queries
from tests.contract.operations import contract_operations
from tests.factories import gid

LEDGER = next(o.document for o in contract_operations() if o.name == "ComplaintLedger")
NODE_FIELDS = [
    "id", "number", "title", "description", "status", "channel", "kind", "category", "urgency", "externalRef",
    "receivedAt", "dispatchedAt", "acknowledgedAt", "dueAt", "dueIsProvisional", "resolvedAt", "closedAt",
    "resolution", "rejectReason", "redirectTo", "reopenCount", "escalationLevel", "rulePack", "isOverdue",
    "__typename", "compound { id name managementMode street { name } }", "handler { __typename id name kind }",
    "accountable { id name __typename }",
]
EVERYTHING = " ".join(NODE_FIELDS)
SEARCHES = ["TS-2026", "0001", "2026-0000", "%", "_", "'", "水", "a", "", " "]


@pytest.fixture
async def city(db: str) -> dict[str, Any]:
    return await console_city()


def _ledger(document: str = EVERYTHING) -> str:
    return ("query Q($filter: ComplaintFilter, $first: Int, $after: String) {"
            " complaints(filter: $filter, first: $first, after: $after) { totalCount __typename"
            " pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
            f" edges {{ cursor node {{ {document} }} }} }} }}")


async def test_the_demo_city_exercises_every_compiled_field(city):
    body = await _same_answer(_ledger(), {"first": 100}, city["tokens"]["admin"], expect_compiled=True)
    nodes = [e["node"] for e in body["data"]["complaints"]["edges"]]
    assert len(nodes) == city["complaints"]
    for name in ("externalRef", "dispatchedAt", "acknowledgedAt", "dueAt", "resolvedAt", "closedAt", "resolution",
                 "rejectReason", "redirectTo", "rulePack", "handler", "accountable"):
        assert any(n[name] is None for n in nodes) and any(n[name] is not None for n in nodes), name
    for name in ("isOverdue", "dueIsProvisional"):
        assert {n[name] for n in nodes} == {True, False}, name
    assert any(n["reopenCount"] > 0 for n in nodes) and any(n["escalationLevel"] > 0 for n in nodes)
    assert any("." in n["receivedAt"] for n in nodes) and any("." not in (n["dueAt"] or ".") for n in nodes)
    typenames = {n["handler"]["__typename"] for n in nodes if n["handler"]}
    assert typenames == {"PropertyFirm", "Organisation", "OwnersCommittee"}
    # Staff, the handling firm and a complainant each see some orders (a committee member who filed none sees none).
    for role in ("street", "community", "firm", "owner"):
        seen = await _same_answer(_ledger("id handler { __typename }"), {"first": 100}, city["tokens"][role],
                                  expect_compiled=True)
        assert seen["data"]["complaints"]["totalCount"] > 0, role
        if role == "firm":
            assert any(e["node"]["handler"] is None for e in seen["data"]["complaints"]["edges"])


@pytest.mark.parametrize("role", ROLES)
async def test_the_console_ledger_answers_as_the_resolvers_do(city, role):
    for variables in ({}, {"first": 5}, {"first": 100}, {"filter": {"overdue": True}},
                      {"filter": {"overdue": False, "status": ["DISPATCHED", "IN_PROGRESS", "CLOSED"]}},
                      {"filter": {"search": "TS-2026"}, "first": 3}):
        await _same_answer(LEDGER, variables, city["tokens"][role], expect_compiled=role != "anonymous")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_generated_filters_and_selections_answer_as_the_resolvers_do(city, data):
    chosen = data.draw(st.lists(st.sampled_from(NODE_FIELDS), min_size=1, max_size=8, unique=True))
    handler = data.draw(st.none() | st.sampled_from(city["handlers"]))
    handler_type = data.draw(st.sampled_from(["Organisation", "PropertyFirm"]))
    received = data.draw(st.none() | st.sampled_from(city["received"]))
    filter_ = {
        "status": data.draw(st.none() | st.lists(st.sampled_from([s.value for s in Status]), max_size=3)),
        "compoundId": gid("Compound", data.draw(st.sampled_from(city["compounds"]))) if data.draw(st.booleans())
        else None,
        "handlerId": gid(handler_type, handler) if handler else None,
        "overdue": data.draw(st.none() | st.booleans()),
        "channel": data.draw(st.none() | st.sampled_from(["HOTLINE_12345", "WALK_IN", "ONLINE", "GRID_PATROL"])),
        "receivedFrom": received if data.draw(st.booleans()) else None,
        "receivedTo": received if data.draw(st.booleans()) else None,
        "search": data.draw(st.none() | st.sampled_from(SEARCHES)),
    }
    filter_ = {k: v for k, v in filter_.items() if v is not None or data.draw(st.booleans())}
    after = data.draw(st.none() | st.integers(0, city["complaints"] + 2))
    variables = {"filter": filter_ or None, "first": data.draw(st.integers(0, 100)),
                 "after": encode_cursor(after) if after is not None else None}
    role = data.draw(st.sampled_from(ROLES))
    # A firm's or a committee's ID is resolved to its body by a statement: the resolvers answer those.
    compiles = role != "anonymous" and not (filter_.get("handlerId") and handler_type == "PropertyFirm")
    await _same_answer(_ledger(" ".join(chosen)), variables, city["tokens"][role], expect_compiled=compiles)


@pytest.mark.parametrize(("_case", "document", "variables"), [
    ("the complainant (masked per order)", "{ complaints { edges { node { complainant { name phone } } } } }", {}),
    ("available actions", "{ complaints { edges { node { availableActions } } } }", {}),
    ("a backward page", "{ complaints(last: 2) { edges { node { number } } } }", {}),
    ("a firm as handler", "query($f: ComplaintFilter) { complaints(filter: $f) { totalCount } }",
     {"f": {"handlerId": gid("PropertyFirm", 1)}}),
    ("a foreign compound ID", "query($f: ComplaintFilter) { complaints(filter: $f) { totalCount } }",
     {"f": {"compoundId": gid("Street", 1)}}),
    ("a fragment on the interface", "{ complaints { edges { node { handler { ... on PropertyFirm { creditCode } } } } } }",
     {}),
])
async def test_what_does_not_compile_is_answered_by_the_resolvers(city, _case, document, variables):
    await _same_answer(document, variables, city["tokens"]["street"], expect_compiled=False)


async def test_an_anonymous_caller_is_refused_by_the_resolvers(city):
    body = await _same_answer(LEDGER, {}, None, expect_compiled=False)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("role", ["admin", "street", "firm"])
async def test_a_compiled_ledger_page_costs_two_statements_for_5_items_as_for_50(city, role):
    app = _app(compiled=True)
    token = city["tokens"][role]
    await _post(app, LEDGER, {"first": 1}, token)  # the token is cached from here on
    counts = []
    for first in (5, 50):
        with count_queries() as sql:
            await _post(app, LEDGER, {"first": first, "filter": {"overdue": False}}, token)
        counts.append(len(sql))
    assert counts == [2, 2]  # the data version, then the page
    assert _endpoint(app).compiled == 3


async def test_is_overdue_is_the_request_instant_s_even_through_the_statement_and_response_caches(city):
    """A deadline passing between two requests of the same day, with no write in between, shows at once."""
    order = await Complaint.filter(status__in=list(HANDLING_STATUSES)).order_by("-id").first()
    assert order is not None
    start = datetime.now(UTC).replace(microsecond=0)
    await Complaint.filter(id=order.id).update(due_at=start + timedelta(minutes=30))
    app = create_app(Settings(database_url="unused", redis_url=None, response_cache=True), manage_database=False)
    query = "query($f: ComplaintFilter) { complaints(filter: $f, first: 100) { edges { node { id isOverdue } } } }"
    token = city["tokens"]["admin"]

    def overdue(answer: Any) -> bool:
        return next(e["node"]["isOverdue"] for e in answer[1]["data"]["complaints"]["edges"]
                    if e["node"]["id"] == gid("Complaint", order.id))

    with time_machine.travel(start, tick=False):
        before = await _post(app, query, {}, token)
        listed = await _post(app, query, {"f": {"overdue": True}}, token)
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        after = await _post(app, query, {}, token)
        listed_after = await _post(app, query, {"f": {"overdue": True}}, token)
        resolvers = await _post(_app(compiled=False), query, {}, token)
    assert not overdue(before) and overdue(after)
    assert after == resolvers
    ids = [e["node"]["id"] for e in listed[1]["data"]["complaints"]["edges"]]
    ids_after = [e["node"]["id"] for e in listed_after[1]["data"]["complaints"]["edges"]]
    assert gid("Complaint", order.id) not in ids and gid("Complaint", order.id) in ids_after
    assert _endpoint(app).compiled == 4 and _endpoint(app).cache.hits == 0
