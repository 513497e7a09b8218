"""Meeting use cases: schedule, notice, open, close, cancel; one transaction and one audit event each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.accounts.rules import Scope, Viewer
from domain.audit.service import record_event
from domain.bodies.models import Body, Membership
from domain.bodies.rules import is_current
from domain.bodies.service import body_scope
from domain.deliberation import rules
from domain.deliberation.candidates import check_election, create_candidates
from domain.deliberation.models import AgendaItem, Meeting, Participant
from domain.deliberation.vocabulary import (
    COMMITTEE_KINDS,
    OWNERS_RULES,
    AgendaAction,
    AgendaStatus,
    DecisionRule,
    JointMatter,
    MeetingAction,
    MeetingKind,
    MeetingStatus,
    Party,
    Role,
)
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Community, Compound, Ownership, Person, Street
from domain.geography.rules import required_text
from domain.geography.service import not_found
from domain.notifications import events as notices
from domain.rulepacks import RulePack, resolve_reference, rule_pack
from domain.transaction import atomic
from domain.calendar import local_date


@dataclass(frozen=True)
class ParticipantSpec:
    person_id: int
    represents: Party
    role: Role


@dataclass(frozen=True)
class CandidateSpec:
    """A person standing for the committee, or a firm offered as manager (named as the registry names them)."""

    person_id: int | None = None
    firm_id: int | None = None


@dataclass(frozen=True)
class ItemSpec:
    title: str
    decision_rule: DecisionRule
    description: str = ""
    matter: JointMatter | None = None
    scope_building: str | None = None
    scope_entrance: str | None = None
    voting_opens_at: datetime | None = None
    voting_closes_at: datetime | None = None
    max_selections: int | None = None
    candidates: Sequence[CandidateSpec] = ()


@dataclass(frozen=True)
class MeetingDraft:
    kind: MeetingKind
    title: str
    convener_body_id: int
    scheduled_at: datetime
    compound_id: int | None = None
    community_id: int | None = None
    location: str = ""
    participants: Sequence[ParticipantSpec] = ()
    agenda: Sequence[ItemSpec] = ()


def pack_of(meeting: Meeting) -> RulePack:
    """The released pack version the meeting was scheduled under: its notice, quorum, tallies and deadlines keep
    the numbers it was held with when a newer version is released."""
    return pack_named(meeting.rule_pack)


def pack_named(reference: str) -> RulePack:
    pack = resolve_reference(reference)
    if pack is None:  # pragma: no cover - packs are never removed
        raise RuleViolation(ErrorCode.UNKNOWN_RULE_PACK, f"规则包 {reference} 不存在", None)
    return pack


async def meeting_scope(meeting: Meeting) -> Scope:
    if meeting.compound_id is not None:
        compound = await Compound.get(id=meeting.compound_id)
        return Scope(street_id=compound.street_id, community_id=compound.community_id, compound_id=compound.id)
    community = await Community.get(id=meeting.community_id)
    return Scope(street_id=community.street_id, community_id=community.id)


async def is_member(actor: Viewer, body_id: int, now: datetime) -> bool:
    """Whether the viewer's person holds a current post in the body (a committee member managing its meetings)."""
    if actor.person_id is None:
        return False
    rows = await Membership.filter(body_id=body_id, person_id=actor.person_id)
    return any(is_current(r.starts_on, r.ends_on, local_date(now)) for r in rows)


async def load_meeting(meeting_id: int, *, actor: Viewer, now: datetime, lock: bool = False) -> tuple[Meeting, Scope]:
    query = Meeting.select_for_update() if lock else Meeting
    meeting = await query.get_or_none(id=meeting_id)
    if meeting is None:
        raise not_found("会议", "meetingId")
    scope = await meeting_scope(meeting)
    rules.require_manage(actor, scope, convener_member=await is_member(actor, meeting.convener_id, now))
    return meeting, scope


async def _place(draft: MeetingDraft) -> tuple[Scope, str]:
    """Where the meeting sits and the rule pack of its street."""
    needs_compound = draft.kind in COMMITTEE_KINDS or draft.kind is MeetingKind.OWNERS_ASSEMBLY
    if draft.compound_id is None and (needs_compound or draft.community_id is None):
        raise RuleViolation(ErrorCode.INVALID, "须指定会议所属小区", "compoundId", en="compoundId is required")
    if draft.compound_id is not None:
        compound = await Compound.get_or_none(id=draft.compound_id)
        if compound is None:
            raise not_found("小区", "compoundId")
        if draft.community_id is not None and draft.community_id != compound.community_id:
            raise RuleViolation(ErrorCode.INVALID, "小区不属于该社区", "communityId", en="Compound not in community")
        scope = Scope(street_id=compound.street_id, community_id=compound.community_id, compound_id=compound.id)
    else:
        community = await Community.get_or_none(id=draft.community_id)
        if community is None:
            raise not_found("社区", "communityId")
        scope = Scope(street_id=community.street_id, community_id=community.id)
    street = await Street.get(id=scope.street_id)
    pack = rule_pack(street.rule_pack)
    if pack is None:  # pragma: no cover - streets are created with a known pack
        raise RuleViolation(ErrorCode.UNKNOWN_RULE_PACK, f"规则包 {street.rule_pack} 不存在", None)
    return scope, pack.reference


def _check_item(kind: MeetingKind, spec: ItemSpec, index: int) -> str:
    title = required_text(spec.title, field=f"agenda.{index}.title", label="议题", max_length=200)
    rules.check_decision_rule(kind, spec.decision_rule, spec.matter)
    if (spec.scope_building or spec.scope_entrance) and spec.decision_rule not in OWNERS_RULES:
        raise RuleViolation(ErrorCode.INVALID, "只有业主表决可限于楼栋或单元", "scopeBuilding", en="Scope is for owners")
    if spec.scope_entrance and not spec.scope_building:
        raise RuleViolation(ErrorCode.INVALID, "限于单元时须写明楼栋", "scopeBuilding", en="Name the building")
    if (spec.voting_opens_at or spec.voting_closes_at) and kind is not MeetingKind.OWNERS_ASSEMBLY:
        raise RuleViolation(ErrorCode.INVALID, "书面征求意见只适用于业主大会", "votingOpensAt",
                            en="A voting window is for an owners' assembly")
    rules.check_window_notice(notice_issued_at=None, opens_at=spec.voting_opens_at, closes_at=spec.voting_closes_at,
                              kind=kind, rules=None)  # type: ignore[arg-type]
    check_election(spec)
    return title


async def schedule_meeting(*, actor: Viewer, draft: MeetingDraft, now: datetime) -> Meeting:
    title = required_text(draft.title, field="title", label="会议名称", max_length=200)
    rules.check_instant(draft.scheduled_at, "scheduledAt")
    titles = [_check_item(draft.kind, spec, i) for i, spec in enumerate(draft.agenda)]
    person_ids = [p.person_id for p in draft.participants]
    if len(set(person_ids)) != len(person_ids):
        raise RuleViolation(ErrorCode.INVALID, "参会人重复", "participants", en="A person is listed twice")
    scope, pack = await _place(draft)
    convener = await Body.get_or_none(id=draft.convener_body_id)
    if convener is None:
        raise not_found("召集组织", "convenerBodyId")
    if convener.street_id is not None or convener.community_id is not None or convener.compound_id is not None:
        # A convener with a territory is named only from inside it (issue 15 item 3); firms and offices above
        # have none.
        rules.require_manage(actor, await body_scope(convener),
                             convener_member=await is_member(actor, convener.id, now))
    rules.require_manage(actor, scope, convener_member=await is_member(actor, draft.convener_body_id, now))
    if await Person.filter(id__in=person_ids).count() != len(person_ids):
        raise not_found("参会人", "participants")
    async with atomic():
        meeting = await Meeting.create(
            kind=draft.kind, status=MeetingStatus.DRAFT, title=title, compound_id=scope.compound_id,
            community_id=scope.community_id, convener_id=draft.convener_body_id, scheduled_at=draft.scheduled_at,
            location=draft.location, rule_pack=pack, created_at=now,
        )
        await Participant.bulk_create([
            Participant(meeting_id=meeting.id, person_id=p.person_id, represents=p.represents, role=p.role)
            for p in draft.participants
        ])
        await AgendaItem.bulk_create([
            _item(meeting.id, i + 1, t, spec, AgendaStatus.DRAFT, now)
            for i, (t, spec) in enumerate(zip(titles, draft.agenda, strict=True))
        ])
        if any(spec.candidates for spec in draft.agenda):
            items = await AgendaItem.filter(meeting_id=meeting.id).order_by("position")
            for item, spec in zip(items, draft.agenda, strict=True):
                await create_candidates(item.id, spec)
        await record_event(actor=actor, action="scheduleMeeting", entity_type="Meeting", entity_id=meeting.id,
                           summary=f"安排会议《{title}》（{draft.kind}），议题 {len(titles)} 项", now=now)
    return meeting


def _item(
    meeting_id: int, position: int, title: str, spec: ItemSpec, status: AgendaStatus, now: datetime
) -> AgendaItem:
    return AgendaItem(
        meeting_id=meeting_id, position=position, title=title, description=spec.description,
        decision_rule=spec.decision_rule, matter=spec.matter, scope_building=spec.scope_building or None,
        scope_entrance=spec.scope_entrance or None, status=status, created_at=now,
        voting_opens_at=spec.voting_opens_at, voting_closes_at=spec.voting_closes_at,
        max_selections=spec.max_selections,
    )


async def add_agenda_item(*, actor: Viewer, meeting_id: int, spec: ItemSpec, now: datetime) -> AgendaItem:
    """An item added after the notice stays DRAFT: it may be discussed but not voted on (京条例 art. 35)."""
    async with atomic():
        meeting, _ = await load_meeting(meeting_id, actor=actor, now=now, lock=True)
        if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.NOTICED, MeetingStatus.IN_SESSION):
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "会议已结束，不能增加议题", "meetingId",
                                en="The meeting is over")
        title = _check_item(meeting.kind, spec, 0)
        position = await AgendaItem.filter(meeting_id=meeting.id).count() + 1
        item = _item(meeting.id, position, title, spec, AgendaStatus.DRAFT, now)
        await item.save()
        await create_candidates(item.id, spec)
        await record_event(actor=actor, action="addAgendaItem", entity_type="AgendaItem", entity_id=item.id,
                           summary=f"会议 {meeting.id} 增加议题《{title}》（{meeting.status}）", now=now)
    return item


async def _move(meeting: Meeting, action: MeetingAction, **changes: object) -> Meeting:
    """A conditional update: the row changes only if nobody moved it since it was read."""
    target = rules.transition(meeting.status, action)
    moved = await Meeting.filter(id=meeting.id, status=meeting.status).update(status=target, **changes)
    if moved != 1:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "会议状态已被他人更改", "meetingId",
                            en="The meeting changed meanwhile")
    return await Meeting.get(id=meeting.id)


async def issue_notice(*, actor: Viewer, meeting_id: int, issued_at: datetime | None, now: datetime) -> Meeting:
    issued = issued_at or now
    rules.check_notice_issued_at(issued, now=now)
    async with atomic():
        meeting, _ = await load_meeting(meeting_id, actor=actor, now=now, lock=True)
        for opens_at, closes_at in await AgendaItem.filter(meeting_id=meeting.id).values_list(
                "voting_opens_at", "voting_closes_at"):
            rules.check_window_notice(notice_issued_at=issued, opens_at=opens_at, closes_at=closes_at,
                                      kind=meeting.kind, rules=pack_of(meeting).meetings)
        meeting = await _move(meeting, MeetingAction.ISSUE_NOTICE, notice_issued_at=issued)
        await AgendaItem.filter(meeting_id=meeting.id, status=AgendaStatus.DRAFT).update(
            status=rules.agenda_transition(AgendaStatus.DRAFT, AgendaAction.NOTICE)
        )
        await record_event(actor=actor, action="issueMeetingNotice", entity_type="Meeting", entity_id=meeting.id,
                           summary=f"发布会议通知，发布时间 {issued.isoformat()}", now=now)
        await notices.meeting_notice_issued(meeting, now=now)
    return meeting


async def convener_members(meeting: Meeting, today: datetime) -> set[int]:
    rows = await Membership.filter(body_id=meeting.convener_id)
    return {r.person_id for r in rows if is_current(r.starts_on, r.ends_on, local_date(today))}


async def owner_persons(compound_id: int | None, person_ids: set[int]) -> set[int]:
    if compound_id is None or not person_ids:
        return set()
    rows = await Ownership.filter(person_id__in=list(person_ids), unit__compound_id=compound_id).values_list(
        "person_id", flat=True)
    return set(rows)


async def open_meeting(*, actor: Viewer, meeting_id: int, present_person_ids: Sequence[int], now: datetime) -> Meeting:
    present = set(present_person_ids)
    async with atomic():
        meeting, _ = await load_meeting(meeting_id, actor=actor, now=now, lock=True)
        rules.transition(meeting.status, MeetingAction.OPEN)
        meeting_rules = pack_of(meeting).meetings
        rules.check_notice_elapsed(meeting.notice_issued_at, meeting.kind, meeting_rules, now=now)
        participants = await Participant.filter(meeting_id=meeting.id)
        invited = {p.person_id for p in participants}
        if not present <= invited:
            raise RuleViolation(ErrorCode.INVALID, "出席人须为受邀参会人", "presentPersonIds",
                                en="Present persons must be participants")
        rules.check_four_parties(meeting.kind, [p.represents for p in participants if p.person_id in present])
        members = await convener_members(meeting, now) if meeting.kind in COMMITTEE_KINDS else invited
        result = rules.quorum(
            meeting.kind, members={str(m) for m in members},
            owner_members={str(m) for m in await owner_persons(meeting.compound_id, members)},
            present={str(p) for p in present}, rules=meeting_rules,
        )
        rules.check_quorum(result)
        meeting = await _move(
            meeting, MeetingAction.OPEN, opened_at=now, quorum_met=result.met, quorum_present=result.present,
            quorum_required=result.required, quorum_explanation=result.explanation,
        )
        await Participant.filter(meeting_id=meeting.id, person_id__in=list(present)).update(attended=True)
        await record_event(actor=actor, action="openMeeting", entity_type="Meeting", entity_id=meeting.id,
                           summary=f"开会：{result.explanation}", now=now)
    return meeting


async def close_meeting(*, actor: Viewer, meeting_id: int, now: datetime) -> Meeting:
    async with atomic():
        meeting, _ = await load_meeting(meeting_id, actor=actor, now=now, lock=True)
        rules.transition(meeting.status, MeetingAction.CLOSE)
        if await AgendaItem.exists(meeting_id=meeting.id, status=AgendaStatus.VOTING):
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "仍有议题在表决中，须先结束表决", "meetingId",
                                en="Close the voting of every item first")
        meeting = await _move(meeting, MeetingAction.CLOSE, closed_at=now)
        await record_event(actor=actor, action="closeMeeting", entity_type="Meeting", entity_id=meeting.id,
                           summary="闭会", now=now)
    return meeting


async def cancel_meeting(*, actor: Viewer, meeting_id: int, reason: str, now: datetime) -> Meeting:
    why = required_text(reason, field="reason", label="取消理由", max_length=200)
    async with atomic():
        meeting, _ = await load_meeting(meeting_id, actor=actor, now=now, lock=True)
        meeting = await _move(meeting, MeetingAction.CANCEL, cancelled_at=now)
        await record_event(actor=actor, action="cancelMeeting", entity_type="Meeting", entity_id=meeting.id,
                           summary=f"取消会议：{why}", now=now)
    return meeting
