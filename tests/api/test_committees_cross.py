"""recordCrossAppointment and crossAppointments (双向进入、交叉任职), the indicators, and constant query counts."""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction

import pytest

from domain.accounts.rules import Role
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees.indicators import committee_indicators
from domain.committees.models import CrossAppointment, OwnersBody
from tests import factories as f
from tests.api.structure_support import COMMITTEES, FORBIDDEN, OUTSIDE, assert_one_audit_event, mutate, refused
from tests.api.test_committees_support import (
    NOT_ALLOWED,
    TODAY,
    clock,  # noqa: F401 - autouse fixture
    committee_snapshot,
    formed,
    outside_token,
    paid_post,
    token_for,
    world,
)
from tests.conftest import count_queries, make_token
from tests.factories import gid


async def _seat(person) -> Membership:  # type: ignore[no-untyped-def]
    return await Membership.get(body__kind=BodyKind.OWNERS_COMMITTEE, person_id=person.id)


def _input(home: Membership, concurrent: Membership, basis: str = "ELECTED_BY_OWNERS_ASSEMBLY") -> dict:
    return {"homeMembershipId": gid("Membership", home.id), "concurrentMembershipId": gid("Membership", concurrent.id),
            "basis": basis, "decisionRef": "阳光花园业主大会决议〔2026〕1号"}


async def test_a_residents_committee_member_elected_to_the_owners_committee_is_recorded(gql, db):
    w = await world()
    home = await f.membership(w.residents_committee, w.owners[0])
    await formed(gql, w)

    payload = await mutate(gql, COMMITTEES, "RecordCrossAppointment", _input(home, await _seat(w.owners[0])),
                           token=w.token(Role.COMMUNITY_STAFF))

    row = await CrossAppointment.get()
    assert payload == {"crossAppointment": {
        "id": gid("CrossAppointment", row.id), "basis": "ELECTED_BY_OWNERS_ASSEMBLY",
        "person": {"id": gid("Person", w.owners[0].id), "name": "业主1"},
        "homeMembership": {"role": "MEMBER", "body": {"kind": "RESIDENTS_COMMITTEE", "name": "幸福社区居委会"}},
        "concurrentMembership": {"role": "CHAIR", "body": {"kind": "OWNERS_COMMITTEE", "name": "阳光花园业主委员会"}},
    }, "errors": []}
    assert (row.compound_id, row.community_id, row.street_id) == (w.compound.id, w.community.id, w.street.id)
    await assert_one_audit_event("recordCrossAppointment", "CrossAppointment", row.id, "community")


async def test_an_owners_committee_member_as_unpaid_quality_supervisor_is_a_cross_appointment(gql, db):
    w = await world()
    await formed(gql, w)
    supervisor = await paid_post(w, w.owners[1], MembershipRole.QUALITY_SUPERVISOR, paid=False)

    payload = await mutate(gql, COMMITTEES, "RecordCrossAppointment",
                           _input(await _seat(w.owners[1]), supervisor, "APPOINTED"), token=w.token())

    assert payload["errors"] == []
    assert payload["crossAppointment"]["concurrentMembership"]["body"]["kind"] == "PROPERTY_FIRM"


async def test_a_firms_party_member_head_joins_the_community_party_organisation_part_time(gql, db):
    w = await world()
    party = await f.body(BodyKind.COMMUNITY_PARTY_ORGANISATION, w.community, "幸福社区党委")
    head = await paid_post(w, w.outsiders[2], MembershipRole.PROJECT_MANAGER)
    part_time = await f.membership(party, w.outsiders[2], MembershipRole.PART_TIME_MEMBER)

    payload = await mutate(gql, COMMITTEES, "RecordCrossAppointment", _input(head, part_time, "RECOMMENDED"),
                           token=w.token())

    assert payload["errors"] == []


async def _case_memberships(w, case: str) -> tuple[Membership, Membership, str]:  # type: ignore[no-untyped-def]
    rc = w.residents_committee
    if case == "two people":
        return await f.membership(rc, w.owners[8]), await _seat(w.owners[0]), "ELECTED_BY_OWNERS_ASSEMBLY"
    if case == "appointed to the owners' committee":
        return await f.membership(rc, w.owners[0]), await _seat(w.owners[0]), "APPOINTED"
    if case == "no longer an owner":
        home = await f.membership(rc, w.owners[0])
        from domain.geography.models import Ownership

        await Ownership.filter(person_id=w.owners[0].id).delete()
        return home, await _seat(w.owners[0]), "ELECTED_BY_OWNERS_ASSEMBLY"
    if case == "paid by the serving firm":
        return await _seat(w.owners[1]), await paid_post(w, w.owners[1], MembershipRole.QUALITY_SUPERVISOR), "APPOINTED"
    if case == "recorded twice":
        home = await f.membership(rc, w.owners[0])
        await CrossAppointment.create(person_id=w.owners[0].id, home_membership_id=home.id,
                                      concurrent_membership_id=(await _seat(w.owners[0])).id,
                                      basis="ELECTED_BY_OWNERS_ASSEMBLY", decision_ref="x", recorded_on=TODAY,
                                      created_at=f.NOW)
        return home, await _seat(w.owners[0]), "ELECTED_BY_OWNERS_ASSEMBLY"
    if case == "an ended post":
        home = await f.membership(rc, w.owners[0], ends_on=TODAY - timedelta(days=1))
        return home, await _seat(w.owners[0]), "ELECTED_BY_OWNERS_ASSEMBLY"
    raise AssertionError(case)


@pytest.mark.parametrize(
    ("_case", "code", "field"),
    [
        ("two people", "NOT_SAME_PERSON", ["concurrentMembershipId"]),
        ("appointed to the owners' committee", "NOT_ELECTED", ["basis"]),  # 双向进入 通过法定程序
        ("no longer an owner", "NOT_AN_OWNER", ["concurrentMembershipId"]),  # 指导规则 art. 31
        ("paid by the serving firm", "CONFLICT_OF_INTEREST", ["concurrentMembershipId"]),  # 京条例 art. 39
        ("recorded twice", "DUPLICATE", ["concurrentMembershipId"]),
        ("an ended post", "INVALID", ["homeMembershipId"]),
    ],
)
async def test_a_refused_cross_appointment_is_not_written(gql, db, _case, code, field):
    w = await world()
    await formed(gql, w)
    home, concurrent, basis = await _case_memberships(w, _case)
    before = await committee_snapshot()

    payload = await mutate(gql, COMMITTEES, "RecordCrossAppointment", _input(home, concurrent, basis),
                           token=w.token())

    refused(payload, code, field)
    assert await committee_snapshot() == before


async def test_a_cross_appointment_needs_a_decision_and_known_posts(gql, db):
    w = await world()
    await formed(gql, w)
    home = await f.membership(w.residents_committee, w.owners[0])
    seat = await _seat(w.owners[0])

    blank = await mutate(gql, COMMITTEES, "RecordCrossAppointment", {**_input(home, seat), "decisionRef": " "},
                         token=w.token())
    unknown = await mutate(gql, COMMITTEES, "RecordCrossAppointment",
                           {**_input(home, seat), "homeMembershipId": gid("Membership", 99999)}, token=w.token())

    refused(blank, "INVALID", ["decisionRef"])
    refused(unknown, "NOT_FOUND", ["homeMembershipId"])


@pytest.mark.parametrize("role", [*NOT_ALLOWED, "outside"])
async def test_other_roles_may_not_record_cross_appointments(gql, db, role):
    w = await world()
    await formed(gql, w)
    home = await f.membership(w.residents_committee, w.owners[0])
    token = await outside_token() if role == "outside" else await token_for(role, w)
    before = await committee_snapshot()

    payload = await mutate(gql, COMMITTEES, "RecordCrossAppointment", _input(home, await _seat(w.owners[0])),
                           token=token)

    assert payload == {"crossAppointment": None, "errors": [OUTSIDE if role == "outside" else FORBIDDEN]}
    assert await committee_snapshot() == before


CROSS = """query CrossAppointments($filter: CrossAppointmentFilter, $first: Int) {
  crossAppointments(filter: $filter, first: $first) { totalCount
    edges { node { id basis person { name } homeMembership { role body { kind } }
      concurrentMembership { role body { kind } } } } } }"""


async def _committee_with_cross_appointment(gql, w) -> None:  # type: ignore[no-untyped-def]
    home = await f.membership(w.residents_committee, w.owners[0])
    await formed(gql, w)
    payload = await mutate(gql, COMMITTEES, "RecordCrossAppointment", _input(home, await _seat(w.owners[0])),
                           token=w.token(Role.CENTRE_ADMIN))
    assert payload["errors"] == []


async def test_cross_appointments_are_listed_by_scope_and_basis(gql, db):
    here, there = await world(), await world(tag="-there")
    await _committee_with_cross_appointment(gql, here)
    await _committee_with_cross_appointment(gql, there)

    street = await gql(CROSS, {"filter": {"scopeId": gid("Street", here.street.id)}}, token=here.token())
    compound = await gql(CROSS, {"filter": {"scopeId": gid("Compound", there.compound.id)}},
                         token=here.token(Role.CENTRE_ADMIN))
    # Issue 15: another street's cross-appointments are outside this street's staff's jurisdiction.
    outside = await gql(CROSS, {"filter": {"scopeId": gid("Compound", there.compound.id)}}, token=here.token())
    appointed = await gql(CROSS, {"filter": {"basis": "APPOINTED"}}, token=here.token())

    assert street["crossAppointments"]["totalCount"] == 1
    assert street["crossAppointments"]["edges"][0]["node"]["homeMembership"] == {
        "role": "MEMBER", "body": {"kind": "RESIDENTS_COMMITTEE"}}
    assert compound["crossAppointments"]["totalCount"] == 1
    assert outside["crossAppointments"] == {"totalCount": 0, "edges": []}
    assert appointed["crossAppointments"] == {"totalCount": 0, "edges": []}


@pytest.mark.parametrize("role", [None, Role.FIRM_STAFF, Role.OWNER, Role.COMMITTEE_MEMBER])
async def test_cross_appointments_are_for_staff_only(gql, db, role):
    w = await world()

    body = await gql(CROSS, {}, token=await token_for(role, w), expect_errors=True)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_indicators_give_formation_rate_party_share_and_cross_appointments(gql, db):
    w = await world()
    await f.compound(w.community, "无业委会小区")
    await _committee_with_cross_appointment(gql, w)

    figures = await committee_indicators(None, today=TODAY)
    street_only = await committee_indicators([w.compound.id], today=TODAY)

    assert (figures.compound_count, figures.compounds_with_body) == (2, 1)
    assert figures.formation_rate == Fraction(1, 2)
    assert figures.party_member_share == Fraction(3, 5)
    assert figures.cross_appointment_count == 1
    assert street_only.formation_rate == 1
    assert (await committee_indicators([], today=TODAY)).formation_rate is None


LIST = """query($scope: ID, $first: Int) {
  ownersCommittees(filter: {scopeId: $scope}, first: $first) { totalCount edges { node {
    id kind status termEndsOn partyMemberShare filledSeatCount reelection { reasons } availableActions
    compound { name } members { role person { id name isPartyMember } } } } }
  compounds(first: $first) { edges { node { ownersCommittee { id status partyMemberShare
    members { role person { name } } } } } } }"""


async def _committees(count: int) -> None:
    street = await f.street()
    community = await f.community(street)
    firm_body = await f.body(BodyKind.OTHER)
    for index in range(count):
        compound = await f.compound(community)
        body = await Body.create(kind=BodyKind.OWNERS_COMMITTEE, name=f"业委会{index}", compound_id=compound.id,
                                 community_id=community.id, street_id=street.id, created_at=f.NOW)
        await OwnersBody.create(body_id=body.id, compound_id=compound.id, kind="OWNERS_COMMITTEE", status="ACTIVE",
                                elected_on=TODAY - timedelta(days=30), term_ends_on=TODAY + timedelta(days=700),
                                seat_count=5, rule_pack="national@2026.1", live_compound_id=compound.id,
                                created_at=f.NOW)
        for seat in range(5):
            person = await f.person(party=seat % 2 == 0)
            await f.membership(body, person, MembershipRole.CHAIR if seat == 0 else MembershipRole.MEMBER,
                               starts_on=TODAY - timedelta(days=30))
        home = await f.membership(firm_body, person)
        await CrossAppointment.create(person_id=person.id, home_membership_id=home.id,
                                      concurrent_membership_id=home.id - 1, basis="RECOMMENDED", decision_ref="x",
                                      compound_id=compound.id, community_id=community.id, street_id=street.id,
                                      recorded_on=TODAY, created_at=f.NOW)


async def _statements(gql, token: str, count: int) -> int:  # type: ignore[no-untyped-def]
    with count_queries() as statements:
        data = await gql(LIST, {"first": 100}, token=token)
        cross = await gql(CROSS, {"first": 100}, token=token)
    assert len(data["ownersCommittees"]["edges"]) == count
    assert len(cross["crossAppointments"]["edges"]) == count
    return len(statements)


async def test_committee_lists_cost_the_same_statements_for_5_and_50_committees(gql, db):
    token = await make_token(Role.CENTRE_ADMIN, username="counter")
    await _committees(5)
    five = await _statements(gql, token, 5)
    await _committees(45)
    fifty = await _statements(gql, token, 50)

    assert five == fifty, (five, fifty)
    assert five < 30, five  # one statement per list, page and relation, whatever the length


async def test_the_governance_overview_reports_the_committee_indicators(gql, db):
    w = await world()
    await f.compound(w.community, "无业委会小区")
    await _committee_with_cross_appointment(gql, w)
    query = """query($scope: ID) { governanceOverview(scopeId: $scope) {
        committeeFormationRate partyMemberShareInCommittees crossAppointmentCount } }"""

    data = await gql(query, {"scope": gid("Street", w.street.id)}, token=w.token(Role.CENTRE_ADMIN))

    assert data["governanceOverview"] == {"committeeFormationRate": "0.5000",
                                          "partyMemberShareInCommittees": "0.6000", "crossAppointmentCount": 1}
