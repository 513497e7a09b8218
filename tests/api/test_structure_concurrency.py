"""Identical requests racing each other: the database's unique indexes decide, and the loser gets DUPLICATE."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.audit.service import verify_audit_chain
from domain.firms.rules import make_credit_code
from tests import factories as f
from tests.api.structure_support import SESSION, STRUCTURE, operation
from tests.conftest import make_token
from tests.factories import gid

RACERS = 6
CREATE_ACCOUNT = """mutation CreateAccount($input: CreateAccountInput!) {
  createAccount(input: $input) { account { id } errors { code field message } } }"""


async def _street_input():
    return {"name": "同名街道", "rulePack": "national"}


async def _community_input():
    return {"streetId": gid("Street", (await f.street()).id), "name": "同名社区"}


async def _compound_input():
    return {"communityId": gid("Community", (await f.community()).id), "name": "同名小区",
            "managementMode": "NONE"}


async def _person_input():
    return {"name": "王秀英", "phone": "13812345678", "idNumber": "11010519491231002X"}


async def _units_input():
    return {"compoundId": gid("Compound", (await f.compound()).id),
            "units": [{"building": "1", "number": "101", "kind": "DWELLING", "area": "50.00",
                       "areaSource": "REGISTRY"}]}


async def _firm_input():
    return {"name": "红心物业", "creditCode": make_credit_code(7), "partyOrganisation": "NONE"}


async def _account_input():
    return {"username": "same-name", "password": "s3cret-pass", "roles": ["CENTRE_STAFF"]}


@pytest.mark.parametrize(
    ("_case", "document", "build", "action", "field"),
    [
        ("createStreet", operation(STRUCTURE, "CreateStreet"), _street_input, "createStreet", ["name"]),
        ("createCommunity", operation(STRUCTURE, "CreateCommunity"), _community_input, "createCommunity", ["name"]),
        ("createCompound", operation(STRUCTURE, "CreateCompound"), _compound_input, "createCompound", ["name"]),
        ("registerPerson", operation(STRUCTURE, "RegisterPerson"), _person_input, "registerPerson", ["idNumber"]),
        ("registerUnits", operation(STRUCTURE, "RegisterUnits"), _units_input, "registerUnits", ["units"]),
        ("registerPropertyFirm", operation(STRUCTURE, "RegisterPropertyFirm"), _firm_input, "registerPropertyFirm",
         ["creditCode"]),
        ("createAccount", CREATE_ACCOUNT, _account_input, "createAccount", ["username"]),
    ],
)
async def test_racing_identical_requests_leave_one_row_and_tell_the_others_duplicate(
    gql, admin_token, _case, document, build, action, field
):
    input = await build()

    bodies = await asyncio.gather(*[gql(document, {"input": input}, token=admin_token, expect_errors=True)
                                    for _ in range(RACERS)])

    assert all("errors" not in body for body in bodies), [body.get("errors") for body in bodies]
    outcomes = sorted([(e["code"], e["field"]) for e in next(iter(body["data"].values()))["errors"]]
                      for body in bodies)
    assert outcomes == [[], *[[("DUPLICATE", field)]] * (RACERS - 1)]
    assert await AuditEvent.filter(action=action).count() == 1
    assert (await verify_audit_chain()).valid


async def test_racing_batches_of_different_units_add_up_exactly(gql, admin_token):
    compound = await f.compound()
    batches = [[{"building": "1", "number": f"{n}0{i}", "kind": "DWELLING", "area": "33.33", "areaSource": "REGISTRY"}
                for i in range(3)] for n in range(RACERS)]

    bodies = await asyncio.gather(*[
        gql(operation(STRUCTURE, "RegisterUnits"), {"input": {"compoundId": gid("Compound", compound.id),
                                                              "units": units}}, token=admin_token)
        for units in batches])

    assert all(body["registerUnits"]["errors"] == [] for body in bodies)
    await compound.refresh_from_db()
    assert (compound.household_count, compound.total_exclusive_area) == (3 * RACERS, Decimal("33.33") * 3 * RACERS)
    assert (await verify_audit_chain()).valid


async def test_racing_logins_each_get_a_token_and_keep_the_chain_whole(gql, db):
    await make_token(Role.CENTRE_STAFF, username="li")

    bodies = await asyncio.gather(*[
        gql(operation(SESSION, "Login"), {"input": {"username": "li", "password": "correct horse battery"}})
        for _ in range(RACERS)])

    assert len({body["login"]["token"] for body in bodies}) == RACERS
    check = await verify_audit_chain()
    assert (check.valid, check.checked) == (True, RACERS)
