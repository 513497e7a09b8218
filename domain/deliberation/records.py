"""Minutes use cases: draft (a new version after publication), sign, publish into the hash chain, verify."""

from __future__ import annotations

from datetime import date, datetime

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Viewer
from domain.audit.service import record_event
from domain.deliberation import minutes as rules_minutes
from domain.deliberation import rules
from domain.deliberation.models import AgendaItem, Meeting, Minutes, Participant, Signature
from domain.deliberation.service import is_member, load_meeting, meeting_scope, pack_of
from domain.deliberation.vocabulary import (
    MeetingAction,
    MeetingKind,
    MeetingStatus,
    MinutesAction,
    MinutesStatus,
    Role,
)
from domain.errors import ErrorCode, RuleViolation
from domain.geography.service import not_found
from domain.notifications import events as notices
from domain.transaction import atomic

PUBLISH_ATTEMPTS = 3


def chain_key(meeting: Meeting) -> str:
    return f"compound:{meeting.compound_id}" if meeting.compound_id is not None else f"community:{meeting.community_id}"


async def draft_minutes(*, actor: Viewer, meeting_id: int, body: str, now: datetime) -> Minutes:
    """The recorder's draft. A draft may be rewritten until published (its signatures lapse with the old text);
    after publication a correction is a new version that references the published one."""
    text = (body or "").strip()
    if not text:
        raise RuleViolation(ErrorCode.INVALID, "纪要内容不能为空", "body", en="The minutes are empty")
    async with atomic():
        meeting, scope = await load_meeting(meeting_id, actor=actor, now=now, lock=True)
        if meeting.status not in (MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED):
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "会议闭会后才能起草纪要", "meetingId",
                                en="Minutes are drafted after the meeting closes")
        latest = await Minutes.filter(meeting_id=meeting.id).order_by("-version").first()
        recorder = await Participant.filter(meeting_id=meeting.id, role=Role.RECORDER).first()
        rules.check_drafter(actor, scope, recorder_id=recorder.person_id if recorder else None)
        if latest is not None and latest.status is MinutesStatus.DRAFT:
            rules.minutes_transition(latest.status, MinutesAction.EDIT)
            lapsed = await Signature.filter(minutes_id=latest.id).delete()
            await Minutes.filter(id=latest.id, status=MinutesStatus.DRAFT).update(body=text, drafted_at=now)
            minutes = await Minutes.get(id=latest.id)
            summary = f"修改纪要第 {minutes.version} 版草稿，{lapsed} 个签名失效"
        else:
            minutes = await Minutes.create(
                meeting_id=meeting.id, version=(latest.version + 1) if latest else 1, status=MinutesStatus.DRAFT,
                body=text, recorder_id=recorder.person_id if recorder else None,
                supersedes_id=latest.id if latest else None, drafted_at=now,
            )
            summary = f"起草纪要第 {minutes.version} 版" + (f"（更正第 {latest.version} 版）" if latest else "")
        await record_event(actor=actor, action="draftMinutes", entity_type="Minutes", entity_id=minutes.id,
                           summary=summary, now=now)
    return minutes


async def _load_minutes(minutes_id: int, *, actor: Viewer, now: datetime) -> tuple[Minutes, Meeting]:
    minutes = await Minutes.select_for_update().get_or_none(id=minutes_id)
    if minutes is None:
        raise not_found("会议纪要", "minutesId")
    meeting, _ = await load_meeting(minutes.meeting_id, actor=actor, now=now)
    return minutes, meeting


async def attendees(meeting_id: int) -> set[str]:
    rows = await Participant.filter(meeting_id=meeting_id, attended=True).values_list("person_id", flat=True)
    return {str(p) for p in rows}


async def sign_minutes(*, actor: Viewer, minutes_id: int, person_id: int, now: datetime) -> Minutes:
    try:
        async with atomic():
            minutes = await Minutes.select_for_update().get_or_none(id=minutes_id)
            if minutes is None:
                raise not_found("会议纪要", "minutesId")
            meeting = await Meeting.get(id=minutes.meeting_id)
            # A member signs for themself; staff and members may record a signature given on paper.
            rules.require_manage_or_vote(actor, await meeting_scope(meeting), voter_id=person_id,
                                         convener_member=await is_member(actor, meeting.convener_id, now))
            rules.minutes_transition(minutes.status, MinutesAction.SIGN)
            signed = await Signature.filter(minutes_id=minutes.id).values_list("person_id", flat=True)
            rules_minutes.check_signer(str(person_id), attendees=await attendees(meeting.id),
                                       signed={str(p) for p in signed})
            await Signature.create(minutes_id=minutes.id, person_id=person_id, signed_at=now,
                                   entered_by_id=actor.account_id)
            await record_event(actor=actor, action="signMinutes", entity_type="Minutes", entity_id=minutes.id,
                               summary=f"{person_id} 签署纪要第 {minutes.version} 版", now=now)
    except IntegrityError:
        raise RuleViolation(ErrorCode.ALREADY_SIGNED, "已签署过本版本纪要", "personId", en="Already signed") from None
    return minutes


async def _content(minutes: Minutes, meeting: Meeting, published_at: datetime, supersedes_hash: str | None) -> dict:
    participants = await Participant.filter(meeting_id=meeting.id).order_by("person_id")
    items = await AgendaItem.filter(meeting_id=meeting.id).order_by("position")
    signatures = await Signature.filter(minutes_id=minutes.id).order_by("person_id")
    return {
        "meetingId": meeting.id, "kind": meeting.kind, "title": meeting.title, "rulePack": meeting.rule_pack,
        "version": minutes.version, "body": minutes.body, "supersedesHash": supersedes_hash,
        "publishedAt": published_at, "quorum": meeting.quorum_explanation,
        "attendance": [{"personId": p.person_id, "represents": p.represents, "role": p.role, "attended": p.attended}
                       for p in participants],
        # The published ballot list's hash (owners' items) chains the list to the minutes: a list rewritten later
        # no longer matches the hash in the chain.
        "items": [{"title": i.title, "decisionRule": i.decision_rule, "matter": i.matter, "status": i.status,
                   "result": i.result, "tally": i.final_tally,
                   **({"ballotListHash": i.ballot_list_hash} if i.ballot_list_hash else {})} for i in items],
        "signatures": [{"personId": s.person_id, "signedAt": s.signed_at} for s in signatures],
    }


async def publish_minutes(*, actor: Viewer, minutes_id: int, now: datetime) -> Minutes:
    for attempt in range(PUBLISH_ATTEMPTS):
        try:
            return await _publish(actor=actor, minutes_id=minutes_id, now=now)
        except IntegrityError:
            # Another publication took this chain position meanwhile: chain onto it instead.
            if attempt == PUBLISH_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


async def _publish(*, actor: Viewer, minutes_id: int, now: datetime) -> Minutes:
    async with atomic():
        minutes, meeting = await _load_minutes(minutes_id, actor=actor, now=now)
        rules.minutes_transition(minutes.status, MinutesAction.PUBLISH)
        signed = await Signature.filter(minutes_id=minutes.id).values_list("person_id", flat=True)
        rules_minutes.check_publishable(attendees=await attendees(meeting.id), signed={str(p) for p in signed},
                                        rule=pack_of(meeting).meetings.minutes_signatures)
        key = chain_key(meeting)
        head = await Minutes.filter(chain_key=key).order_by("-chain_position").first()
        superseded = await Minutes.get_or_none(id=minutes.supersedes_id) if minutes.supersedes_id else None
        content = await _content(minutes, meeting, now, superseded.content_hash if superseded else None)
        previous = head.content_hash if head else None
        digest = rules_minutes.content_hash(content, previous)
        stored = rules_minutes.plain(content)
        updated = await Minutes.filter(id=minutes.id, status=MinutesStatus.DRAFT).update(
            status=MinutesStatus.PUBLISHED, published_at=now, chain_key=key,
            chain_position=(head.chain_position + 1) if head else 1, content=stored, content_hash=digest,
            previous_hash=previous,
        )
        if updated != 1:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "纪要状态已被他人更改", "minutesId", en="Changed")
        if meeting.status is MeetingStatus.CLOSED:
            target = rules.transition(meeting.status, MeetingAction.PUBLISH_MINUTES)
            await Meeting.filter(id=meeting.id, status=MeetingStatus.CLOSED).update(status=target)
        await record_event(actor=actor, action="publishMinutes", entity_type="Minutes", entity_id=minutes.id,
                           summary=f"发布纪要第 {minutes.version} 版，哈希 {digest}", now=now)
        minutes.published_at = now
        await notices.minutes_published(minutes, meeting, challenge_deadline=challenge_deadline(minutes, meeting),
                                        now=now)
    return await Minutes.get(id=minutes_id)


def challenge_deadline(minutes: Minutes, meeting: Meeting) -> date | None:
    """Owners' decisions only (区分所有权解释 art. 12)."""
    if minutes.published_at is None or meeting.kind is not MeetingKind.OWNERS_ASSEMBLY:
        return None
    return rules_minutes.challenge_deadline(minutes.published_at, pack_of(meeting).meetings.challenge_period)


async def verify_minutes_chain(*, compound_id: int | None, community_id: int | None) -> rules_minutes.ChainCheck:
    key = f"compound:{compound_id}" if compound_id is not None else f"community:{community_id}"
    rows = await Minutes.filter(chain_key=key).order_by("chain_position")
    links = [rules_minutes.PublishedLink(str(r.id), r.content or {}, r.content_hash or "", r.previous_hash)
             for r in rows]
    return rules_minutes.verify_chain(links)
