"""How the contract's committee operations are called (console/committees.graphql)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.accounts.rules import Role, Viewer
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind
from domain.committees import cross_appointment_service, service
from domain.committees.models import OwnersBody
from domain.committees.values import Basis, CommitteeKind, SeatRole
from tests import factories
from tests.contract.scenario import Call, Scenario, admin, call
from tests.factories import gid

CENTRE = Viewer(account_id=None, username="contract", roles=frozenset({Role.CENTRE_ADMIN}))


def _elected_on() -> date:
    return datetime.now(UTC).date() - timedelta(days=5)


async def _committee(s: Scenario) -> OwnersBody:
    seats = tuple(service.SeatDraft(p.id, SeatRole.CHAIR if i == 0 else SeatRole.MEMBER)
                  for i, p in enumerate(s.owners[:5]))
    draft = service.CommitteeDraft(s.compound.id, CommitteeKind.OWNERS_COMMITTEE, _elected_on(),
                                   _elected_on() + timedelta(days=3 * 365), seats)
    return await service.form_committee(actor=CENTRE, draft=draft, now=datetime.now(UTC))


async def _memberships(s: Scenario) -> tuple[Membership, Membership]:
    """A residents'-committee member elected to the owners' committee (双向进入)."""
    residents = await Body.get(kind=BodyKind.RESIDENTS_COMMITTEE, community_id=s.community.id)
    home = await factories.membership(residents, s.owners[0])
    committee = await _committee(s)
    seat = await Membership.get(body_id=committee.body_id, person_id=s.owners[0].id)
    return home, seat


@call("FormOwnersCommittee")
async def _form(s: Scenario) -> Call:
    members = [{"personId": gid("Person", p.id), "role": "CHAIR" if i == 0 else "MEMBER"}
               for i, p in enumerate(s.owners[:5])]
    return admin(s, {"input": {
        "compoundId": gid("Compound", s.compound.id), "kind": "OWNERS_COMMITTEE", "electedOn": str(_elected_on()),
        "termEndsOn": str(_elected_on() + timedelta(days=5 * 365)), "members": members,
    }})


@call("RecordCrossAppointment")
async def _record(s: Scenario) -> Call:
    home, seat = await _memberships(s)
    return admin(s, {"input": {
        "homeMembershipId": gid("Membership", home.id), "concurrentMembershipId": gid("Membership", seat.id),
        "basis": "ELECTED_BY_OWNERS_ASSEMBLY", "decisionRef": "阳光花园业主大会决议〔2026〕1号",
    }})


@call("CrossAppointments")
async def _list(s: Scenario) -> Call:
    home, seat = await _memberships(s)
    await cross_appointment_service.record_cross_appointment(
        actor=CENTRE, home_membership_id=home.id, concurrent_membership_id=seat.id,
        basis=Basis.ELECTED_BY_OWNERS_ASSEMBLY, decision_ref="业主大会决议", now=datetime.now(UTC))
    return admin(s, {"filter": {"scopeId": gid("Street", s.street.id)}, "first": 10})
