"""Closing written-consultation votes when their window ends (run by the scheduler, idempotently).

Each due item closes in its own transaction under its row lock; the conditional status move makes a second run,
or two schedulers at once, close an item exactly once. An item whose recount disagrees with its running tally is
left open and reported (TALLY_MISMATCH), never closed on a wrong count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain.accounts.rules import Viewer
from domain.deliberation.models import AgendaItem, Meeting
from domain.deliberation.tally import Tally
from domain.deliberation.vocabulary import AgendaStatus
from domain.deliberation.voting import finish_voting
from domain.errors import RuleViolation
from domain.transaction import atomic


@dataclass
class ClosedVotes:
    closed: list[tuple[int, Tally]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


async def close_due_votes(*, actor: Viewer, now: datetime) -> ClosedVotes:
    outcome = ClosedVotes()
    due = await AgendaItem.filter(status=AgendaStatus.VOTING, voting_closes_at__lte=now).order_by("id").values_list(
        "id", flat=True)
    for item_id in due:
        try:
            async with atomic():
                item = await AgendaItem.select_for_update().get(id=item_id)
                if item.status is not AgendaStatus.VOTING:
                    continue  # another scheduler run closed it meanwhile
                meeting = await Meeting.get(id=item.meeting_id)
                outcome.closed.append((item_id, await finish_voting(item, meeting, actor=actor, now=now)))
        except RuleViolation as problem:
            outcome.skipped.append((item_id, f"{problem.code}: {problem.message}"))
    return outcome
