"""Exactly one audit event per successful mutation (issue 15 item 8), for every Mutation field of the schema.

Each mutation runs the successful call the client contract gives it (tests/contract/calls_*.py); the audit rows
are counted around that one request. A mutation the contract does not call must be listed in KNOWN_GAPS, so a
new mutation without a call fails here until it has one.
"""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

from api.app import create_app
from api.settings import Settings
from domain.audit.models import AuditEvent
from domain.audit.service import verify_audit_chain
from schema.root import schema
from tests.api.audit_scenarios import SCENARIOS, send
from tests.contract.operations import contract_operations
from tests.contract.scenario import build_scenario, calls

# Mutations with no successful call in the contract yet (none: keep it that way).
KNOWN_GAPS: dict[str, str] = {}


def _root_field(document: str) -> str | None:
    for definition in parse(document).definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.operation.value == "mutation":
            selections = definition.selection_set.selections
            if len(selections) == 1:
                return selections[0].name.value  # type: ignore[attr-defined]
    return None


def _contract_call_by_mutation() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for op in contract_operations():
        if op.kind == "mutation" and (field := _root_field(op.document)) and field not in found:
            found[field] = (op.name, op.document)
    return found


@pytest.fixture
def app(db, tmp_path):  # type: ignore[no-untyped-def]
    """The suite's app, with uploaded files (the uploadAttachment scenario) kept in a temporary directory."""
    return create_app(Settings(database_url="unused", redis_url=None, attachments_dir=str(tmp_path / "files")),
                      manage_database=False)


MUTATIONS = sorted(schema._schema.mutation_type.fields) if schema._schema.mutation_type else []
BY_MUTATION = _contract_call_by_mutation()


def test_every_mutation_has_a_scenario_or_is_a_listed_gap():
    missing = [m for m in MUTATIONS if m not in BY_MUTATION and m not in SCENARIOS and m not in KNOWN_GAPS]
    assert missing == [], (
        f"{missing}: give each a successful call in tests/api/audit_scenarios.py (or a contract call) "
        "(or, only if that is impossible now, list it in KNOWN_GAPS with the reason)")
    assert sorted(set(KNOWN_GAPS) - set(MUTATIONS)) == []


@pytest.mark.parametrize("mutation", sorted(m for m in SCENARIOS if m in MUTATIONS and m not in BY_MUTATION))
async def test_a_successful_mutation_outside_the_contract_appends_exactly_one_audit_event(mutation, gql, db):
    document, variables, token = await SCENARIOS[mutation](await build_scenario(), gql)
    before = await AuditEvent.all().count()

    body = await send(gql, document, variables, token)

    assert "errors" not in body, body.get("errors")
    assert body["data"][mutation]["errors"] == []
    assert await AuditEvent.all().count() - before == 1
    assert (await verify_audit_chain()).valid


@pytest.mark.parametrize("mutation", [m for m in MUTATIONS if m in BY_MUTATION])
async def test_a_successful_mutation_appends_exactly_one_audit_event(mutation, gql, db):
    name, document = BY_MUTATION[mutation]
    builder = calls().get(name)
    assert builder is not None, f"no call for {name}"
    call = await builder(await build_scenario())
    before = await AuditEvent.all().count()

    body = await gql(document, call.variables, token=call.token, expect_errors=True)

    assert "errors" not in body, body.get("errors")
    payload = body["data"][mutation]
    assert payload is not None and payload.get("errors", []) == [], payload
    assert await AuditEvent.all().count() - before == 1
    assert (await verify_audit_chain()).valid
