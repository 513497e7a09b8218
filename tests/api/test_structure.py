"""createStreet, createCommunity, createCompound and registerPerson over GraphQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from domain.accounts.rules import Role
from domain.geography.models import Community, Compound, Person, Street
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

VALID_ID_NUMBER = "11010519491231002X"


# --- createStreet --------------------------------------------------------------------------------------------------

async def test_centre_admin_creates_a_street_with_its_rule_pack(gql, admin_token):
    payload = await mutate(gql, STRUCTURE, "CreateStreet", {"name": "  泉城路街道 ", "rulePack": "shandong"},
                           token=admin_token)

    street = await Street.get(name="泉城路街道")
    assert payload == {"street": {"id": gid("Street", street.id), "name": "泉城路街道", "rulePack": "shandong"},
                       "errors": []}
    assert street.rule_pack == "shandong"
    await assert_one_audit_event("createStreet", "Street", street.id, "admin")


@pytest.mark.parametrize(
    ("_case", "input", "code", "field"),
    [
        ("empty name", {"name": "", "rulePack": "national"}, "INVALID", ["name"]),
        ("blank name", {"name": "   ", "rulePack": "national"}, "INVALID", ["name"]),
        ("name too long", {"name": "街" * 101, "rulePack": "national"}, "INVALID", ["name"]),
        ("unknown rule pack", {"name": "新街道", "rulePack": "atlantis"}, "UNKNOWN_RULE_PACK", ["rulePack"]),
        ("rule pack in the wrong case", {"name": "新街道", "rulePack": "Beijing"}, "UNKNOWN_RULE_PACK", ["rulePack"]),
        ("name of an existing street", {"name": "已有街道", "rulePack": "beijing"}, "DUPLICATE", ["name"]),
    ],
)
async def test_a_refused_street_is_not_written(gql, admin_token, _case, input, code, field):
    await f.street("已有街道")
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "CreateStreet", input, token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize("role", [None, Role.CENTRE_STAFF, Role.STREET_STAFF, Role.OWNER])
async def test_only_centre_admins_create_streets(gql, db, role):
    token = await make_token(role, street_id=(await f.street()).id) if role else None
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "CreateStreet", {"name": "越权街道", "rulePack": "national"}, token=token)

    assert payload == {"street": None, "errors": [FORBIDDEN]}
    assert await snapshot() == before


# --- createCommunity -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.CENTRE_ADMIN, Role.STREET_STAFF])
async def test_admin_or_street_staff_create_a_community_in_the_street(gql, db, role):
    street = await f.street("趵突泉街道")
    token = await make_token(role, username="creator", street_id=street.id)

    payload = await mutate(gql, STRUCTURE, "CreateCommunity",
                           {"streetId": gid("Street", street.id), "name": "南门社区"}, token=token)

    community = await Community.get(name="南门社区")
    assert payload == {
        "community": {"id": gid("Community", community.id), "name": "南门社区",
                      "street": {"id": gid("Street", street.id)}},
        "errors": [],
    }
    assert community.street_id == street.id
    await assert_one_audit_event("createCommunity", "Community", community.id, "creator")


async def test_the_same_community_name_may_be_used_in_another_street(gql, admin_token):
    await f.community(await f.street(), name="和平社区")
    other = await f.street()

    payload = await mutate(gql, STRUCTURE, "CreateCommunity",
                           {"streetId": gid("Street", other.id), "name": "和平社区"}, token=admin_token)

    assert payload["errors"] == []
    assert await Community.filter(name="和平社区").count() == 2


@pytest.mark.parametrize(
    ("_case", "street_id", "name", "code", "field"),
    [
        ("empty name", "street", "", "INVALID", ["name"]),
        ("existing name in the street", "street", "和平社区", "DUPLICATE", ["name"]),
        ("street that does not exist", gid("Street", 999999), "新社区", "NOT_FOUND", ["streetId"]),
        ("malformed street ID", "not-an-id", "新社区", "INVALID", ["streetId"]),
        ("ID of another type", gid("Compound", 1), "新社区", "INVALID", ["streetId"]),
    ],
)
async def test_a_refused_community_is_not_written(gql, admin_token, _case, street_id, name, code, field):
    street = await f.street()
    await f.community(street, name="和平社区")
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "CreateCommunity",
                           {"streetId": gid("Street", street.id) if street_id == "street" else street_id,
                            "name": name}, token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("_case", "role", "own_street", "error"),
    [
        ("anonymous", None, True, FORBIDDEN),
        ("community staff", Role.COMMUNITY_STAFF, True, FORBIDDEN),
        ("centre staff", Role.CENTRE_STAFF, True, FORBIDDEN),
        ("street staff of another street", Role.STREET_STAFF, False, OUTSIDE),
    ],
)
async def test_communities_are_created_only_inside_the_jurisdiction(gql, db, _case, role, own_street, error):
    street, elsewhere = await f.street(), await f.street()
    home = await f.community(street)
    anchor = street if own_street else elsewhere
    token = await make_token(role, street_id=anchor.id, community_id=home.id) if role else None
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "CreateCommunity",
                           {"streetId": gid("Street", street.id), "name": "越权社区"}, token=token)

    assert payload == {"community": None, "errors": [error]}
    assert await snapshot() == before


# --- createCompound ------------------------------------------------------------------------------------------------

COMPOUND_INPUT = {"name": "幸福里", "address": "泉城路1号", "managementMode": "COMMUNITY_CUSTODIAL",
                  "isOldCompound": True}


@pytest.mark.parametrize("role", [Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF])
async def test_territory_staff_create_a_compound_in_their_community(gql, db, role):
    community = await f.community()
    token = await make_token(role, username="creator", street_id=community.street_id, community_id=community.id)

    payload = await mutate(gql, STRUCTURE, "CreateCompound",
                           {**COMPOUND_INPUT, "communityId": gid("Community", community.id)}, token=token)

    compound = await Compound.get(name="幸福里")
    assert payload == {"compound": {"id": gid("Compound", compound.id), "name": "幸福里",
                                    "managementMode": "COMMUNITY_CUSTODIAL"}, "errors": []}
    assert (compound.community_id, compound.street_id, compound.address) == (
        community.id, community.street_id, "泉城路1号")
    assert (compound.is_old_compound, compound.is_red_property, compound.household_count) == (True, False, 0)
    await assert_one_audit_event("createCompound", "Compound", compound.id, "creator")


@pytest.mark.parametrize(
    ("_case", "changes", "code", "field"),
    [
        ("empty name", {"name": " "}, "INVALID", ["name"]),
        ("address too long", {"address": "路" * 201}, "INVALID", ["address"]),
        ("existing name in the community", {"name": "已有小区"}, "DUPLICATE", ["name"]),
        ("community that does not exist", {"communityId": gid("Community", 999999)}, "NOT_FOUND", ["communityId"]),
        ("malformed community ID", {"communityId": "%%%"}, "INVALID", ["communityId"]),
        ("street ID for a community", {"communityId": gid("Street", 1)}, "INVALID", ["communityId"]),
    ],
)
async def test_a_refused_compound_is_not_written(gql, admin_token, _case, changes, code, field):
    community = await f.community()
    await f.compound(community, name="已有小区")
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "CreateCompound",
                           {**COMPOUND_INPUT, "communityId": gid("Community", community.id), **changes},
                           token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("_case", "role", "error"),
    [
        ("anonymous", None, FORBIDDEN),
        ("firm staff", Role.FIRM_STAFF, FORBIDDEN),
        ("owner", Role.OWNER, FORBIDDEN),
        ("street staff of another street", Role.STREET_STAFF, OUTSIDE),
        ("community staff of a neighbouring community", Role.COMMUNITY_STAFF, OUTSIDE),
    ],
)
async def test_compounds_are_created_only_inside_the_jurisdiction(gql, db, _case, role, error):
    target = await f.community()
    neighbour = await f.community(await Street.get(id=target.street_id))
    elsewhere = await f.community()
    firm = await f.firm()
    owner = await f.person()
    token = None
    if role is Role.STREET_STAFF:
        token = await make_token(role, street_id=elsewhere.street_id)
    elif role is Role.COMMUNITY_STAFF:
        token = await make_token(role, street_id=neighbour.street_id, community_id=neighbour.id)
    elif role is not None:
        token = await make_token(role, firm_id=firm.id, person_id=owner.id)
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "CreateCompound",
                           {**COMPOUND_INPUT, "communityId": gid("Community", target.id)}, token=token)

    assert payload == {"compound": None, "errors": [error]}
    assert await snapshot() == before


# --- registerPerson ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", [Role.CENTRE_ADMIN, Role.CENTRE_STAFF, Role.STREET_STAFF, Role.COMMUNITY_STAFF])
async def test_staff_register_a_person_with_normalised_phone_and_id_number(gql, db, role):
    community = await f.community()
    token = await make_token(role, username="clerk", street_id=community.street_id, community_id=community.id)

    payload = await mutate(gql, STRUCTURE, "RegisterPerson",
                           {"name": " 王秀英 ", "phone": "+86 138 1234 5678", "idNumber": VALID_ID_NUMBER.lower(),
                            "isPartyMember": True}, token=token)

    person = await Person.get(name="王秀英")
    assert payload == {"person": {"id": gid("Person", person.id), "name": "王秀英", "phone": "13812345678",
                                  "isPartyMember": True}, "errors": []}
    assert (person.phone, person.id_number, person.is_party_member) == ("13812345678", VALID_ID_NUMBER, True)
    await assert_one_audit_event("registerPerson", "Person", person.id, "clerk")


async def test_persons_without_id_number_may_share_a_name_and_phone(gql, admin_token):
    for _ in range(2):
        payload = await mutate(gql, STRUCTURE, "RegisterPerson",
                               {"name": "李明", "phone": "010-12345678", "isPartyMember": False}, token=admin_token)
        assert payload["errors"] == []

    assert await Person.filter(name="李明", id_number=None).count() == 2


@pytest.mark.parametrize(
    ("_case", "changes", "code", "field"),
    [
        ("phone too short", {"phone": "1381234"}, "INVALID", ["phone"]),
        ("phone with letters", {"phone": "138abcd5678"}, "INVALID", ["phone"]),
        ("wrong ID check character", {"idNumber": "110105194912310021"}, "INVALID", ["idNumber"]),
        ("ID number too short", {"idNumber": "11010519491231"}, "INVALID", ["idNumber"]),
        ("ID number already registered", {"idNumber": VALID_ID_NUMBER}, "DUPLICATE", ["idNumber"]),
        ("ID number already registered, in lower case", {"idNumber": VALID_ID_NUMBER.lower()}, "DUPLICATE",
         ["idNumber"]),
        ("empty name", {"name": ""}, "INVALID", ["name"]),
    ],
)
async def test_a_refused_person_is_not_written(gql, admin_token, _case, changes, code, field):
    registered = await f.person("张伟")
    registered.id_number = VALID_ID_NUMBER
    await registered.save()
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "RegisterPerson",
                           {"name": "赵敏", "phone": "13912345678", "isPartyMember": False, **changes},
                           token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize("role", [None, Role.OWNER, Role.FIRM_STAFF, Role.COMMITTEE_MEMBER])
async def test_only_staff_register_persons(gql, db, role):
    anchor = await f.person()
    token = await make_token(role, person_id=anchor.id, firm_id=(await f.firm()).id) if role else None
    before = await snapshot()

    payload = await mutate(gql, STRUCTURE, "RegisterPerson",
                           {"name": "赵敏", "phone": "13912345678", "isPartyMember": False}, token=token)

    assert payload == {"person": None, "errors": [FORBIDDEN]}
    assert await snapshot() == before
