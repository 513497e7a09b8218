"""Scheduled voting jobs, run by `python -m api escalate-overdue` together with the complaint escalation: votes
held by written consultation close when their window ends (idempotent: a second run closes nothing)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.accounts.rules import Role, Viewer
from domain.deliberation.scheduled import ClosedVotes, close_due_votes

SCHEDULER = Viewer(account_id=None, username="scheduler", roles=frozenset({Role.CENTRE_ADMIN}))


async def close_due_votes_job(*, now: datetime | None = None) -> ClosedVotes:
    outcome = await close_due_votes(actor=SCHEDULER, now=now or datetime.now(UTC))
    for item_id, reason in outcome.skipped:
        print(f"agenda item {item_id} not closed: {reason}")
    print(f"closed {len(outcome.closed)} due vote(s)")
    return outcome
