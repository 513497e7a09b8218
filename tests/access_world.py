"""Two territories (A and B) holding one object of every readable model, with one account per role in A:
the ground the read-policy matrix and the mutation-jurisdiction tests stand on."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tortoise.models import Model

from domain.accounts.rules import Role
from domain.attachments.models import Attachment
from domain.attachments.rules import OwnerKind
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees.models import CrossAppointment, DeclaredRelation, OwnersBody, ReserveListing
from domain.committees.values import Basis, CommitteeKind, ListKind, NegativeReason, RelationKind, Status
from domain.complaints.models import Complaint
from domain.complaints.rules import Channel, Kind, Urgency
from domain.complaints.rules import Status as ComplaintStatus
from domain.deliberation.models import AgendaItem, Ballot, FollowUpTask, Meeting, Minutes, Participant
from domain.deliberation.register_models import Candidate
from domain.deliberation.vocabulary import (
    AgendaStatus, Choice, DecisionRule, MeetingKind, MeetingStatus, MinutesStatus, Party, TaskStatus,
)
from domain.deliberation.vocabulary import Role as ParticipantRole
from domain.disclosures.models import Disclosure
from domain.disclosures.rules import DisclosureKind, Publisher
from domain.evaluation.models import CreditEvent, Evaluation, EvaluationStatus, Inspection, Publication
from domain.evaluation.scoring import CreditEventKind
from domain.firms.models import PropertyFirm, ServiceContract
from domain.geography.models import Community, Compound, Person, Street, Unit
from domain.messaging.models import OutboxMessage
from domain.messaging.rules import Channel as MessageChannel
from domain.notifications.models import Notification
from domain.notifications.rules import NoticeKind
from tests import factories
from tests.conftest import make_token
from tests.factories import NOW

_numbers = iter(range(1, 10_000))


@dataclass
class Side:
    """One territory: street > community > compound, an owner who is the subject of every record, a firm."""

    objects: dict[Any, Any] = field(default_factory=dict)
    owner: Person | None = None
    neighbours: list[Person] = field(default_factory=list)
    firm: PropertyFirm | None = None

    def pk(self, model: type[Model]) -> int:
        return int(self.objects[model].id)


async def build_side(tag: str) -> Side:
    side = Side()
    o = side.objects
    o[Street] = street = await factories.street(f"{tag}街道")
    o[Community] = community = await factories.community(street, f"{tag}社区")
    o[Compound] = compound = await factories.compound(community, f"{tag}小区")
    side.owner = o[Person] = owner = await factories.person(f"{tag}业主", phone="13900000001")
    owner.id_number = f"11010119900101{next(_numbers):04d}"[:18]
    await owner.save()
    o[Unit] = await factories.unit(compound, owner)
    side.firm = o[PropertyFirm] = firm = await factories.firm(f"{tag}物业")
    o[ServiceContract] = await factories.contract(firm, compound)
    o[Body] = residents = await factories.body(BodyKind.RESIDENTS_COMMITTEE, community)
    o[Membership] = home = await factories.membership(residents, owner)
    committee_body = await Body.create(kind=BodyKind.OWNERS_COMMITTEE, name=f"{tag}业委会", compound_id=compound.id,
                                       community_id=community.id, street_id=street.id, created_at=NOW)
    o[OwnersBody] = await OwnersBody.create(
        body_id=committee_body.id, compound_id=compound.id, kind=CommitteeKind.OWNERS_COMMITTEE,
        status=Status.ACTIVE, elected_on=date(2026, 1, 1), term_ends_on=date(2030, 12, 31), seat_count=5,
        rule_pack="national", live_compound_id=compound.id, created_at=NOW)
    seat = await factories.membership(committee_body, owner, compound_row=compound)
    o[CrossAppointment] = await CrossAppointment.create(
        person_id=owner.id, home_membership_id=home.id, concurrent_membership_id=seat.id,
        basis=Basis.ELECTED_BY_OWNERS_ASSEMBLY, decision_ref="2026-1", compound_id=compound.id,
        community_id=community.id, street_id=street.id, recorded_on=date(2026, 1, 2), created_at=NOW)
    o[ReserveListing] = await ReserveListing.create(
        compound_id=compound.id, person_id=owner.id, kind=ListKind.NEGATIVE, reason=NegativeReason.CRIMINAL_RECORD,
        note="2019年因诈骗罪被判刑", listed_on=date(2026, 1, 3), created_at=NOW)
    o["relative"] = relative = await factories.person(f"{tag}亲属")
    side.neighbours = [await factories.person(f"{tag}邻居{n}") for n in range(4)]
    for neighbour in side.neighbours:
        await factories.unit(compound, neighbour)
    o[DeclaredRelation] = await DeclaredRelation.create(
        person_id=owner.id, relative_id=relative.id, kind=RelationKind.SPOUSE, declared_on=date(2026, 1, 4),
        created_at=NOW)
    number = next(_numbers)
    o[Complaint] = await Complaint.create(
        number=f"2026-{tag}{number:05d}", year=2026, sequence=number, compound_id=compound.id,
        community_id=community.id, street_id=street.id, channel=Channel.HOTLINE_12345, kind=Kind.COMPLAINT,
        category="电梯", urgency=Urgency.ORDINARY, title="电梯停运", description="3号楼电梯停运两天",
        complainant_name=owner.name, complainant_phone=owner.phone, complainant_person_id=owner.id,
        received_at=NOW, filed_at=NOW, status=ComplaintStatus.DISPATCHED, handler_id=firm.body_id,
        accountable_id=firm.body_id, due_at=NOW + timedelta(days=7), dispatched_at=NOW)
    o["second complaint"] = await Complaint.create(
        number=f"2026-{tag}{number:05d}b", year=2026, sequence=number + 5000, compound_id=compound.id,
        community_id=community.id, street_id=street.id, channel=Channel.HOTLINE_12345, kind=Kind.COMPLAINT,
        category="电梯", urgency=Urgency.ORDINARY, title="电梯又停", description="同一问题", complainant_name="路人",
        received_at=NOW, filed_at=NOW, status=ComplaintStatus.RECEIVED)
    o[Meeting] = meeting = await Meeting.create(
        kind=MeetingKind.RESIDENTS_DELIBERATION, status=MeetingStatus.DRAFT, title=f"{tag}议事会",
        compound_id=compound.id, community_id=community.id, convener_id=residents.id, scheduled_at=NOW,
        rule_pack="national", created_at=NOW)
    o[Participant] = await Participant.create(meeting_id=meeting.id, person_id=owner.id, represents=Party.OWNER,
                                              role=ParticipantRole.ATTENDEE)
    o[AgendaItem] = await AgendaItem.create(
        meeting_id=meeting.id, position=1, title="加装电梯", decision_rule=DecisionRule.MAJORITY_OF_PRESENT,
        status=AgendaStatus.DRAFT, created_at=NOW)
    o[Ballot] = await Ballot.create(item_id=o[AgendaItem].id, voter_id=owner.id, seat_key=f"person:{owner.id}",
                                    choice=Choice.AGREE, cast_at=NOW)
    o[Candidate] = await Candidate.create(item_id=o[AgendaItem].id, position=1, name=owner.name, person_id=owner.id,
                                          votes=0, votes_cents=0)
    o[Minutes] = await Minutes.create(meeting_id=meeting.id, version=1, status=MinutesStatus.DRAFT, body="纪要",
                                      drafted_at=NOW)
    o[FollowUpTask] = await FollowUpTask.create(meeting_id=meeting.id, title="督办", assignee_id=residents.id,
                                                due_on=date(2026, 12, 1), status=TaskStatus.OPEN, created_at=NOW)
    o[Inspection] = await Inspection.create(firm_id=firm.id, compound_id=compound.id, inspected_on=date(2026, 3, 1),
                                            total_deduction=Decimal("2.00"), created_at=NOW)
    o[CreditEvent] = await CreditEvent.create(
        firm_id=firm.id, kind=CreditEventKind.BAD, points=Decimal("3.00"), reason="未按期整改",
        occurred_on=date(2026, 3, 2), valid_until=date(2027, 3, 1), created_at=NOW)
    o[Evaluation] = await Evaluation.create(street_id=street.id, period="2026-Q1", scheme="national@2026.1",
                                            status=EvaluationStatus.DRAFT, run_at=NOW, created_at=NOW)
    o[Publication] = await Publication.create(
        evaluation_id=o[Evaluation].id, street_id=street.id, period="2025-Q4", scheme="national@2026.1",
        sequence=next(_numbers), published_at=NOW, content_hash=f"{next(_numbers):064d}")
    # The notice board (issue 13): a disclosure with its attachment, and a notification to the owner.
    o[Disclosure] = await Disclosure.create(
        compound_id=compound.id, kind=DisclosureKind.FEE_STANDARDS, title="收费标准", period="2026",
        period_start=date(2026, 1, 1), period_end=date(2026, 12, 31), body="住宅 1.80 元/平方米·月",
        publisher=Publisher.FIRM, firm_id=firm.id, published_at=NOW, content_hash=f"{next(_numbers):064d}")
    o[Attachment] = await Attachment.create(
        owner_kind=OwnerKind.DISCLOSURE, owner_id=o[Disclosure].id, name="收费标准.pdf", content_type="application/pdf",
        size=100, sha256=f"{next(_numbers):064d}", storage_key=f"world/{tag}/{next(_numbers)}", created_at=NOW,
        attached_at=NOW)
    o[Notification] = await Notification.create(
        person_id=owner.id, kind=NoticeKind.DISCLOSURE_PUBLISHED, title="小区公示：收费标准", body="公告栏新发布《收费标准》",
        link_type="Disclosure", link_id=o[Disclosure].id, idempotency_key=f"world:{tag}:{next(_numbers)}",
        created_at=NOW)
    o[OutboxMessage] = await OutboxMessage.create(
        channel=MessageChannel.IN_APP, recipient=f"p{owner.id}", kind=NoticeKind.DISCLOSURE_PUBLISHED, title="小区公示",
        body="公告栏新发布《收费标准》", next_attempt_at=NOW, idempotency_key=f"world:{tag}:{next(_numbers)}:IN_APP",
        person_id=owner.id, created_at=NOW)
    firm_staff = await factories.person(f"{tag}项目经理")
    await factories.membership(await Body.get(id=firm.body_id), firm_staff, MembershipRole.PROJECT_MANAGER)
    return side


async def tokens_for(side: Side) -> dict[str, str | None]:
    """One bearer token per kind of viewer, all anchored in `side`; None: anonymous."""
    o = side.objects
    return {
        "anonymous": None,
        "centre": await make_token(Role.CENTRE_STAFF),
        "street": await make_token(Role.STREET_STAFF, street_id=o[Street].id),
        "community": await make_token(Role.COMMUNITY_STAFF, community_id=o[Community].id),
        "firm": await make_token(Role.FIRM_STAFF, firm_id=side.firm.id),  # type: ignore[union-attr]
        "owner": await make_token(Role.OWNER, person_id=side.owner.id),  # type: ignore[union-attr]
    }


PUBLIC = frozenset({Street, Community, Compound, PropertyFirm, Body, Publication})
GUARDED = (Unit, OwnersBody, Person, Membership, CrossAppointment, ReserveListing, DeclaredRelation, Complaint,
           ServiceContract, Inspection, CreditEvent, Evaluation, Meeting, AgendaItem, Participant, Ballot, Minutes, FollowUpTask,
           Disclosure, Attachment, Notification, OutboxMessage, Candidate)
# Read by their addressee alone, not even by the centre (the in-app notification).
ADDRESSEE_ONLY = frozenset({Notification})
# Which of its own side's guarded objects each viewer reads (the owner is the subject of every personal record,
# the firm serves the compound and handles the owner's open complaint).
READS_INSIDE: dict[str, frozenset[type[Model]]] = {
    "anonymous": frozenset(),
    "centre": frozenset(GUARDED) - ADDRESSEE_ONLY,
    "street": frozenset(GUARDED) - ADDRESSEE_ONLY,
    "community": frozenset(GUARDED) - ADDRESSEE_ONLY,
    "firm": frozenset({Person, Complaint, ServiceContract, Inspection, CreditEvent, Disclosure, Attachment}),
    "owner": frozenset({Unit, OwnersBody, Person, Membership, CrossAppointment, ReserveListing, DeclaredRelation,
                        Complaint, ServiceContract, Meeting, AgendaItem, Participant, Ballot, Minutes, FollowUpTask,
                        Disclosure, Attachment, Notification, Candidate}),
}


def reads(viewer: str, model: type[Model], *, inside: bool) -> bool:
    if model in PUBLIC or (viewer == "centre" and model not in ADDRESSEE_ONLY):
        return True
    return inside and model in READS_INSIDE[viewer]
