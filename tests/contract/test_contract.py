"""Every operation in ../shared/contract validates against the schema and runs as written.

Operations of areas not built yet are listed in PENDING by name; a pending operation must still fail to
validate (so that a stale entry shows), and each later area empties its part.
"""

from __future__ import annotations

import pytest
from graphql import parse, validate

from schema.root import schema
from tests.contract.operations import contract_operations
from tests.contract.scenario import build_scenario, calls

PENDING: list[str] = [
    # owners take part themselves (issue 12)
    "RequestOwnerVerification", "CompleteOwnerSignUp", "MyHome", "CastMyBallot", "CastMyElectionBallot",
    "VerifyBallotReceipt",
    # owners are told and shown (issue 13)
    "CompoundNoticeBoard", "MyComplaints", "RateMyComplaint", "MyNotifications", "OutboxMessages",
]

OPERATIONS = contract_operations()
BY_NAME = {op.name: op for op in OPERATIONS}
GRAPHQL_SCHEMA = schema._schema


def test_the_contract_is_found_and_every_name_is_unique():
    assert len(OPERATIONS) >= 40
    assert len(BY_NAME) == len(OPERATIONS)


def test_every_pending_name_is_a_contract_operation():
    assert sorted(set(PENDING) - set(BY_NAME)) == []


@pytest.mark.parametrize("name", [op.name for op in OPERATIONS if op.name not in PENDING])
def test_operation_validates_against_the_schema(name):
    errors = validate(GRAPHQL_SCHEMA, parse(BY_NAME[name].document))
    assert errors == [], [e.message for e in errors]


def test_no_pending_operation_validates_yet():
    validating = [name for name in PENDING if not validate(GRAPHQL_SCHEMA, parse(BY_NAME[name].document))]
    assert validating == [], f"{validating} validate now: remove them from PENDING and give them a call"


RUNNABLE = [op.name for op in OPERATIONS if op.name not in PENDING and op.kind != "subscription"]


@pytest.mark.parametrize("name", RUNNABLE)
async def test_operation_runs_as_written(name, gql, db):
    builder = calls().get(name)
    assert builder is not None, f"no call for {name} in tests/contract (scenario.py or an area module)"
    scenario = await build_scenario()
    call = await builder(scenario)
    body = await gql(BY_NAME[name].document, call.variables, token=call.token, expect_errors=True)
    assert "errors" not in body, body.get("errors")
    for field, value in body["data"].items():
        if isinstance(value, dict) and "errors" in value:
            assert value["errors"] == [], f"{name}.{field}: {value['errors']}"
        assert value is not None, f"{name}.{field} returned null"
