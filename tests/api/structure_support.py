"""Shared by the structure, session and bodies API tests: contract documents, mutation calls, row snapshots."""

from __future__ import annotations

from functools import cache
from typing import Any

from graphql import DocumentNode, OperationDefinitionNode, parse, print_ast

from domain.accounts.models import AccessToken, Account
from domain.audit.models import AuditEvent
from domain.bodies.models import Body, Membership
from domain.firms.models import ContractCompound, PropertyFirm, ServiceContract
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit

from tests.contract.operations import CONTRACT_DIR

FOUNDATION_MODELS = [Street, Community, Compound, Person, Unit, Ownership, PropertyFirm, ServiceContract,
                     ContractCompound, Body, Membership, Account, AccessToken, AuditEvent]


@cache
def operation(path: str, name: str) -> str:
    """One named operation of a contract file, verbatim (as the clients send it)."""
    document = parse((CONTRACT_DIR / path).read_text(encoding="utf-8"))
    found = [d for d in document.definitions
             if isinstance(d, OperationDefinitionNode) and d.name is not None and d.name.value == name]
    assert len(found) == 1, f"{path} has no single operation named {name}"
    return print_ast(DocumentNode(definitions=(found[0],)))


STRUCTURE = "console/structure.graphql"
SESSION = "console/session.graphql"
COMMITTEES = "console/committees.graphql"


async def mutate(gql: Any, path: str, name: str, input: dict[str, Any], *, token: str | None = None,
                 headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Sends a contract mutation with `input` and returns its payload (the one root field)."""
    data = await gql(operation(path, name), {"input": input}, token=token, headers=headers)
    (payload,) = data.values()
    return payload


async def snapshot() -> dict[str, int]:
    """Row counts of every foundation table, audit log included: a failed mutation must leave them alone."""
    return {model.__name__: await model.all().count() for model in FOUNDATION_MODELS}


async def audit_events(action: str) -> list[AuditEvent]:
    return list(await AuditEvent.filter(action=action).order_by("id"))


async def assert_one_audit_event(action: str, entity_type: str, entity_id: int, actor: str | None) -> AuditEvent:
    events = await audit_events(action)
    assert len(events) == 1, [(e.action, e.entity_id) for e in events]
    event = events[0]
    assert (event.entity_type, event.entity_id, event.actor_username) == (entity_type, str(entity_id), actor)
    return event


def codes(payload: dict[str, Any]) -> list[tuple[str, list[str] | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


def refused(payload: dict[str, Any], code: str, field: list[str] | None = None) -> None:
    """The payload carries exactly one error with this code (and field) and no object."""
    assert codes(payload) == [(code, field)], payload
    assert payload["errors"][0]["message"]
    assert all(value is None for key, value in payload.items() if key != "errors"), payload


FORBIDDEN = {"code": "FORBIDDEN", "field": None, "message": "无权执行此操作"}
OUTSIDE = {"code": "FORBIDDEN", "field": None, "message": "超出您的管辖范围"}
