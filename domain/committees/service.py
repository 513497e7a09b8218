"""Use cases of owners' bodies: forming one, filing it, its first meeting, dissolving it. One transaction each."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Viewer, require_jurisdiction
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees import events, facts
from domain.committees.lifecycle import check_filing, derived_status, transition
from domain.committees.models import OwnersBody
from domain.committees.rules import check_election_dates, check_formation
from domain.committees.values import (
    LIVE_STATUSES,
    Action,
    CommitteeKind,
    CompoundSize,
    Proposal,
    Seat,
    SeatEndReason,
    SeatRole,
    Status,
    Term,
)
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Compound, Person, Street
from domain.geography.service import compound_scope, not_found
from domain.rulepacks import RulePack, rule_pack
from domain.transaction import atomic
from domain.committees import election_source
from domain.calendar import local_date


@dataclass(frozen=True)
class SeatDraft:
    person_id: int
    role: SeatRole


@dataclass(frozen=True)
class CommitteeDraft:
    compound_id: int
    kind: CommitteeKind
    elected_on: date
    term_ends_on: date
    seats: tuple[SeatDraft, ...]
    election_meeting_id: int | None = None


def term_of(row: OwnersBody) -> Term:
    return Term(status=row.status, elected_on=row.elected_on, term_ends_on=row.term_ends_on, filed_on=row.filed_on,
                first_meeting_on=row.first_meeting_on)


async def pack_of_street(street_id: int) -> RulePack:
    name = await Street.filter(id=street_id).first().values_list("rule_pack", flat=True)
    pack = rule_pack(str(name))
    if pack is None:  # pragma: no cover - createStreet refuses unknown packs
        raise RuleViolation(ErrorCode.UNKNOWN_RULE_PACK, f"街道的规则包 {name} 不存在", en=f"unknown rule pack {name}")
    return pack


def stale() -> RuleViolation:
    return RuleViolation(ErrorCode.INVALID_TRANSITION, "业主组织状态已变化，请刷新后重试", "committeeId",
                         en="the owners' body changed meanwhile; reload and retry")


async def close_body(committee: OwnersBody, *, status: Status, on: date, note: str, reason: SeatEndReason) -> None:
    """Ends a body in office and every seat still held, as one conditional update (no check-then-write)."""
    updated = await OwnersBody.filter(id=committee.id, status=committee.status, live_compound_id__isnull=False).update(
        status=status, live_compound_id=None, ended_on=on, end_note=note
    )
    if updated != 1:
        raise stale()
    await Membership.filter(body_id=committee.body_id, ends_on__isnull=True).update(ends_on=on, end_reason=reason.value)
    committee.status, committee.live_compound_id, committee.ended_on, committee.end_note = status, None, on, note


async def retire_if_expired(committee: OwnersBody, *, actor: Viewer, now: datetime) -> bool:
    """Writes down a derived expiry (the term end passed), freeing the compound for the next election."""
    if derived_status(term_of(committee), today=local_date(now)) is not Status.EXPIRED:
        return False
    transition(term_of(committee), Action.EXPIRE, today=local_date(now))
    await close_body(committee, status=Status.EXPIRED, on=committee.term_ends_on, note="任期届满",
                     reason=SeatEndReason.TERM_ENDED)
    await events.committee_expired_event(actor=actor, committee=committee, now=now)
    return True


async def form_committee(*, actor: Viewer, draft: CommitteeDraft, now: datetime) -> OwnersBody:
    today = local_date(now)
    check_election_dates(draft.elected_on, draft.term_ends_on, today=today)
    async with atomic():
        compound = await Compound.get_or_none(id=draft.compound_id)
        if compound is None:
            raise not_found("小区", "compoundId")
        require_jurisdiction(actor, compound_scope(compound))
        draft = await _with_elected_members(draft, actor)
        pack = await pack_of_street(compound.street_id)
        person_ids = [seat.person_id for seat in draft.seats]
        persons = {p.id: p for p in await Person.filter(id__in=person_ids)}
        for index, seat in enumerate(draft.seats):
            if seat.person_id not in persons:
                raise not_found("人员", ("members", str(index), "personId"))
        existing = await facts.live_body(compound.id)
        if existing is not None and await retire_if_expired(existing, actor=actor, now=now):
            existing = None
        owners = await facts.owner_ids(compound.id, person_ids)
        residents = await facts.residents_committee_member_ids(compound.community_id, person_ids, today)
        relations = await facts.relations_of(person_ids)
        firm_id = (await facts.serving_firm_ids([compound.id], today)).get(compound.id)
        proposal = Proposal(draft.kind, draft.elected_on, draft.term_ends_on, tuple(
            Seat(s.person_id, s.role, is_owner=s.person_id in owners,
                 is_party_member=persons[s.person_id].is_party_member,
                 is_residents_committee_member=s.person_id in residents)
            for s in draft.seats
        ))
        supersedes = check_formation(
            proposal, CompoundSize(compound.household_count, compound.total_exclusive_area), pack,
            existing=existing.kind if existing else None, relations=relations,
            firm_posts=await facts.firm_posts(firm_id, set(person_ids) | facts.relatives(relations), today),
            listings=await facts.listings(compound.id, person_ids),
        )
        if existing is not None and supersedes:
            await close_body(existing, status=Status.DISSOLVED, on=draft.elected_on, note="业主委员会选出",
                             reason=SeatEndReason.DISSOLVED)
            await events.committee_superseded_event(actor=actor, committee=existing, on=draft.elected_on, now=now)
        committee = await _create(compound, draft, pack, now)
        await events.committee_formed_event(actor=actor, committee=committee, seats=len(draft.seats), now=now)
    return committee


async def _with_elected_members(draft: CommitteeDraft, actor: Viewer) -> CommitteeDraft:
    """An election meeting must exist; its elected members fill an empty draft or bound the given members."""
    if draft.election_meeting_id is None:
        return draft
    elected = await election_source.elected_person_ids(draft.election_meeting_id, draft.compound_id, actor)
    if not draft.seats:
        seats = tuple(SeatDraft(p, role) for p, role in election_source.seats_from_election(elected))
        return dataclasses.replace(draft, seats=seats)
    election_source.check_elected([s.person_id for s in draft.seats], elected)
    return draft


async def _create(compound: Compound, draft: CommitteeDraft, pack: RulePack, now: datetime) -> OwnersBody:
    label = "业主委员会" if draft.kind is CommitteeKind.OWNERS_COMMITTEE else "物业管理委员会"
    body = await Body.create(kind=BodyKind(draft.kind.value), name=f"{compound.name}{label}", compound_id=compound.id,
                             community_id=compound.community_id, street_id=compound.street_id, created_at=now)
    try:
        committee = await OwnersBody.create(
            body_id=body.id, compound_id=compound.id, kind=draft.kind, status=Status.PREPARING,
            elected_on=draft.elected_on, term_ends_on=draft.term_ends_on, seat_count=len(draft.seats),
            election_meeting_id=draft.election_meeting_id, rule_pack=pack.reference,
            live_compound_id=compound.id, created_at=now,
        )
    except IntegrityError:  # a concurrent election won the compound's one live slot
        raise RuleViolation(ErrorCode.COMMITTEE_EXISTS, "本小区已有在任的业主组织", "compoundId",
                            en="the compound already has an owners' body in office") from None
    await Membership.bulk_create([
        Membership(body_id=body.id, person_id=seat.person_id, role=MembershipRole(seat.role.value),
                   starts_on=draft.elected_on, paid=False, compound_id=compound.id, created_at=now)
        for seat in draft.seats
    ])
    return committee


async def load_committee(committee_id: int, actor: Viewer) -> OwnersBody:
    committee = await OwnersBody.get_or_none(id=committee_id)
    if committee is None:
        raise not_found("业主组织", "committeeId")
    compound = await Compound.get(id=committee.compound_id)
    require_jurisdiction(actor, compound_scope(compound))
    return committee


async def file_committee(*, actor: Viewer, committee_id: int, filed_on: date, now: datetime) -> OwnersBody:
    async with atomic():
        committee = await load_committee(committee_id, actor)
        check_filing(term_of(committee), filed_on, today=local_date(now))
        if not await OwnersBody.filter(id=committee.id, status=Status.PREPARING).update(
            status=Status.ACTIVE, filed_on=filed_on
        ):
            raise stale()
        await events.committee_filed_event(actor=actor, committee=committee, filed_on=filed_on, now=now)
    await committee.refresh_from_db()
    return committee


async def record_first_meeting(*, actor: Viewer, committee_id: int, held_on: date, now: datetime) -> OwnersBody:
    async with atomic():
        committee = await load_committee(committee_id, actor)
        if derived_status(term_of(committee), today=local_date(now)) not in LIVE_STATUSES:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "业主组织已不在任", "committeeId",
                                en="the owners' body is no longer in office")
        if not committee.elected_on <= held_on <= local_date(now):
            raise RuleViolation(ErrorCode.INVALID, "首次会议日期须在选举日之后且不晚于今天", "heldOn",
                                en="the first meeting lies between the election and today")
        if not await OwnersBody.filter(id=committee.id, first_meeting_on__isnull=True).update(
            first_meeting_on=held_on
        ):
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "首次会议已记录", "committeeId",
                                en="the first meeting is already recorded")
        await events.first_meeting_recorded_event(actor=actor, committee=committee, held_on=held_on, now=now)
    await committee.refresh_from_db()
    return committee


async def dissolve_committee(
    *, actor: Viewer, committee_id: int, dissolved_on: date, note: str, now: datetime
) -> OwnersBody:
    if not note.strip():
        raise RuleViolation(ErrorCode.INVALID, "须说明解散原因", "reason", en="a reason is required")
    async with atomic():
        committee = await load_committee(committee_id, actor)
        transition(term_of(committee), Action.DISSOLVE, today=local_date(now))
        if not committee.elected_on <= dissolved_on <= local_date(now):
            raise RuleViolation(ErrorCode.INVALID, "解散日期须在选举日之后且不晚于今天", "dissolvedOn",
                                en="the dissolution lies between the election and today")
        await close_body(committee, status=Status.DISSOLVED, on=dissolved_on, note=note.strip(),
                         reason=SeatEndReason.DISSOLVED)
        await events.committee_dissolved_event(actor=actor, committee=committee, on=dissolved_on, note=note,
                                               now=now)
    return committee
