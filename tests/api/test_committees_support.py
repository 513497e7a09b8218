"""Shared by the committees API tests: a compound with owners, a serving firm and bodies; documents; snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine

from domain.accounts.rules import Role
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees.models import CrossAppointment, DeclaredRelation, OwnersBody, ReserveListing, SeatChange
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Compound, Person, Street
from tests import factories as f
from tests.api.structure_support import COMMITTEES, snapshot
from tests.conftest import make_token
from tests.factories import gid

TODAY = date(2026, 11, 20)
ELECTED = TODAY - timedelta(days=10)
TERM_ENDS = date(2029, 11, 9)
NOT_ALLOWED = [None, Role.CENTRE_STAFF, Role.FIRM_STAFF, Role.COMMITTEE_MEMBER, Role.OWNER]


@pytest.fixture(autouse=True)
def clock():  # type: ignore[no-untyped-def]
    """Every committees test runs on TODAY (tokens, `now` and the terms agree)."""
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=UTC), tick=True):
        yield


@dataclass
class World:
    street: Street
    community: Community
    compound: Compound
    owners: list[Person]
    outsiders: list[Person]
    firm: PropertyFirm
    residents_committee: Body
    tokens: dict[Role, str] = field(default_factory=dict)

    def token(self, role: Role = Role.STREET_STAFF) -> str:
        return self.tokens[role]


async def world(pack: str = "national", *, owners: int = 9, households_extra: int = 0, tag: str = "") -> World:
    street = await f.street(rule_pack=pack)
    community = await f.community(street)
    compound = await f.compound(community, "阳光花园")
    people = [await f.person(f"业主{i}", party=i % 2 == 1) for i in range(1, owners + 1)]
    for index, owner in enumerate(people):
        await f.unit(compound, owner, number=str(101 + index))
    for index in range(households_extra):
        await f.unit(compound, number=str(1001 + index))
    outsiders = [await f.person(f"居民{i}") for i in range(1, 6)]
    firm = await f.firm("安居物业")
    await f.contract(firm, compound, starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31))
    residents = await f.body(BodyKind.RESIDENTS_COMMITTEE, community, "幸福社区居委会")
    w = World(street, community, compound, people, outsiders, firm, residents)
    w.tokens = {
        Role.CENTRE_ADMIN: await make_token(Role.CENTRE_ADMIN, username=f"centre{tag}"),
        Role.STREET_STAFF: await make_token(Role.STREET_STAFF, username=f"street{tag}", street_id=street.id),
        Role.COMMUNITY_STAFF: await make_token(Role.COMMUNITY_STAFF, username=f"community{tag}",
                                               community_id=community.id),
    }
    return w


async def token_for(role: Role | None, w: World) -> str | None:
    if role is None:
        return None
    return await make_token(role, street_id=w.street.id, community_id=w.community.id, firm_id=w.firm.id,
                            person_id=w.owners[0].id)


async def outside_token(role: Role = Role.STREET_STAFF) -> str:
    other = await f.street()
    return await make_token(role, street_id=other.id, community_id=(await f.community(other)).id)


def seats(people: list[Person]) -> list[dict[str, str]]:
    return [{"personId": gid("Person", p.id), "role": "CHAIR" if i == 0 else "MEMBER"} for i, p in enumerate(people)]


def form_input(w: World, people: list[Person] | None = None, **changes: Any) -> dict[str, Any]:
    return {"compoundId": gid("Compound", w.compound.id), "kind": "OWNERS_COMMITTEE", "electedOn": str(ELECTED),
            "termEndsOn": str(TERM_ENDS), "members": seats(people if people is not None else w.owners[:5]),
            **changes}


async def paid_post(w: World, person: Person, role: MembershipRole = MembershipRole.STAFF, *, paid: bool = True
                    ) -> Membership:
    firm_body = await Body.get(id=w.firm.body_id)
    return await f.membership(firm_body, person, role, paid=paid, compound_row=w.compound)


async def committee_snapshot() -> dict[str, int]:
    counts = await snapshot()
    for model in (OwnersBody, SeatChange, DeclaredRelation, ReserveListing, CrossAppointment):
        counts[model.__name__] = await model.all().count()
    return counts


COMMITTEE_FIELDS = """
  id kind status termStartsOn termEndsOn filedOn firstMeetingOn endedOn seatCount filledSeatCount rulePack
  partyMemberShare availableActions reelection { reasons }
  members { id role endsOn person { id name isPartyMember } }
"""


def document(name: str, input_type: str, payload: str) -> str:
    field_name = name[0].lower() + name[1:]
    return f"mutation {name}($input: {input_type}!) {{ {field_name}(input: $input) {{ {payload} errors {{ code field message }} }} }}"


COMMITTEE_PAYLOAD = "committee { " + COMMITTEE_FIELDS + " }"
FILE = document("FileOwnersCommittee", "FileOwnersCommitteeInput", COMMITTEE_PAYLOAD)
FIRST_MEETING = document("RecordFirstCommitteeMeeting", "RecordFirstCommitteeMeetingInput", COMMITTEE_PAYLOAD)
DISSOLVE = document("DissolveOwnersCommittee", "DissolveOwnersCommitteeInput", COMMITTEE_PAYLOAD)
END_SEAT = document("EndCommitteeSeat", "EndCommitteeSeatInput",
                    COMMITTEE_PAYLOAD + " membership { id endsOn endReason }")
END_FORMER_OWNERS = document("EndSeatsOfFormerOwners", "EndSeatsOfFormerOwnersInput",
                             COMMITTEE_PAYLOAD + " ended { id person { name } }")
DECLARE_RELATIVE = document("DeclareRelative", "DeclareRelativeInput",
                            "relation { id kind declaredOn person { id } relative { id } }")
LIST_CANDIDATE = document("ListReserveCandidate", "ListReserveCandidateInput",
                          "listing { id kind reason listedOn clearedOn person { id } }")
CLEAR_LISTING = document("ClearReserveListing", "ClearReserveListingInput", "listing { id clearedOn }")
FORM = document("FormOwnersCommittee", "FormOwnersCommitteeInput", COMMITTEE_PAYLOAD)


async def send(gql: Any, doc: str, input: dict[str, Any], token: str | None) -> dict[str, Any]:
    data = await gql(doc, {"input": input}, token=token)
    (payload,) = data.values()
    return payload


async def formed(gql: Any, w: World, people: list[Person] | None = None, **changes: Any) -> dict[str, Any]:
    payload = await send(gql, FORM, form_input(w, people, **changes), w.token(Role.CENTRE_ADMIN))
    assert payload["errors"] == [], payload
    return payload["committee"]


__all__ = ["COMMITTEES", "clock"]
