"""registerPropertyFirm and signServiceContract over GraphQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from domain.accounts.rules import Role
from domain.audit.service import verify_audit_chain
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind
from domain.firms.models import ContractCompound, PropertyFirm, ServiceContract
from domain.firms.rules import make_credit_code
from domain.calendar import LOCAL
from tests import factories as f
from tests.api.structure_support import (
    FORBIDDEN,
    OUTSIDE,
    STRUCTURE,
    assert_one_audit_event,
    mutate,
    refused,
    snapshot,
)
from tests.conftest import make_token
from tests.factories import gid

CODE = make_credit_code(20261121)
WRONG_CHECK = CODE[:-1] + ("0" if CODE[-1] != "0" else "1")
FIRM_INPUT = {"name": "泉城红心物业", "creditCode": CODE, "partyOrganisation": "JOINT_BRANCH", "staffCount": 40,
              "partyMemberStaffCount": 6}


# --- registerPropertyFirm ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.CENTRE_ADMIN, Role.CENTRE_STAFF])
async def test_centre_staff_register_a_property_firm_with_its_body(gql, db, role):
    token = await make_token(role, username="registrar")

    payload = await mutate(gql, STRUCTURE, "RegisterPropertyFirm", {**FIRM_INPUT, "creditCode": CODE.lower()},
                           token=token)

    firm = await PropertyFirm.get(credit_code=CODE)
    assert payload == {"firm": {"id": gid("PropertyFirm", firm.id), "name": "泉城红心物业", "creditCode": CODE,
                                "partyOrganisation": "JOINT_BRANCH"}, "errors": []}
    assert (firm.staff_count, firm.party_member_staff_count, firm.party_building_instructor) == (40, 6, None)
    body = await Body.get(id=firm.body_id)
    assert (body.kind, body.name) == (BodyKind.PROPERTY_FIRM, "泉城红心物业")
    await assert_one_audit_event("registerPropertyFirm", "PropertyFirm", firm.id, "registrar")


@pytest.mark.parametrize(("_case", "given", "kept"), [("a name", " 李书记 ", "李书记"), ("blank", "  ", None)])
async def test_the_party_building_instructor_is_optional_and_trimmed(gql, admin_token, _case, given, kept):
    payload = await mutate(gql, STRUCTURE, "RegisterPropertyFirm", {**FIRM_INPUT, "partyBuildingInstructor": given},
                           token=admin_token)

    assert payload["errors"] == []
    assert (await PropertyFirm.get(credit_code=CODE)).party_building_instructor == kept


@pytest.mark.parametrize(
    ("_case", "changes", "code", "field"),
    [
        ("check character flipped", {"creditCode": WRONG_CHECK}, "INVALID_CREDIT_CODE", ["creditCode"]),
        ("too short", {"creditCode": CODE[:-1]}, "INVALID_CREDIT_CODE", ["creditCode"]),
        ("credit code already registered", {"creditCode": make_credit_code(1)}, "DUPLICATE", ["creditCode"]),
        ("empty name", {"name": ""}, "INVALID", ["name"]),
        ("negative staff", {"staffCount": -1, "partyMemberStaffCount": 0}, "INVALID", ["staffCount"]),
        ("more party members than staff", {"partyMemberStaffCount": 41}, "INVALID", ["partyMemberStaffCount"]),
        ("instructor's name too long", {"partyBuildingInstructor": "党" * 61}, "INVALID", ["partyBuildingInstructor"]),
    ],
)
async def test_a_refused_firm_is_not_written(gql, admin_token, _case, changes, code, field):
    await f.firm(credit_code=make_credit_code(1))
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "RegisterPropertyFirm", {**FIRM_INPUT, **changes}, token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize("role", [None, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.FIRM_STAFF])
async def test_only_the_centre_registers_firms(gql, db, role):
    community = await f.community()
    token = await make_token(role, street_id=community.street_id, community_id=community.id,
                             firm_id=(await f.firm()).id) if role else None
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "RegisterPropertyFirm", FIRM_INPUT, token=token)

    assert payload == {"firm": None, "errors": [FORBIDDEN]}
    assert await snapshot() == before


# --- signServiceContract -------------------------------------------------------------------------------------------

TODAY = datetime.now(LOCAL).date()
STARTS, ENDS = TODAY - timedelta(days=30), TODAY + timedelta(days=730)


def contract_input(firm, *compounds, starts_on=STARTS, ends_on=ENDS, fee="2.80") -> dict:
    return {"firmId": gid("PropertyFirm", firm.id), "compoundIds": [gid("Compound", c.id) for c in compounds],
            "startsOn": starts_on.isoformat(), "endsOn": ends_on.isoformat(), "feePerSquareMetre": fee}


@pytest.mark.parametrize("role", [Role.CENTRE_ADMIN, Role.STREET_STAFF])
async def test_a_firm_signs_one_contract_for_several_compounds(gql, db, role):
    community = await f.community()
    east, west = await f.compound(community), await f.compound(community)
    firm = await f.firm()
    token = await make_token(role, username="signer", street_id=community.street_id)

    payload = await mutate(gql, STRUCTURE, "SignServiceContract", contract_input(firm, west, east), token=token)

    contract = await ServiceContract.get(firm_id=firm.id)
    assert payload == {
        "contract": {"id": gid("ServiceContract", contract.id), "status": "ACTIVE", "startsOn": STARTS.isoformat(),
                     "endsOn": ENDS.isoformat(), "firm": {"id": gid("PropertyFirm", firm.id)},
                     "compounds": [{"id": gid("Compound", east.id)}, {"id": gid("Compound", west.id)}]},
        "errors": [],
    }
    assert (contract.starts_on, contract.ends_on, contract.fee_per_square_metre) == (STARTS, ENDS, Decimal("2.80"))
    coverage = await ContractCompound.filter(contract_id=contract.id).order_by("compound_id")
    assert [(c.compound_id, c.firm_id_copy, c.starts_on, c.ends_on) for c in coverage] == [
        (c.id, firm.id, STARTS, ENDS) for c in sorted([east, west], key=lambda c: c.id)]
    await assert_one_audit_event("signServiceContract", "ServiceContract", contract.id, "signer")


@pytest.mark.parametrize(
    ("_case", "starts_on", "ends_on", "status"),
    [("starting next month", TODAY + timedelta(days=31), TODAY + timedelta(days=400), "PENDING"),
     ("ending today", TODAY - timedelta(days=365), TODAY, "ACTIVE")],
)
async def test_contract_status_is_derived_from_today(gql, admin_token, _case, starts_on, ends_on, status):
    compound, firm = await f.compound(), await f.firm()

    payload = await mutate(gql, STRUCTURE, "SignServiceContract",
                           contract_input(firm, compound, starts_on=starts_on, ends_on=ends_on), token=admin_token)

    assert (payload["errors"], payload["contract"]["status"]) == ([], status)


@pytest.mark.parametrize(
    ("_case", "existing", "terminated"),
    [
        ("the earlier contract ends the day before", (STARTS - timedelta(days=365), STARTS - timedelta(days=1)),
         False),
        ("the other contract starts the day after", (ENDS + timedelta(days=1), ENDS + timedelta(days=365)), False),
        ("the overlapping contract was terminated", (STARTS, ENDS), True),
    ],
)
async def test_a_compound_may_be_served_again_when_periods_do_not_overlap(gql, admin_token, _case, existing,
                                                                          terminated):
    compound = await f.compound()
    old = await f.contract(await f.firm(), compound, starts_on=existing[0], ends_on=existing[1])
    if terminated:
        old.terminated_on = TODAY - timedelta(days=60)
        await old.save()

    payload = await mutate(gql, STRUCTURE, "SignServiceContract", contract_input(await f.firm(), compound),
                           token=admin_token)

    assert payload["errors"] == []
    assert await ContractCompound.filter(compound_id=compound.id).count() == 2


@pytest.mark.parametrize(
    ("_case", "existing"),
    [
        ("the earlier contract ends on the start day", (STARTS - timedelta(days=365), STARTS)),
        ("the later contract starts on the end day", (ENDS, ENDS + timedelta(days=365))),
        ("the same period", (STARTS, ENDS)),
        ("a period inside", (TODAY, TODAY + timedelta(days=1))),
    ],
)
async def test_a_compound_already_served_in_the_period_is_refused(gql, admin_token, _case, existing):
    free, taken = await f.compound(name="空闲小区"), await f.compound(name="已签小区")
    await f.contract(await f.firm(), taken, starts_on=existing[0], ends_on=existing[1])
    firm = await f.firm()
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "SignServiceContract", contract_input(firm, free, taken),
                           token=admin_token)

    refused(payload, "COMPOUND_ALREADY_SERVED", ["compoundIds"])
    assert "已签小区" in payload["errors"][0]["message"]
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("_case", "terminated_on", "served"),
    [
        ("terminated on the new start day", STARTS, False),
        ("terminated the day after the new start", STARTS + timedelta(days=1), True),
        ("termination scheduled next month", TODAY + timedelta(days=30), True),
    ],
)
async def test_a_terminated_contract_serves_until_the_day_before_its_termination(gql, admin_token, _case,
                                                                                  terminated_on, served):
    compound = await f.compound()
    old = await f.contract(await f.firm(), compound, starts_on=STARTS - timedelta(days=365), ends_on=ENDS)
    old.terminated_on = terminated_on
    await old.save()
    firm = await f.firm()

    payload = await mutate(gql, STRUCTURE, "SignServiceContract", contract_input(firm, compound), token=admin_token)

    assert [e["code"] for e in payload["errors"]] == (["COMPOUND_ALREADY_SERVED"] if served else [])


@pytest.mark.parametrize(
    ("_case", "changes", "code", "field"),
    [
        ("ends on the start day", {"endsOn": STARTS.isoformat()}, "INVALID", ["endsOn"]),
        ("ends before it starts", {"endsOn": (STARTS - timedelta(days=1)).isoformat()}, "INVALID", ["endsOn"]),
        ("negative fee", {"feePerSquareMetre": "-1.00"}, "INVALID", ["feePerSquareMetre"]),
        ("fee with three decimals", {"feePerSquareMetre": "2.555"}, "INVALID", ["feePerSquareMetre"]),
        ("fee beyond what the column holds", {"feePerSquareMetre": "1000000.00"}, "INVALID", ["feePerSquareMetre"]),
        ("no compounds", {"compoundIds": []}, "INVALID", ["compoundIds"]),
        ("a compound twice", {"compoundIds": "twice"}, "INVALID", ["compoundIds"]),
        ("firm that does not exist", {"firmId": gid("PropertyFirm", 999999)}, "NOT_FOUND", ["firmId"]),
        ("compound that does not exist", {"compoundIds": [gid("Compound", 999999)]}, "NOT_FOUND", ["compoundIds"]),
        ("malformed firm ID", {"firmId": "firm-1"}, "INVALID", ["firmId"]),
        ("organisation ID as firm ID", {"firmId": gid("Organisation", 1)}, "INVALID", ["firmId"]),
        ("malformed compound ID", {"compoundIds": ["???"]}, "INVALID", ["compoundIds"]),
    ],
)
async def test_a_refused_contract_is_not_written(gql, admin_token, _case, changes, code, field):
    compound, firm = await f.compound(), await f.firm()
    if changes.get("compoundIds") == "twice":
        changes = {"compoundIds": [gid("Compound", compound.id)] * 2}
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "SignServiceContract", {**contract_input(firm, compound), **changes},
                           token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("_case", "role", "error"),
    [
        ("anonymous", None, FORBIDDEN),
        ("centre staff", Role.CENTRE_STAFF, FORBIDDEN),
        ("firm staff", Role.FIRM_STAFF, FORBIDDEN),
        ("street staff of another street", Role.STREET_STAFF, OUTSIDE),
        ("community staff of only one of the compounds", Role.COMMUNITY_STAFF, OUTSIDE),
    ],
)
async def test_contracts_are_signed_only_inside_the_jurisdiction(gql, db, _case, role, error):
    mine, theirs = await f.compound(), await f.compound()
    firm = await f.firm()
    elsewhere = await f.street()
    token = await make_token(role, street_id=elsewhere.id, community_id=mine.community_id,
                             firm_id=firm.id) if role else None
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "SignServiceContract", contract_input(firm, mine, theirs), token=token)

    assert payload == {"contract": None, "errors": [error]}
    assert await snapshot() == before


async def test_concurrent_signings_for_one_compound_leave_exactly_one_contract(gql, admin_token):
    compound = await f.compound()
    firms = [await f.firm() for _ in range(5)]

    payloads = await asyncio.gather(*[
        mutate(gql, STRUCTURE, "SignServiceContract", contract_input(firm, compound), token=admin_token)
        for firm in firms])

    outcomes = sorted(tuple(e["code"] for e in p["errors"]) for p in payloads)
    assert outcomes == [(), *[("COMPOUND_ALREADY_SERVED",)] * 4]
    assert await ContractCompound.filter(compound_id=compound.id).count() == 1
    assert (await verify_audit_chain()).valid
