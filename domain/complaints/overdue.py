"""Bulk escalation of overdue orders (吹哨), run by a scheduler: `python -m api escalate-overdue`.

An order is escalated once each time it falls overdue: after an escalation it waits until its deadline is
moved (extension, reopening) and passed again. The deadline itself stays, so the on-time rate stays honest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from domain.accounts.rules import Viewer
from domain.bodies.models import Body
from domain.complaints.access import KIND_BY_RUNG, RUNG_BY_KIND
from domain.complaints.escalation import Rung, next_rung
from domain.complaints.deadlines import handling_due_for
from domain.complaints.models import Complaint
from domain.complaints.orders import pack_of, recorded_pack_of
from domain.complaints.rules import HANDLING_STATUSES
from domain.complaints.service import escalate_complaint
from domain.errors import RuleViolation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EscalationOutcome:
    escalated: list[int]
    skipped: list[tuple[int, str]]


def needs_escalation(complaint: Complaint, now: datetime) -> bool:
    if complaint.status not in HANDLING_STATUSES or complaint.due_at is None or complaint.due_at >= now:
        return False
    return complaint.escalated_at is None or complaint.escalated_at < complaint.due_at


async def _unit_of_rung(rung: Rung, complaint: Complaint) -> Body | None:
    query = Body.filter(kind=KIND_BY_RUNG[rung])
    if rung is Rung.COMMUNITY:
        query = query.filter(community_id=complaint.community_id)
    elif rung is Rung.STREET:
        query = query.filter(street_id=complaint.street_id)
    return await query.order_by("id").first()


async def settle_provisional_due(complaint: Complaint) -> str | None:
    """A provisional deadline is recounted once the missing years' holidays are loaded (the operator added the
    State Council notice); while they are not, the order is not escalated. Returns why it is skipped, or None."""
    if not complaint.due_provisional:
        return None
    if complaint.dispatched_at is None:
        return "provisional deadline without a dispatch time"
    pack = recorded_pack_of(complaint) or await pack_of(complaint)
    due = handling_due_for(complaint.dispatched_at, complaint.urgency, pack.complaints)
    if due.provisional:
        years = ", ".join(str(y) for y in due.unknown_years)
        return f"provisional deadline: the statutory holidays of {years} are not loaded (domain/holidays/)"
    # Only the row still holding the provisional count is corrected (an extension meanwhile wins).
    await Complaint.filter(id=complaint.id, due_provisional=True, due_at=complaint.due_at).update(
        due_at=due.at, due_provisional=False
    )
    complaint.due_at, complaint.due_provisional = due.at, False
    return None


async def overdue_orders(now: datetime) -> list[Complaint]:
    candidates = await Complaint.filter(status__in=list(HANDLING_STATUSES), due_at__lt=now).order_by("id")
    return [c for c in candidates if needs_escalation(c, now)]


async def escalate_overdue(*, actor: Viewer, now: datetime) -> EscalationOutcome:
    """Each overdue order one rung up, in a transaction of its own (one failure does not undo the others)."""
    escalated: list[int] = []
    skipped: list[tuple[int, str]] = []
    orders = []
    for complaint in await overdue_orders(now):
        reason = await settle_provisional_due(complaint)
        if reason is not None:
            logger.warning("complaint %s not escalated: %s", complaint.id, reason)
            skipped.append((complaint.id, reason))
        elif needs_escalation(complaint, now):
            orders.append(complaint)
    handlers = {b.id: b for b in await Body.filter(id__in=[c.handler_id for c in orders if c.handler_id])}
    for complaint in orders:
        handler = handlers.get(complaint.handler_id) if complaint.handler_id else None
        current = RUNG_BY_KIND.get(str(handler.kind)) if handler else None
        rung = next_rung(current) if current else Rung.COMMUNITY
        target = await _unit_of_rung(rung, complaint) if rung else None
        if target is None:
            skipped.append((complaint.id, "no higher unit" if rung is None else f"no {rung.name.lower()} unit"))
            continue
        try:
            await escalate_complaint(actor=actor, complaint_id=complaint.id, to_body_id=target.id,
                                     reason="超期自动吹哨", now=now, system=True)
        except RuleViolation as violation:
            skipped.append((complaint.id, violation.message_en))
            continue
        escalated.append(complaint.id)
    return EscalationOutcome(escalated, skipped)
