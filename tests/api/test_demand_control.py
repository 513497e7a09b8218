"""Demand control (issue 15 item 4): selections capped before validation, a static node cost refused before
execution and reported in `extensions.cost`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from graphql import parse
from graphql.validation.rules.overlapping_fields_can_be_merged import OverlappingFieldsCanBeMergedRule

from api.app import create_app
from api.settings import Settings
from schema.core.demand import measure_document, static_cost
from schema.root import schema
from tests.conftest import Gql, count_queries

REPEATED = "{" + " ".join("streets { totalCount }" for _ in range(520)) + "}"
HEAVY = "{" + " ".join(
    f"a{i}: compounds(first: 100) {{ edges {{ node {{ name units(first: 100) {{ edges {{ node {{ number "
    f"owners {{ name phone idNumber }} }} }} }} }} }} }}" for i in range(30)) + "}"


def _cost(document: str, variables: dict[str, Any] | None = None) -> int:
    return static_cost(schema._schema, parse(document), None, variables or {})


@pytest.mark.parametrize(
    ("_case", "document", "variables", "nodes"),
    [
        ("a connection without first counts the default page", "{ streets { totalCount } }", None, 20),
        ("first counts its value", "{ streets(first: 5) { totalCount } }", None, 5),
        ("a variable counts its value", "query($n: Int) { streets(first: $n) { totalCount } }", {"n": 7}, 7),
        ("nested connections multiply",
         "{ compounds(first: 10) { edges { node { units(first: 5) { totalCount } } } } }", None, 10 + 10 * 5),
        ("aliases add up", "{ a: streets(first: 3) { totalCount } b: streets(last: 4) { totalCount } }", None, 7),
        ("a scalar field costs nothing", "{ viewer { username } }", None, 0),
        ("the reported staff query", HEAVY, None, 30 * (100 + 100 * 100 + 100 * 100 * 20)),
    ],
)
def test_the_static_cost_is_the_product_of_page_sizes_down_each_path(_case, document, variables, nodes):
    assert _cost(document, variables) == nodes


def test_a_fragment_is_counted_where_it_is_spread_and_repeats_are_measured():
    document = parse("fragment S on Query { streets { totalCount } } { ...S ...S a: streets { totalCount } }")

    size = measure_document(document, 1000)

    assert (size.selections, size.repeats) == (1 + 2 + 2 + 2, 1)
    assert measure_document(parse(REPEATED), 1000).repeats == 520


async def test_the_repeated_field_document_is_refused_before_validation(gql, db, monkeypatch):
    validated: list[int] = []
    original = OverlappingFieldsCanBeMergedRule.__init__

    def counting(self: Any, context: Any) -> None:
        validated.append(1)
        original(self, context)

    monkeypatch.setattr(OverlappingFieldsCanBeMergedRule, "__init__", counting)

    body = await gql(REPEATED, expect_errors=True)

    assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_SELECTIONS"
    assert validated == []


async def test_a_query_over_the_cost_maximum_is_refused_before_any_sql(gql, db):
    with count_queries() as statements:
        body = await gql(HEAVY, expect_errors=True)

    assert body["errors"][0]["extensions"]["code"] == "COST_LIMIT"
    assert "maximum" in body["errors"][0]["message"] and body.get("data") is None
    assert statements == []


async def test_the_cost_of_an_admitted_query_is_reported(gql, db):
    body = await gql("{ compounds(first: 10) { edges { node { units(first: 5) { totalCount } } } } }",
                     expect_errors=True)

    assert "errors" not in body
    assert body["extensions"]["cost"] == {"nodes": 60, "maximum": 50_000}


async def test_the_maximum_is_a_setting(db):
    app = create_app(Settings(database_url="unused", redis_url=None, max_cost=50), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        body = await Gql(http)("{ streets(first: 51) { totalCount } }", expect_errors=True)
        admitted = await Gql(http)("{ streets(first: 50) { totalCount } }", expect_errors=True)

    assert body["errors"][0]["extensions"] == {"code": "COST_LIMIT", "cost": 51, "maximum": 50}
    assert "errors" not in admitted
