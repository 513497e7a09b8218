"""Mutations of the committees area: forming, filing and dissolving owners' bodies, member changes, vetting,
cross-appointments. Each resolver parses its input, calls one use case and maps the result."""

from __future__ import annotations

from datetime import date

import strawberry

from domain.accounts.rules import Role
from domain.committees import cross_appointment_service, seat_service, service, vetting_service
from domain.committees.values import SeatRole as SeatRoleEnum
from schema.bodies.types import Membership
from schema.committees.types import (
    CommitteeKind,
    CrossAppointment,
    CrossAppointmentBasis,
    DeclaredRelation,
    ListKind,
    NegativeReason,
    OwnersCommittee,
    RelationKind,
    ReserveListing,
    SeatEndReason,
)
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import mutation
from schema.core.relay import decode_id

MANAGERS = frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
# 指导规则 art. 35: filing and dissolution are acts of the street.
STREET = frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF})


SeatRole = strawberry.enum(SeatRoleEnum, name="CommitteeSeatRole", description="委员职务 — 主任、副主任、委员")


@strawberry.input(description="委员 — a seat: the person and CHAIR, VICE_CHAIR or MEMBER")
class CommitteeSeatInput:
    person_id: strawberry.ID
    role: SeatRole


@strawberry.input
class FormOwnersCommitteeInput:
    compound_id: strawberry.ID
    kind: CommitteeKind
    elected_on: date = strawberry.field(description="选举日 — the term starts on it")
    term_ends_on: date
    members: list[CommitteeSeatInput]
    election_meeting_id: strawberry.ID | None = strawberry.field(default=None, description="选举的业主大会")


@strawberry.type
class CommitteePayload:
    committee: OwnersCommittee | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class FileOwnersCommitteeInput:
    committee_id: strawberry.ID
    filed_on: date = strawberry.field(description="备案日期")


@strawberry.input
class RecordFirstCommitteeMeetingInput:
    committee_id: strawberry.ID
    held_on: date


@strawberry.input
class DissolveOwnersCommitteeInput:
    committee_id: strawberry.ID
    dissolved_on: date
    reason: str


@strawberry.input
class EndCommitteeSeatInput:
    membership_id: strawberry.ID
    reason: SeatEndReason = strawberry.field(description="RESIGNED, REMOVED or CEASED_TO_BE_OWNER")
    ended_on: date
    note: str = ""


@strawberry.type
class EndCommitteeSeatPayload:
    committee: OwnersCommittee | None = None
    membership: Membership | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class EndSeatsOfFormerOwnersInput:
    committee_id: strawberry.ID


@strawberry.type
class EndSeatsOfFormerOwnersPayload:
    committee: OwnersCommittee | None = None
    ended: list[Membership] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DeclareRelativeInput:
    person_id: strawberry.ID
    relative_id: strawberry.ID
    kind: RelationKind
    declared_on: date


@strawberry.type
class DeclareRelativePayload:
    relation: DeclaredRelation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ListReserveCandidateInput:
    compound_id: strawberry.ID
    person_id: strawberry.ID
    kind: ListKind
    reason: NegativeReason | None = None
    note: str = ""
    listed_on: date


@strawberry.input
class ClearReserveListingInput:
    listing_id: strawberry.ID
    cleared_on: date


@strawberry.type
class ReserveListingPayload:
    listing: ReserveListing | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RecordCrossAppointmentInput:
    home_membership_id: strawberry.ID
    concurrent_membership_id: strawberry.ID
    basis: CrossAppointmentBasis
    decision_ref: str = strawberry.field(description="会议决议或备案文号")


@strawberry.type
class RecordCrossAppointmentPayload:
    cross_appointment: CrossAppointment | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _seats(members: list[CommitteeSeatInput]) -> tuple[service.SeatDraft, ...]:
    return tuple(
        service.SeatDraft(decode_id(m.person_id, "Person", ("members", str(i), "personId")), m.role)
        for i, m in enumerate(members)
    )


@strawberry.type
class Mutation:
    @mutation(MANAGERS, "组建业主委员会或物管会 — form an owners' committee or property management committee")
    async def form_owners_committee(self, info: Info, input: FormOwnersCommitteeInput) -> CommitteePayload:
        draft = service.CommitteeDraft(
            compound_id=decode_id(input.compound_id, "Compound", "compoundId"), kind=input.kind,
            elected_on=input.elected_on, term_ends_on=input.term_ends_on, seats=_seats(input.members),
            election_meeting_id=decode_id(input.election_meeting_id, "Meeting", "electionMeetingId")
            if input.election_meeting_id else None)
        committee = await service.form_committee(actor=info.context.viewer, draft=draft, now=info.context.now)
        return CommitteePayload(committee=OwnersCommittee.from_model(committee))

    @mutation(STREET, "备案 — file an elected committee with the street")
    async def file_owners_committee(self, info: Info, input: FileOwnersCommitteeInput) -> CommitteePayload:
        committee = await service.file_committee(
            actor=info.context.viewer, committee_id=decode_id(input.committee_id, "OwnersCommittee", "committeeId"),
            filed_on=input.filed_on, now=info.context.now)
        return CommitteePayload(committee=OwnersCommittee.from_model(committee))

    @mutation(MANAGERS, "记录首次会议 — the committee's first meeting (指导规则 art. 33)")
    async def record_first_committee_meeting(
        self, info: Info, input: RecordFirstCommitteeMeetingInput
    ) -> CommitteePayload:
        committee = await service.record_first_meeting(
            actor=info.context.viewer, committee_id=decode_id(input.committee_id, "OwnersCommittee", "committeeId"),
            held_on=input.held_on, now=info.context.now)
        return CommitteePayload(committee=OwnersCommittee.from_model(committee))

    @mutation(STREET, "解散业主组织 — dissolve an owners' committee or 物管会")
    async def dissolve_owners_committee(self, info: Info, input: DissolveOwnersCommitteeInput) -> CommitteePayload:
        committee = await service.dissolve_committee(
            actor=info.context.viewer, committee_id=decode_id(input.committee_id, "OwnersCommittee", "committeeId"),
            dissolved_on=input.dissolved_on, note=input.reason, now=info.context.now)
        return CommitteePayload(committee=OwnersCommittee.from_model(committee))

    @mutation(MANAGERS, "委员离任 — resignation (辞职), removal (罢免) or loss of ownership")
    async def end_committee_seat(self, info: Info, input: EndCommitteeSeatInput) -> EndCommitteeSeatPayload:
        committee, membership = await seat_service.end_seat(
            actor=info.context.viewer, membership_id=decode_id(input.membership_id, "Membership", "membershipId"),
            reason=input.reason, ended_on=input.ended_on, note=input.note, now=info.context.now)
        return EndCommitteeSeatPayload(committee=OwnersCommittee.from_model(committee),
                                       membership=Membership.from_model(membership))

    @mutation(MANAGERS, "终止已非业主委员的任职 — end the seats of members who no longer own a unit")
    async def end_seats_of_former_owners(
        self, info: Info, input: EndSeatsOfFormerOwnersInput
    ) -> EndSeatsOfFormerOwnersPayload:
        committee, ended = await seat_service.end_seats_of_former_owners(
            actor=info.context.viewer, committee_id=decode_id(input.committee_id, "OwnersCommittee", "committeeId"),
            now=info.context.now)
        return EndSeatsOfFormerOwnersPayload(committee=OwnersCommittee.from_model(committee),
                                             ended=[Membership.from_model(m) for m in ended])

    @mutation(MANAGERS, "申报亲属 — declare a spouse or direct relative (conflict-of-interest checks)")
    async def declare_relative(self, info: Info, input: DeclareRelativeInput) -> DeclareRelativePayload:
        relation = await vetting_service.declare_relative(
            actor=info.context.viewer, person_id=decode_id(input.person_id, "Person", "personId"),
            relative_id=decode_id(input.relative_id, "Person", "relativeId"), kind=input.kind,
            declared_on=input.declared_on, now=info.context.now)
        return DeclareRelativePayload(relation=DeclaredRelation.from_model(relation))

    @mutation(MANAGERS, "列入后备人员清单 — put a person on a compound's positive or negative list")
    async def list_reserve_candidate(self, info: Info, input: ListReserveCandidateInput) -> ReserveListingPayload:
        listing = await vetting_service.list_reserve_candidate(
            actor=info.context.viewer, compound_id=decode_id(input.compound_id, "Compound", "compoundId"),
            person_id=decode_id(input.person_id, "Person", "personId"), kind=input.kind, reason=input.reason,
            note=input.note, listed_on=input.listed_on, now=info.context.now)
        return ReserveListingPayload(listing=ReserveListing.from_model(listing))

    @mutation(MANAGERS, "移出清单 — clear a listing")
    async def clear_reserve_listing(self, info: Info, input: ClearReserveListingInput) -> ReserveListingPayload:
        listing = await vetting_service.clear_reserve_listing(
            actor=info.context.viewer, listing_id=decode_id(input.listing_id, "ReserveListing", "listingId"),
            cleared_on=input.cleared_on, now=info.context.now)
        return ReserveListingPayload(listing=ReserveListing.from_model(listing))

    @mutation(MANAGERS, "登记交叉任职 — record a cross-appointment (双向进入、交叉任职)")
    async def record_cross_appointment(
        self, info: Info, input: RecordCrossAppointmentInput
    ) -> RecordCrossAppointmentPayload:
        appointment = await cross_appointment_service.record_cross_appointment(
            actor=info.context.viewer,
            home_membership_id=decode_id(input.home_membership_id, "Membership", "homeMembershipId"),
            concurrent_membership_id=decode_id(input.concurrent_membership_id, "Membership", "concurrentMembershipId"),
            basis=input.basis, decision_ref=input.decision_ref, now=info.context.now)
        return RecordCrossAppointmentPayload(cross_appointment=CrossAppointment.from_model(appointment))
