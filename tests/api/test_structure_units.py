"""registerUnits over GraphQL: a batch of units with owners is registered whole or not at all."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.accounts.rules import Role
from domain.geography.models import Compound, Ownership, Unit
from domain.geography.rules import UnitKind
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


class NOBODY:
    """An owner that was never registered."""

    id = 999999


def unit(number: str, area: str = "89.50", *owners, building: str = "3", entrance: str = "2",
         kind: str = "DWELLING", **extra) -> dict:
    return {"building": building, "entrance": entrance, "number": number, "kind": kind, "area": area,
            "areaSource": "REGISTRY", "ownerIds": [gid("Person", o.id) for o in owners], **extra}


async def register(gql, compound, units, token):
    return await mutate(gql, STRUCTURE, "RegisterUnits", {"compoundId": gid("Compound", compound.id), "units": units},
                        token=token)


async def test_units_are_registered_with_owners_and_the_compound_totals_follow(gql, db):
    compound = await f.compound()
    await f.unit(compound, building="1", number="101", area="100.00")
    wang, li = await f.person("王"), await f.person("李")
    token = await make_token(Role.COMMUNITY_STAFF, username="clerk", community_id=compound.community_id)

    payload = await register(gql, compound, [
        unit("301", "89.50", wang, li),
        unit("302", "120.25", li),
        unit("P-01", "12.30", wang, kind="PARKING", building="B1", entrance=""),
        unit("S-01", "45.00", kind="SHOP", building="1", heldByDeveloper=True),
    ], token)

    rows = {u.number: u for u in await Unit.filter(compound_id=compound.id)}
    assert payload == {
        "units": [
            {"id": gid("Unit", rows["301"].id), "building": "3", "entrance": "2", "number": "301", "kind": "DWELLING",
             "area": "89.50", "owners": [{"id": gid("Person", wang.id)}, {"id": gid("Person", li.id)}]},
            {"id": gid("Unit", rows["302"].id), "building": "3", "entrance": "2", "number": "302", "kind": "DWELLING",
             "area": "120.25", "owners": [{"id": gid("Person", li.id)}]},
            {"id": gid("Unit", rows["P-01"].id), "building": "B1", "entrance": "", "number": "P-01",
             "kind": "PARKING", "area": "12.30", "owners": [{"id": gid("Person", wang.id)}]},
            {"id": gid("Unit", rows["S-01"].id), "building": "1", "entrance": "2", "number": "S-01", "kind": "SHOP",
             "area": "45.00", "owners": []},
        ],
        "compound": {"id": gid("Compound", compound.id), "householdCount": 3, "totalExclusiveArea": "367.05"},
        "errors": [],
    }
    assert (rows["302"].area, rows["302"].kind, rows["S-01"].held_by_developer) == (
        Decimal("120.25"), UnitKind.DWELLING, True)
    assert sorted(await Ownership.filter(unit_id=rows["301"].id).values_list("person_id", flat=True)) == sorted(
        [wang.id, li.id])
    reread = await Compound.get(id=compound.id)
    assert (reread.household_count, reread.total_exclusive_area) == (3, Decimal("367.05"))
    await assert_one_audit_event("registerUnits", "Compound", compound.id, "clerk")


async def test_totals_accumulate_exactly_over_many_batches(gql, admin_token):
    compound = await f.compound()

    for batch in range(3):
        payload = await register(gql, compound, [unit(f"{batch}0{i}", "0.10") for i in range(1, 4)], admin_token)
        assert payload["errors"] == []

    assert payload["compound"] == {"id": gid("Compound", compound.id), "householdCount": 9,
                                   "totalExclusiveArea": "0.90"}


async def test_the_same_number_in_another_building_or_entrance_is_a_different_unit(gql, admin_token):
    compound = await f.compound()
    await f.unit(compound, building="3", entrance="2", number="301")

    payload = await register(gql, compound, [unit("301", building="4"), unit("301", entrance="1")], admin_token)

    assert payload["errors"] == []
    assert await Unit.filter(compound_id=compound.id, number="301").count() == 3


@pytest.mark.parametrize(
    ("_case", "units", "code", "field"),
    [
        ("no units", [], "INVALID", ["units"]),
        ("zero area", [unit("301"), unit("302", "0")], "INVALID", ["units.1.area"]),
        ("negative area", [unit("301", "-5.00")], "INVALID", ["units.0.area"]),
        ("area with three decimals", [unit("301"), unit("302"), unit("303", "89.505")], "INVALID", ["units.2.area"]),
        ("huge area", [unit("301", "1000000.00")], "INVALID", ["units.0.area"]),
        ("empty building", [unit("301", building=" ")], "INVALID", ["units.0.building"]),
        ("empty number", [unit("")], "INVALID", ["units.0.number"]),
        ("entrance too long", [unit("301", entrance="1" * 21)], "INVALID", ["units.0.entrance"]),
        ("same unit twice in the batch", [unit("301"), unit("302"), unit(" 301 ")], "DUPLICATE", ["units"]),
        ("unit registered before", [unit("302"), unit("101", building="1", entrance="1")], "DUPLICATE", ["units"]),
        ("owner who does not exist", [unit("301"), unit("302", "89.50", NOBODY)], "NOT_FOUND", ["units.1.ownerIds"]),
        ("malformed owner ID", [unit("301", ownerIds=["garbage"])], "INVALID", ["units.0.ownerIds"]),
        ("compound ID as owner ID", [unit("301"), unit("302", ownerIds=[gid("Compound", 1)])], "INVALID",
         ["units.1.ownerIds"]),
    ],
)
async def test_one_bad_unit_among_good_ones_writes_no_unit(gql, admin_token, _case, units, code, field):
    compound = await f.compound()
    await f.unit(compound, building="1", entrance="1", number="101", area="100.00")
    before = await snapshot()

    payload = await register(gql, compound, units, admin_token)

    refused(payload, code, field)
    assert await snapshot() == before
    reread = await Compound.get(id=compound.id)
    assert (reread.household_count, reread.total_exclusive_area) == (1, Decimal("100.00"))


@pytest.mark.parametrize(
    ("_case", "owners", "flags", "field"),
    [
        ("developer-held unit with an owner", 1, {"heldByDeveloper": True}, "units.0.ownerIds"),
        ("owner listed twice", 2, {}, "units.0.ownerIds"),
    ],
)
async def test_inconsistent_ownership_is_invalid(gql, admin_token, _case, owners, flags, field):
    compound = await f.compound()
    owner = await f.person()
    before = await snapshot()

    payload = await register(gql, compound, [unit("301", "89.50", *[owner] * owners, **flags)], admin_token)

    refused(payload, "INVALID", [field])
    assert await snapshot() == before


async def test_units_of_a_compound_that_does_not_exist_are_not_found(gql, admin_token):
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "RegisterUnits",
                           {"compoundId": gid("Compound", 999999), "units": [unit("301")]}, token=admin_token)

    refused(payload, "NOT_FOUND", ["compoundId"])
    assert await snapshot() == before


@pytest.mark.parametrize(("_case", "compound_id"), [("malformed", "Q29tcG91bmQ6"), ("a street's ID", "street")])
async def test_units_need_a_compound_id(gql, admin_token, _case, compound_id):
    street = await f.street()
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "RegisterUnits",
                           {"compoundId": gid("Street", street.id) if compound_id == "street" else compound_id,
                            "units": [unit("301")]}, token=admin_token)

    refused(payload, "INVALID", ["compoundId"])
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("_case", "role", "error"),
    [
        ("anonymous", None, FORBIDDEN),
        ("centre staff", Role.CENTRE_STAFF, FORBIDDEN),
        ("firm staff", Role.FIRM_STAFF, FORBIDDEN),
        ("owner", Role.OWNER, FORBIDDEN),
        ("street staff of another street", Role.STREET_STAFF, OUTSIDE),
        ("community staff of another community", Role.COMMUNITY_STAFF, OUTSIDE),
    ],
)
async def test_units_are_registered_only_inside_the_jurisdiction(gql, db, _case, role, error):
    compound = await f.compound()
    elsewhere = await f.community()
    owner = await f.person()
    token = await make_token(role, street_id=elsewhere.street_id, community_id=elsewhere.id,
                             firm_id=(await f.firm()).id, person_id=owner.id) if role else None
    before = await snapshot()

    payload = await register(gql, compound, [unit("301", "89.50", owner)], token)

    assert payload == {"units": None, "compound": None, "errors": [error]}
    assert await snapshot() == before
    assert (await Compound.get(id=compound.id)).household_count == 0
