"""Scheduled notices (`python -m api send-reminders`): voting reminders, orders about to be overdue, committee
deadlines. Each is idempotent per cause and recipient, so the scheduler may run as often as it likes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q

from domain.calendar import local_date
from domain.committees.lifecycle import filing_deadline
from domain.committees.models import OwnersBody
from domain.committees.values import Term
from domain.complaints.models import Complaint
from domain.complaints.rules import Status
from domain.deliberation.models import AgendaItem, Ballot, Meeting
from domain.deliberation.vocabulary import OWNERS_RULES, AgendaStatus
from domain.firms.models import PropertyFirm
from domain.geography.models import Compound
from domain.notifications import rules
from domain.notifications.events import staff_accounts
from domain.notifications.rules import NoticeKind
from domain.notifications.service import Link, notify, person_recipients
from domain.rulepacks import rule_pack
from domain.transaction import atomic

HANDLING = (Status.DISPATCHED, Status.IN_PROGRESS)


@dataclass
class ReminderReport:
    voting_reminders: int = 0
    due_soon: int = 0
    committee_deadlines: int = 0


async def unvoted_person_ids(item: AgendaItem, meeting: Meeting, now: datetime) -> set[int]:
    from domain.deliberation.register_models import VoteSeatHolder
    from domain.deliberation.voting import electorate

    cast = set(await Ballot.filter(item_id=item.id).values_list("seat_key", flat=True))
    if item.decision_rule in OWNERS_RULES:
        # The roll fixed at opening says who holds which seat; a seat with a ballot has voted, whoever cast it.
        holders = await VoteSeatHolder.filter(item_id=item.id).values_list("person_id", "seat_key")
        return {person for person, seat in holders if seat not in cast}
    voters = await electorate(meeting, now)
    return {p for p in voters.eligible & voters.present if f"p{p}" not in cast}


async def remind_voters(*, now: datetime, after: timedelta, before_close: timedelta = timedelta(hours=24)) -> int:
    """Seats that have not voted are reminded once before the vote closes: for a written consultation when its
    window closes within `before_close`, for a vote without a window once it has been open for `after`."""
    sent = 0
    due = AgendaItem.filter(status=AgendaStatus.VOTING).filter(
        Q(voting_closes_at__isnull=False, voting_closes_at__gt=now, voting_closes_at__lte=now + before_close)
        | Q(voting_closes_at__isnull=True, voting_opened_at__lte=now - after))
    for item in await due:
        meeting = await Meeting.get(id=item.meeting_id)
        text = rules.voting_reminder(meeting_title=meeting.title, item_title=item.title)
        async with atomic():
            recipients = await person_recipients(await unvoted_person_ids(item, meeting, now))
            sent += await notify(recipients=recipients, kind=NoticeKind.VOTING_REMINDER, text=text,
                                 link=Link("Meeting", meeting.id), cause=f"item:{item.id}", now=now)
    return sent


async def warn_due_soon(*, now: datetime, warning: timedelta) -> int:
    """The handling firm's staff hear of an order within `warning` of its deadline, once per deadline."""
    sent = 0
    orders = await Complaint.filter(status__in=HANDLING, due_at__gt=now, due_at__lte=now + warning,
                                    handler_id__isnull=False)
    firms = {f.body_id: f.id for f in await PropertyFirm.filter(body_id__in=[o.handler_id for o in orders])}
    for order in orders:
        firm_id = firms.get(order.handler_id)
        if firm_id is None or not rules.due_soon(order.due_at, now, warning=warning):
            continue
        text = rules.complaint_due_soon(number=order.number, title=order.title, due_at=order.due_at)
        async with atomic():
            sent += await notify(recipients=await staff_accounts(role="FIRM_STAFF", firm_id=firm_id),
                                 kind=NoticeKind.COMPLAINT_DUE_SOON, text=text, link=Link("Complaint", order.id),
                                 cause=f"complaint:{order.id}:due:{order.due_at.isoformat()}", now=now)
    return sent


async def warn_committee_deadlines(*, now: datetime, lead_days: int) -> int:
    """Street staff hear of a filing deadline (指导规则 art. 35) or a term's end (换届) within `lead_days`."""
    today = local_date(now)
    sent = 0
    for body in await OwnersBody.filter(live_compound_id__isnull=False):
        # The pack version the committee was formed under (its recorded decision), as the lifecycle reads it.
        pack = rule_pack(body.rule_pack) or rule_pack("national")
        assert pack is not None
        term = Term(status=body.status, elected_on=body.elected_on, term_ends_on=body.term_ends_on,
                    filed_on=body.filed_on, first_meeting_on=body.first_meeting_on)
        deadlines = []
        if body.filed_on is None:
            deadlines.append(("备案", filing_deadline(term, pack)))
        reelection_starts = pack.owners_committee.reelection_lead.first_day_before(body.term_ends_on)
        if today >= reelection_starts or rules.deadline_approaching(body.term_ends_on, today, lead_days=lead_days):
            deadlines.append(("换届", body.term_ends_on))
        compound = await Compound.get(id=body.compound_id)
        for what, deadline in deadlines:
            if what == "备案" and not rules.deadline_approaching(deadline, today, lead_days=lead_days):
                continue
            text = rules.committee_deadline(compound_name=compound.name, what=what, deadline=deadline)
            async with atomic():
                recipients = await staff_accounts(role="STREET_STAFF", street_id=compound.street_id)
                sent += await notify(recipients=recipients, kind=NoticeKind.COMMITTEE_DEADLINE, text=text,
                                     link=Link("Compound", compound.id),
                                     cause=f"owners-body:{body.id}:{what}:{deadline.isoformat()}", now=now)
    return sent


async def send_reminders(*, now: datetime, vote_after: timedelta = timedelta(hours=24),
                         due_warning: timedelta = timedelta(hours=24), deadline_lead_days: int = 7) -> ReminderReport:
    return ReminderReport(
        voting_reminders=await remind_voters(now=now, after=vote_after),
        due_soon=await warn_due_soon(now=now, warning=due_warning),
        committee_deadlines=await warn_committee_deadlines(now=now, lead_days=deadline_lead_days),
    )

