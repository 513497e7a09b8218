"""Input bounds (issue 15 item 7): every String input has a declared maximum; over-long text, NUL characters,
lone surrogates, out-of-range IDs and cursors, malformed periods give typed errors, never a masked fault."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, get_named_type

from domain.accounts.rules import Role
from domain.complaints.models import Complaint
from domain.geography.models import Person
from schema.core.bounds import max_length
from schema.root import schema
from tests import factories
from tests.conftest import make_token
from tests.factories import gid

MASKED = "Unexpected error."


def _string_inputs() -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []
    graphql_schema = schema._schema
    for name, type_ in graphql_schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(type_, GraphQLInputObjectType):
            found += [(f"{name}.{f}", None) for f, d in type_.fields.items()
                      if get_named_type(d.type).name == "String"]
        for field_name, field in getattr(type_, "fields", {}).items() if not isinstance(
                type_, GraphQLInputObjectType) else ():
            found += [(f"{name}.{field_name}({a})", a) for a, d in field.args.items()
                      if get_named_type(d.type).name == "String"]
    return found


def test_every_string_input_field_and_argument_has_a_declared_maximum():
    inputs = _string_inputs()
    missing = [key for key, argument in inputs if max_length(key, argument) is None]

    assert len(inputs) > 50
    assert missing == [], "add to MAX_LENGTH in schema/core/bounds.py:\n" + "\n".join(
        f'    "{key}": NOTE,  # or NAME, TITLE, SHORT, CODE... (the column or kind that bounds it)'
        for key in missing)


FILE = """mutation($input: FileComplaintInput!) {
  fileComplaint(input: $input) { complaint { id } errors { code field message } } }"""
PERSON = """mutation($input: RegisterPersonInput!) {
  registerPerson(input: $input) { person { id } errors { code field message } } }"""


async def _world() -> tuple[Any, str]:
    street = await factories.street("和平街道", rule_pack="national")
    community = await factories.community(street, "幸福社区")
    compound = await factories.compound(community, "阳光花园")
    return compound, await make_token(Role.CENTRE_STAFF)


def _complaint(compound: Any, **changes: Any) -> dict[str, Any]:
    complaint = {"compoundId": gid("Compound", compound.id), "channel": "HOTLINE_12345", "kind": "COMPLAINT",
                 "category": "电梯", "urgency": "ORDINARY", "title": "电梯停运", "description": "2号楼",
                 "complainant": {"name": "业主1", "phone": "13812345678"}}
    complaint.update(changes)
    return {"input": complaint}


@pytest.mark.parametrize(
    ("_case", "changes", "field"),
    [
        ("a 201-character title", {"title": "长" * 201}, ["title"]),
        ("a long external reference", {"externalRef": "R" * 61}, ["externalRef"]),
        ("a long complainant name", {"complainant": {"name": "名" * 61}}, ["complainant.name"]),
        ("a NUL in the title", {"title": "电梯\x00停运"}, ["title"]),
        ("a 2,001-character description", {"description": "x" * 2_001}, ["description"]),
    ],
)
async def test_over_long_or_unstorable_text_is_invalid_and_nothing_is_written(gql, db, _case, changes, field):
    compound, token = await _world()

    body = await gql(FILE, _complaint(compound, **changes), token=token)

    assert [(e["code"], e["field"]) for e in body["fileComplaint"]["errors"]] == [("INVALID", field)]
    assert await Complaint.all().count() == 0


async def test_a_lone_surrogate_in_a_variable_is_invalid(client, db):
    _, token = await _world()
    raw = '{"query": %s, "variables": {"input": {"name": "\\ud800", "phone": "13812345678"}}}' % json.dumps(PERSON)

    response = await client.post("/graphql", content=raw, headers={"Authorization": f"Bearer {token}",
                                                                    "content-type": "application/json"})

    assert response.status_code == 200
    assert [(e["code"], e["field"]) for e in response.json()["data"]["registerPerson"]["errors"]] == [
        ("INVALID", ["name"])]
    assert await Person.all().count() == 0


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _errors(body: dict[str, Any]) -> list[str]:
    return [e["message"] for e in body.get("errors", [])]


@pytest.mark.parametrize(
    ("_case", "global_id"),
    [("2^31", _b64("Compound:2147483648")), ("2^63", _b64("Compound:9223372036854775808")),
     ("negative", _b64("Compound:-1")), ("garbage", "!!!not-base64"), ("empty", "")],
)
async def test_out_of_range_or_garbage_ids_find_nothing(gql, db, _case, global_id):
    _, token = await _world()

    body = await gql("query($id: ID!) { node(id: $id) { id } compound(id: $id) { id } }", {"id": global_id},
                     token=token, expect_errors=True)

    assert MASKED not in _errors(body)
    assert body["data"] == {"node": None, "compound": None}


@pytest.mark.parametrize("cursor", [_b64("cursor:2147483648"), _b64("cursor:-5"), _b64("2147483648"), "garbage!!",
                                    _b64("x" * 150), "\u0000"])
async def test_out_of_range_or_garbage_cursors_are_invalid_not_faults(gql, db, cursor):
    _, token = await _world()

    body = await gql("query($after: String) { compounds(first: 5, after: $after) { totalCount } }",
                     {"after": cursor}, token=token, expect_errors=True)

    assert MASKED not in _errors(body)
    assert body.get("errors") is None or body["errors"][0]["extensions"]["code"] == "INVALID"


@pytest.mark.parametrize(
    ("_case", "query", "code"),
    [
        ("a year past the range", '{ complaintKpis(period: "9999") { responseRate } }', "INVALID"),
        ("year zero", '{ redBlackList(period: "0000") { period } }', "INVALID"),
        ("a fifth quarter", '{ redBlackList(period: "2026-Q5") { period } }', None),
        ("an empty assignee", '{ followUpTasks(assigneeId: "") { totalCount } }', None),
        ("a 500 KB search", None, "INVALID"),
    ],
)
async def test_malformed_arguments_are_graphql_errors_with_their_message(gql, db, _case, query, code):
    _, token = await _world()
    variables = {}
    if query is None:
        query = "query($s: String) { complaints(filter: {search: $s}) { totalCount } }"
        variables = {"s": "s" * 500_000}

    body = await gql(query, variables, token=token, expect_errors=True)

    assert body.get("errors"), body
    assert MASKED not in _errors(body)
    if code is not None:
        assert body["errors"][0]["extensions"]["code"] == code
