"""Complaint figures per firm for the credit evaluation, in three statements whatever the number of firms.

A firm's orders are those it is accountable for as first receiving unit (首接负责): escalating an order to the
community or the street does not take it off the firm's figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from domain.complaints.models import ComplaintEvent, ReturnVisitRecord
from domain.complaints.rules import Action, Satisfaction


@dataclass(frozen=True)
class FirmComplaintFigures:
    dispatched: int
    resolved: int
    resolved_on_time: int
    unsatisfied_visits: int


async def firm_complaint_figures(
    *, firm_body_ids: list[int], start: datetime, end: datetime
) -> dict[int, FirmComplaintFigures]:
    """Per firm Body id: dispatches (incl. re-dispatch after a failed visit), resolutions, those on or before
    the deadline then in force, and return visits with an UNSATISFIED answer — all with their instant in
    [start, end). Every requested id is in the result, with zeros when nothing happened."""
    ids = list(set(firm_body_ids))
    if not ids:
        return {}
    sent = await ComplaintEvent.filter(
        complaint__accountable_id__in=ids, action__in=[Action.DISPATCH, Action.REOPEN], at__gte=start, at__lt=end
    ).values_list("complaint__accountable_id", flat=True)
    resolutions = await ComplaintEvent.filter(
        complaint__accountable_id__in=ids, action=Action.RESOLVE, at__gte=start, at__lt=end
    ).values_list("complaint__accountable_id", "at", "due_at")
    unsatisfied = await ReturnVisitRecord.filter(
        complaint__accountable_id__in=ids, satisfaction=Satisfaction.UNSATISFIED, at__gte=start, at__lt=end
    ).values_list("complaint__accountable_id", flat=True)
    dispatched = Counter(sent)
    resolved = Counter(body for body, _, _ in resolutions)
    on_time = Counter(body for body, at, due in resolutions if due is not None and at <= due)
    visits = Counter(unsatisfied)
    return {
        body: FirmComplaintFigures(
            dispatched=dispatched[body],
            resolved=resolved[body],
            resolved_on_time=on_time[body],
            unsatisfied_visits=visits[body],
        )
        for body in ids
    }
