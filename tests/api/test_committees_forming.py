"""formOwnersCommittee over GraphQL on SQLite and PostgreSQL: the contract document, every error, every role."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees.models import DeclaredRelation, OwnersBody, ReserveListing
from domain.committees.rules import add_years
from domain.committees.values import ListKind, NegativeReason, RelationKind, Status
from tests import factories as f
from tests.api.structure_support import FORBIDDEN, OUTSIDE, assert_one_audit_event, mutate, refused
from tests.api.test_committees_support import (
    COMMITTEES,
    ELECTED,
    FORM,
    NOT_ALLOWED,
    TERM_ENDS,
    TODAY,
    clock,  # noqa: F401 - autouse fixture
    committee_snapshot,
    form_input,
    formed,
    outside_token,
    paid_post,
    send,
    token_for,
    world,
)
from tests.factories import gid


async def test_street_staff_form_an_owners_committee_of_owners(gql, db):
    w = await world()

    payload = await mutate(gql, COMMITTEES, "FormOwnersCommittee", form_input(w), token=w.token())

    committee = await OwnersBody.get(compound_id=w.compound.id)
    assert payload["errors"] == []
    assert payload["committee"]["id"] == gid("OwnersCommittee", committee.id)
    assert payload["committee"]["kind"] == "OWNERS_COMMITTEE"
    assert payload["committee"]["status"] == "PREPARING"
    assert (payload["committee"]["termStartsOn"], payload["committee"]["termEndsOn"]) == (str(ELECTED), str(TERM_ENDS))
    assert payload["committee"]["partyMemberShare"] == "0.6000"  # 业主1, 3, 5 of five are Party members
    assert [(m["role"], m["person"]["name"]) for m in payload["committee"]["members"]] == [
        ("CHAIR", "业主1"), ("MEMBER", "业主2"), ("MEMBER", "业主3"), ("MEMBER", "业主4"), ("MEMBER", "业主5")]
    assert (committee.rule_pack, committee.live_compound_id, committee.seat_count) == ("national@2026.2",
                                                                                      w.compound.id, 5)
    assert await Membership.filter(body_id=committee.body_id, starts_on=ELECTED, ends_on=None).count() == 5
    await assert_one_audit_event("formOwnersCommittee", "OwnersCommittee", committee.id, "street")


async def test_beijing_forms_a_property_management_committee_chaired_by_the_residents_committee(gql, db):
    w = await world("beijing")
    chair = w.outsiders[0]
    await f.membership(w.residents_committee, chair, MembershipRole.MEMBER)
    people = [chair, w.outsiders[1], w.outsiders[2], *w.owners[:4]]

    committee = await formed(gql, w, people, kind="PROPERTY_MANAGEMENT_COMMITTEE",
                             termEndsOn=str(ELECTED + timedelta(days=3 * 365)))

    assert committee["kind"] == "PROPERTY_MANAGEMENT_COMMITTEE"
    assert len(committee["members"]) == 7


async def test_an_elected_owners_committee_supersedes_the_property_management_committee(gql, db):
    w = await world("national")
    await f.membership(w.residents_committee, w.outsiders[0])
    # a national 物管会 has at least seven members (京条例 art. 54, the national default)
    interim = await formed(gql, w, [*w.outsiders[:3], *w.owners[5:9]],
                           kind="PROPERTY_MANAGEMENT_COMMITTEE", electedOn=str(ELECTED - timedelta(days=200)),
                           termEndsOn=str(ELECTED + timedelta(days=500)))

    committee = await formed(gql, w)

    old = await OwnersBody.get(kind="PROPERTY_MANAGEMENT_COMMITTEE")
    assert committee["status"] == "PREPARING"
    assert (old.status, old.live_compound_id, old.ended_on) == (Status.DISSOLVED, None, ELECTED)
    assert await Membership.filter(body_id=old.body_id, ends_on=None).count() == 0
    assert interim["id"] != committee["id"]


async def test_shanghai_allows_three_members_under_ten_thousand_square_metres(gql, db):
    w = await world("shanghai", owners=4)

    # 沪规定 art. 20: a term of three to five years
    committee = await formed(gql, w, w.owners[:3], termEndsOn=str(add_years(ELECTED, 3)))

    assert len(committee["members"]) == 3


async def test_a_negative_listing_cleared_before_the_election_no_longer_bars_the_candidate(gql, db):
    w = await world()
    await ReserveListing.create(compound_id=w.compound.id, person_id=w.owners[2].id, kind=ListKind.NEGATIVE,
                                reason=NegativeReason.FEE_ARREARS, listed_on=ELECTED - timedelta(days=90),
                                cleared_on=ELECTED - timedelta(days=1), created_at=f.NOW)

    committee = await formed(gql, w)

    assert len(committee["members"]) == 5


async def test_an_unpaid_quality_supervisor_may_sit_on_the_committee(gql, db):
    w = await world()
    await paid_post(w, w.owners[1], MembershipRole.QUALITY_SUPERVISOR, paid=False)

    committee = await formed(gql, w)

    assert len(committee["members"]) == 5


async def _refusal_case(w, case: str) -> dict:  # type: ignore[no-untyped-def]
    owners = w.owners
    if case == "paid firm post":
        await paid_post(w, owners[3])
    elif case == "relative at the firm":
        await paid_post(w, w.outsiders[4], MembershipRole.PROJECT_MANAGER)
        await DeclaredRelation.create(person_id=owners[2].id, relative_id=w.outsiders[4].id, kind=RelationKind.SPOUSE,
                                      declared_on=ELECTED, created_at=f.NOW)
    elif case == "negative list":
        await ReserveListing.create(compound_id=w.compound.id, person_id=owners[4].id, kind=ListKind.NEGATIVE,
                                    reason=NegativeReason.ILLEGAL_CONSTRUCTION, listed_on=ELECTED - timedelta(days=5),
                                    created_at=f.NOW)
    elif case == "existing committee":
        await OwnersBody.create(body_id=(await f.body(BodyKind.OWNERS_COMMITTEE)).id, compound_id=w.compound.id,
                                kind="OWNERS_COMMITTEE", status=Status.ACTIVE, elected_on=ELECTED - timedelta(days=400),
                                term_ends_on=TERM_ENDS, seat_count=5, rule_pack="national@2026.1",
                                live_compound_id=w.compound.id, created_at=f.NOW)
    inputs = {
        "four members": form_input(w, owners[:4]),
        "six members": form_input(w, owners[:6]),
        "a non-owner": form_input(w, [*owners[:4], w.outsiders[0]]),
        "paid firm post": form_input(w),
        "relative at the firm": form_input(w),
        "term too long": form_input(w, termEndsOn=str(ELECTED + timedelta(days=5 * 366))),
        "existing committee": form_input(w),
        "two chairs": {**form_input(w), "members": [{"personId": gid("Person", p.id), "role": "CHAIR"}
                                                      for p in owners[:5]]},
        "future election": form_input(w, electedOn=str(TODAY + timedelta(days=1))),
        "foreign compound id": form_input(w, compoundId=gid("Street", w.street.id)),
        "negative list": form_input(w),
        "unknown person": {**form_input(w), "members": [*form_input(w)["members"][:4],
                                                        {"personId": gid("Person", 999999), "role": "MEMBER"}]},
        "unknown compound": form_input(w, compoundId=gid("Compound", 999999)),
    }
    return inputs[case]


@pytest.mark.parametrize(
    ("_case", "code", "field"),
    [
        ("four members", "COMMITTEE_SIZE", ["members"]),  # 指导规则 art. 31: at least five
        ("six members", "COMMITTEE_SIZE", ["members"]),  # 指导规则 art. 31: odd
        ("a non-owner", "NOT_AN_OWNER", ["members", "4", "personId"]),
        ("paid firm post", "CONFLICT_OF_INTEREST", ["members"]),  # 京条例 art. 39
        ("relative at the firm", "CONFLICT_OF_INTEREST", ["members"]),  # 沪规定 art. 20
        ("term too long", "TERM_TOO_LONG", ["termEndsOn"]),  # 指导规则 art. 32
        ("existing committee", "COMMITTEE_EXISTS", ["compoundId"]),
        ("two chairs", "INVALID", ["members"]),
        ("future election", "INVALID", ["electedOn"]),
        ("foreign compound id", "INVALID", ["compoundId"]),
        ("negative list", "NEGATIVE_LISTED", ["members"]),
        ("unknown person", "NOT_FOUND", ["members", "4", "personId"]),
        ("unknown compound", "NOT_FOUND", ["compoundId"]),
    ],
)
async def test_a_refused_committee_is_not_written(gql, db, _case, code, field):
    w = await world()
    input = await _refusal_case(w, _case)
    before = await committee_snapshot()

    payload = await send(gql, FORM, input, w.token())

    refused(payload, code, field)
    assert await committee_snapshot() == before


async def test_errors_speak_english_on_request(gql, db):
    w = await world()

    data = await gql(FORM, {"input": form_input(w, w.owners[:4])}, token=w.token(),
                     headers={"Accept-Language": "en"})

    assert data["formOwnersCommittee"]["errors"][0]["message"].startswith("a committee needs 5-11 members")


@pytest.mark.parametrize("role", NOT_ALLOWED)
async def test_roles_outside_the_territory_staff_may_not_form_committees(gql, db, role):
    w = await world()
    token = await token_for(role, w)
    before = await committee_snapshot()

    payload = await send(gql, FORM, form_input(w), token)

    assert payload == {"committee": None, "errors": [FORBIDDEN]}
    assert await committee_snapshot() == before


@pytest.mark.parametrize("role", ["STREET_STAFF", "COMMUNITY_STAFF"])
async def test_staff_of_another_territory_may_not_form_a_committee_here(gql, db, role):
    w = await world()
    token = await outside_token(role)
    before = await committee_snapshot()

    payload = await send(gql, FORM, form_input(w), token)

    assert payload == {"committee": None, "errors": [OUTSIDE]}
    assert await committee_snapshot() == before


async def test_the_compound_shows_its_committee_with_the_frontend_fields(gql, db):
    w = await world()
    committee = await formed(gql, w)
    query = """query($id: ID!) { compound(id: $id) { ownersCommittee { id kind status termStartsOn termEndsOn
      partyMemberShare members { role person { id name isPartyMember } } } } }"""

    data = await gql(query, {"id": gid("Compound", w.compound.id)}, token=w.token())

    shown = data["compound"]["ownersCommittee"]
    assert (shown["id"], shown["status"], shown["partyMemberShare"]) == (committee["id"], "PREPARING", "0.6000")
    assert [m["person"]["isPartyMember"] for m in shown["members"]] == [True, False, True, False, True]


async def test_a_committee_is_a_body_whose_posts_are_memberships(gql, db):
    w = await world()
    committee = await formed(gql, w)
    body = await Body.get(kind="OWNERS_COMMITTEE")
    query = """query($id: ID!) { node(id: $id) { ... on Body { name kind memberships { role } } } }"""

    data = await gql(query, {"id": committee["id"]}, token=w.token())

    assert data["node"] == {"name": body.name, "kind": "OWNERS_COMMITTEE",
                            "memberships": [{"role": "CHAIR"}] + [{"role": "MEMBER"}] * 4}
    assert body.name == "阳光花园业主委员会"


async def test_two_concurrent_elections_leave_one_committee_in_office(gql, db):
    w = await world()

    first, second = await asyncio.gather(send(gql, FORM, form_input(w, w.owners[:5]), w.token()),
                                         send(gql, FORM, form_input(w, w.owners[4:9]), w.token()))

    codes = sorted(e["code"] for p in (first, second) for e in p["errors"])
    assert codes == ["COMMITTEE_EXISTS"]
    assert await OwnersBody.filter(live_compound_id=w.compound.id).count() == 1
    assert await Body.filter(kind="OWNERS_COMMITTEE").count() == 1


@pytest.mark.parametrize(
    ("_case", "owners", "chair_in_residents_committee", "code", "field"),
    [
        ("京条例 art. 53: owner representatives below half of a 物管会", 3, True, "NOT_AN_OWNER", ["members"]),
        ("京条例 art. 53: the chair does not come from the residents' committee", 4, False, "INVALID", ["members"]),
    ],
)
async def test_a_beijing_property_management_committee_needs_owners_and_a_residents_committee_chair(
    gql, db, _case, owners, chair_in_residents_committee, code, field
):
    w = await world("beijing")
    chair = w.outsiders[0]
    if chair_in_residents_committee:
        await f.membership(w.residents_committee, chair)
    people = [chair, *w.outsiders[1:7 - owners], *w.owners[:owners]]
    before = await committee_snapshot()

    payload = await send(gql, FORM, form_input(w, people, kind="PROPERTY_MANAGEMENT_COMMITTEE",
                                               termEndsOn=str(ELECTED + timedelta(days=365))), w.token())

    refused(payload, code, field)
    assert await committee_snapshot() == before
