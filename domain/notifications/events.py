"""Who is told what when something happens: called inside the causing use case's transaction."""

from __future__ import annotations

from datetime import date, datetime

from domain.accounts.models import Account
from domain.deliberation.models import AgendaItem, Meeting, Minutes, Participant
from domain.geography.models import Ownership
from domain.notifications import rules
from domain.notifications.rules import NoticeKind
from domain.notifications.service import Link, Recipient, notify, person_recipients

MEETING_KIND_LABELS = {
    "FOUR_PARTY_JOINT": "四方联席会",
    "JOINT_CONFERENCE": "物业管理联席会议",
    "RESIDENTS_DELIBERATION": "居民议事会",
    "HEART_TO_HEART": "恳谈会",
    "PARTY_BUILDING_JOINT": "党建联席会",
    "OWNERS_COMMITTEE": "业委会会议",
    "PROPERTY_MANAGEMENT_COMMITTEE": "物管会会议",
    "OWNERS_ASSEMBLY": "业主大会",
}


async def compound_owner_ids(compound_id: int | None) -> set[int]:
    if compound_id is None:
        return set()
    return set(await Ownership.filter(unit__compound_id=compound_id).values_list("person_id", flat=True))


async def _meeting_audience(meeting: Meeting) -> list[Recipient]:
    """Every owner of the compound who has an account, and every participant (with or without one: SMS)."""
    owners = await person_recipients(await compound_owner_ids(meeting.compound_id))
    participants = await Participant.filter(meeting_id=meeting.id).values_list("person_id", "person__phone")
    known = {r.person_id for r in owners}
    return owners + [Recipient(person_id=p, phone=phone) for p, phone in participants if p not in known]


async def meeting_notice_issued(meeting: Meeting, *, now: datetime) -> int:
    text = rules.meeting_notice(title=meeting.title, kind_label=MEETING_KIND_LABELS.get(meeting.kind, "会议"),
                                scheduled_at=meeting.scheduled_at, location=meeting.location)
    return await notify(recipients=await _meeting_audience(meeting), kind=NoticeKind.MEETING_NOTICE, text=text,
                        link=Link("Meeting", meeting.id), cause=f"meeting:{meeting.id}", now=now)


async def voting_opened(item: AgendaItem, meeting: Meeting, *, voter_ids: set[int], now: datetime) -> int:
    text = rules.voting_opened(meeting_title=meeting.title, item_title=item.title)
    return await notify(recipients=await person_recipients(voter_ids), kind=NoticeKind.VOTING_OPENED, text=text,
                        link=Link("Meeting", meeting.id), cause=f"item:{item.id}", now=now)


async def minutes_published(minutes: Minutes, meeting: Meeting, *, challenge_deadline: date | None,
                            now: datetime) -> int:
    text = rules.minutes_published(meeting_title=meeting.title, version=minutes.version,
                                   challenge_deadline=challenge_deadline)
    return await notify(recipients=await _meeting_audience(meeting), kind=NoticeKind.MINUTES_PUBLISHED, text=text,
                        link=Link("Meeting", meeting.id), cause=f"minutes:{minutes.id}", now=now)


async def complaint_progressed(*, complaint_id: int, number: str, title: str, person_id: int | None,
                               phone: str | None, action: str, event_id: int, note: str, now: datetime) -> int:
    """The complainant hears of acceptance, dispatch, resolution and closure (接诉即办条例 art. 15: feedback)."""
    text = rules.complaint_progress(number=number, title=title, action=action, note=note)
    if text is None or person_id is None:
        return 0
    return await notify(recipients=[Recipient(person_id=person_id, phone=phone)],
                        kind=NoticeKind.COMPLAINT_PROGRESS, text=text, link=Link("Complaint", complaint_id),
                        cause=f"complaint-event:{event_id}", now=now)


async def staff_accounts(*, role: str, **anchor: int) -> list[Recipient]:
    rows = await Account.filter(is_active=True, roles__contains=role, **anchor).values_list("id", "roles")
    return [Recipient(account_id=i) for i, roles in rows if role in roles.split(",")]
