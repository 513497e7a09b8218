"""createBody and appointMember over GraphQL (console/committees.graphql), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from domain.accounts.rules import Role
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from tests import factories as f
from tests.api.structure_support import (
    COMMITTEES,
    FORBIDDEN,
    OUTSIDE,
    assert_one_audit_event,
    mutate,
    refused,
    snapshot,
)
from tests.conftest import make_token
from tests.factories import gid

# --- createBody ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF])
async def test_territory_staff_create_a_community_party_organisation(gql, db, role):
    community = await f.community()
    token = await make_token(role, username="organiser", street_id=community.street_id, community_id=community.id)

    payload = await mutate(gql, COMMITTEES, "CreateBody",
                           {"kind": "COMMUNITY_PARTY_ORGANISATION", "name": " 南门社区党委 ",
                            "communityId": gid("Community", community.id)}, token=token)

    body = await Body.get(name="南门社区党委")
    assert payload == {"body": {"id": gid("Organisation", body.id), "name": "南门社区党委",
                                "kind": "COMMUNITY_PARTY_ORGANISATION"}, "errors": []}
    assert (body.kind, body.community_id, body.street_id, body.parent_id) == (
        BodyKind.COMMUNITY_PARTY_ORGANISATION, community.id, community.street_id, None)
    await assert_one_audit_event("createBody", "Body", body.id, "organiser")


async def test_a_firm_party_organisation_belongs_to_the_firm(gql, admin_token):
    firm = await f.firm("红心物业")

    payload = await mutate(gql, COMMITTEES, "CreateBody",
                           {"kind": "FIRM_PARTY_ORGANISATION", "name": "红心物业党支部",
                            "firmId": gid("PropertyFirm", firm.id)}, token=admin_token)

    body = await Body.get(name="红心物业党支部")
    assert payload["body"] == {"id": gid("Organisation", body.id), "name": "红心物业党支部",
                               "kind": "FIRM_PARTY_ORGANISATION"}
    assert (body.parent_id, body.community_id, body.street_id) == (firm.body_id, None, None)


async def test_a_street_office_belongs_to_its_street(gql, db):
    street = await f.street()
    token = await make_token(Role.STREET_STAFF, street_id=street.id)

    payload = await mutate(gql, COMMITTEES, "CreateBody",
                           {"kind": "STREET_OFFICE", "name": "街道办", "streetId": gid("Street", street.id)},
                           token=token)

    assert payload["errors"] == []
    assert (await Body.get(name="街道办")).street_id == street.id


@pytest.mark.parametrize(
    ("_case", "input", "code", "field"),
    [
        ("residents' committee without community", {"kind": "RESIDENTS_COMMITTEE"}, "INVALID", ["communityId"]),
        ("party organisation with only a street", {"kind": "COMMUNITY_PARTY_ORGANISATION", "streetId": "street"},
         "INVALID", ["communityId"]),
        ("firm party organisation without firm", {"kind": "FIRM_PARTY_ORGANISATION"}, "INVALID", ["firmId"]),
        ("street office without street", {"kind": "STREET_OFFICE"}, "INVALID", ["streetId"]),
        ("owners' committee", {"kind": "OWNERS_COMMITTEE", "communityId": "community"}, "INVALID", ["kind"]),
        ("property firm", {"kind": "PROPERTY_FIRM"}, "INVALID", ["kind"]),
        ("empty name", {"kind": "OTHER", "name": " "}, "INVALID", ["name"]),
        ("community that does not exist", {"kind": "RESIDENTS_COMMITTEE", "communityId": gid("Community", 999999)},
         "NOT_FOUND", ["communityId"]),
        ("firm that does not exist", {"kind": "FIRM_PARTY_ORGANISATION", "firmId": gid("PropertyFirm", 999999)},
         "NOT_FOUND", ["firmId"]),
        ("street that does not exist", {"kind": "STREET_OFFICE", "streetId": gid("Street", 999999)}, "NOT_FOUND",
         ["streetId"]),
        ("malformed community ID", {"kind": "RESIDENTS_COMMITTEE", "communityId": "c-1"}, "INVALID",
         ["communityId"]),
        ("street ID as community ID", {"kind": "RESIDENTS_COMMITTEE", "communityId": "street"}, "INVALID",
         ["communityId"]),
        ("organisation ID as firm ID", {"kind": "FIRM_PARTY_ORGANISATION", "firmId": gid("Organisation", 1)},
         "INVALID", ["firmId"]),
    ],
)
async def test_a_refused_body_is_not_written(gql, admin_token, _case, input, code, field):
    community = await f.community()
    ids = {"street": gid("Street", community.street_id), "community": gid("Community", community.id)}
    input = {"name": "新组织", **{key: ids.get(value, value) for key, value in input.items()}}
    before = await snapshot()

    payload = await mutate(gql, COMMITTEES, "CreateBody", input, token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("_case", "role", "kind", "error"),
    [
        ("anonymous", None, "RESIDENTS_COMMITTEE", FORBIDDEN),
        ("centre staff", Role.CENTRE_STAFF, "RESIDENTS_COMMITTEE", FORBIDDEN),
        ("firm staff", Role.FIRM_STAFF, "RESIDENTS_COMMITTEE", FORBIDDEN),
        ("street staff of another street", Role.STREET_STAFF, "RESIDENTS_COMMITTEE", OUTSIDE),
        ("community staff of another community", Role.COMMUNITY_STAFF, "RESIDENTS_COMMITTEE", OUTSIDE),
        ("street staff creating a firm's party body", Role.STREET_STAFF, "FIRM_PARTY_ORGANISATION", OUTSIDE),
    ],
)
async def test_bodies_are_created_only_inside_the_jurisdiction(gql, db, _case, role, kind, error):
    target, elsewhere = await f.community(), await f.community()
    firm = await f.firm()
    token = None
    if role is Role.STREET_STAFF and kind == "FIRM_PARTY_ORGANISATION":
        token = await make_token(role, street_id=target.street_id)
    elif role is not None:
        token = await make_token(role, street_id=elsewhere.street_id, community_id=elsewhere.id, firm_id=firm.id)
    anchor = ({"firmId": gid("PropertyFirm", firm.id)} if kind == "FIRM_PARTY_ORGANISATION"
              else {"communityId": gid("Community", target.id)})
    before = await snapshot()

    payload = await mutate(gql, COMMITTEES, "CreateBody", {"kind": kind, "name": "越权组织", **anchor}, token=token)

    assert payload == {"body": None, "errors": [error]}
    assert await snapshot() == before


# --- appointMember -------------------------------------------------------------------------------------------------

async def test_community_staff_appoint_a_chair_of_the_residents_committee(gql, db):
    community = await f.community()
    committee = await f.body(BodyKind.RESIDENTS_COMMITTEE, community)
    person = await f.person("王秀英")
    token = await make_token(Role.COMMUNITY_STAFF, username="organiser", community_id=community.id)

    payload = await mutate(gql, COMMITTEES, "AppointMember",
                           {"bodyId": gid("Organisation", committee.id), "personId": gid("Person", person.id),
                            "role": "CHAIR", "startsOn": "2026-03-01", "paid": True}, token=token)

    membership = await Membership.get(person_id=person.id)
    assert payload == {"membership": {
        "id": gid("Membership", membership.id), "role": "CHAIR", "person": {"id": gid("Person", person.id)},
        "body": {"id": gid("Organisation", committee.id), "kind": "RESIDENTS_COMMITTEE"}}, "errors": []}
    assert (membership.body_id, membership.role, membership.starts_on, membership.ends_on, membership.paid) == (
        committee.id, MembershipRole.CHAIR, date(2026, 3, 1), None, True)
    await assert_one_audit_event("appointMember", "Membership", membership.id, "organiser")


async def test_street_staff_appoint_a_firm_project_manager_for_a_compound_in_their_street(gql, db):
    compound, firm, person = await f.compound(), await f.firm(), await f.person()
    token = await make_token(Role.STREET_STAFF, street_id=compound.street_id)

    payload = await mutate(gql, COMMITTEES, "AppointMember",
                           {"bodyId": gid("PropertyFirm", firm.id), "personId": gid("Person", person.id),
                            "role": "PROJECT_MANAGER", "startsOn": "2026-03-01",
                            "compoundId": gid("Compound", compound.id)}, token=token)

    membership = await Membership.get(person_id=person.id)
    assert payload["membership"]["body"] == {"id": gid("PropertyFirm", firm.id), "kind": "PROPERTY_FIRM"}
    assert (membership.body_id, membership.compound_id) == (firm.body_id, compound.id)


@pytest.mark.parametrize(
    ("_case", "changes", "code", "field"),
    [
        ("ends before it starts", {"endsOn": "2026-02-28"}, "INVALID", ["endsOn"]),
        ("grid worker without compound", {"role": "GRID_WORKER"}, "INVALID", ["compoundId"]),
        ("organisation that does not exist", {"bodyId": gid("Organisation", 999999)}, "NOT_FOUND", ["bodyId"]),
        ("firm that does not exist", {"bodyId": gid("PropertyFirm", 999999)}, "NOT_FOUND", ["bodyId"]),
        ("person who does not exist", {"personId": gid("Person", 999999)}, "NOT_FOUND", ["personId"]),
        ("compound that does not exist", {"compoundId": gid("Compound", 999999)}, "NOT_FOUND", ["compoundId"]),
        ("malformed body ID", {"bodyId": "body-1"}, "INVALID", ["bodyId"]),
        ("person ID as body ID", {"bodyId": "person"}, "INVALID", ["bodyId"]),
        ("malformed person ID", {"personId": "§"}, "INVALID", ["personId"]),
        ("organisation ID as person ID", {"personId": "body"}, "INVALID", ["personId"]),
        ("malformed compound ID", {"compoundId": "c"}, "INVALID", ["compoundId"]),
    ],
)
async def test_a_refused_appointment_is_not_written(gql, admin_token, _case, changes, code, field):
    committee = await f.body(BodyKind.RESIDENTS_COMMITTEE, await f.community())
    person = await f.person()
    ids = {"person": gid("Person", person.id), "body": gid("Organisation", committee.id)}
    input = {"bodyId": ids["body"], "personId": ids["person"], "role": "MEMBER", "startsOn": "2026-03-01",
             **{key: ids.get(value, value) for key, value in changes.items()}}
    before = await snapshot()

    payload = await mutate(gql, COMMITTEES, "AppointMember", input, token=admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize(
    ("_case", "role", "error"),
    [
        ("anonymous", None, FORBIDDEN),
        ("centre staff", Role.CENTRE_STAFF, FORBIDDEN),
        ("committee member", Role.COMMITTEE_MEMBER, FORBIDDEN),
        ("street staff of another street", Role.STREET_STAFF, OUTSIDE),
        ("community staff of another community", Role.COMMUNITY_STAFF, OUTSIDE),
    ],
)
async def test_members_are_appointed_only_inside_the_jurisdiction(gql, db, _case, role, error):
    committee = await f.body(BodyKind.RESIDENTS_COMMITTEE, await f.community())
    elsewhere = await f.community()
    person = await f.person()
    token = await make_token(role, street_id=elsewhere.street_id, community_id=elsewhere.id,
                             person_id=person.id) if role else None
    before = await snapshot()

    payload = await mutate(gql, COMMITTEES, "AppointMember",
                           {"bodyId": gid("Organisation", committee.id), "personId": gid("Person", person.id),
                            "role": "MEMBER", "startsOn": "2026-03-01"}, token=token)

    assert payload == {"membership": None, "errors": [error]}
    assert await snapshot() == before


async def test_street_staff_may_not_appoint_to_a_firm_without_naming_a_compound_in_their_street(gql, db):
    firm, person = await f.firm(), await f.person()
    token = await make_token(Role.STREET_STAFF, street_id=(await f.street()).id)
    before = await snapshot()

    payload = await mutate(gql, COMMITTEES, "AppointMember",
                           {"bodyId": gid("PropertyFirm", firm.id), "personId": gid("Person", person.id),
                            "role": "STAFF", "startsOn": "2026-03-01"}, token=token)

    assert payload == {"membership": None, "errors": [OUTSIDE]}
    assert await snapshot() == before


async def test_naming_a_compound_of_ones_own_does_not_open_another_communitys_body(gql, db):
    own, other = await f.community(), await f.community()
    own_compound = await f.compound(own)
    foreign_committee = await f.body(BodyKind.RESIDENTS_COMMITTEE, other)
    person = await f.person()
    token = await make_token(Role.COMMUNITY_STAFF, street_id=own.street_id, community_id=own.id)
    before = await snapshot()

    payload = await mutate(gql, COMMITTEES, "AppointMember",
                           {"bodyId": gid("Organisation", foreign_committee.id), "personId": gid("Person", person.id),
                            "role": "GRID_WORKER", "startsOn": "2026-03-01",
                            "compoundId": gid("Compound", own_compound.id)}, token=token)

    assert payload == {"membership": None, "errors": [OUTSIDE]}
    assert await snapshot() == before


async def test_community_staff_appoint_a_grid_worker_for_a_compound_of_their_community(gql, db):
    community = await f.community()
    compound = await f.compound(community)
    committee = await f.body(BodyKind.RESIDENTS_COMMITTEE, community)
    person = await f.person()
    token = await make_token(Role.COMMUNITY_STAFF, community_id=community.id)

    payload = await mutate(gql, COMMITTEES, "AppointMember",
                           {"bodyId": gid("Organisation", committee.id), "personId": gid("Person", person.id),
                            "role": "GRID_WORKER", "startsOn": "2026-03-01",
                            "compoundId": gid("Compound", compound.id)}, token=token)

    assert payload["errors"] == []
    assert (await Membership.get(person_id=person.id)).compound_id == compound.id
