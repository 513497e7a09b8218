"""Complaint KPIs over plain records of one scope; each figure counts the records whose own instant falls in
the period [start, end). A rate with nothing to divide by is None (shown as null), never 0 or 100 %.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from domain.complaints.deadlines import acknowledged_in_time
from domain.complaints.rules import Satisfaction

_HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class OrderFacts:
    complaint_id: int
    received_at: datetime
    closed_at: datetime | None
    reopen_count: int


@dataclass(frozen=True)
class DispatchFacts:
    """One dispatch or re-dispatch, with the acknowledgement that answered it and the pack's limit."""

    complaint_id: int
    dispatched_at: datetime
    acknowledged_at: datetime | None
    acknowledge_hours: int


@dataclass(frozen=True)
class ResolutionFacts:
    complaint_id: int
    resolved_at: datetime
    due_at: datetime | None


@dataclass(frozen=True)
class VisitFacts:
    complaint_id: int
    visited_at: datetime
    reached: bool
    solved: bool | None
    satisfaction: Satisfaction | None


@dataclass(frozen=True)
class ComplaintKpis:
    received: int
    closed: int
    response_rate: Fraction | None
    resolution_rate: Fraction | None
    satisfaction_rate: Fraction | None
    on_time_rate: Fraction | None
    reopen_rate: Fraction | None
    mean_hours_to_close: Fraction | None
    p90_hours_to_close: Fraction | None


def rate(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def hours(span: timedelta) -> Fraction:
    return Fraction(span // timedelta(microseconds=1), _HOUR // timedelta(microseconds=1))


def p90(values: list[Fraction]) -> Fraction | None:
    """Nearest-rank 90th percentile: the smallest value with at least 90 % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[math.ceil(Fraction(9, 10) * len(ordered)) - 1]


def compute_kpis(
    *,
    orders: Iterable[OrderFacts],
    dispatches: Iterable[DispatchFacts],
    resolutions: Iterable[ResolutionFacts],
    visits: Iterable[VisitFacts],
    start: datetime,
    end: datetime,
) -> ComplaintKpis:
    def within(at: datetime | None) -> bool:
        return at is not None and start <= at < end

    orders = list(orders)
    received = [o for o in orders if within(o.received_at)]
    closed = [o for o in orders if o.closed_at is not None and within(o.closed_at)]
    sent = [d for d in dispatches if within(d.dispatched_at)]
    responded = [d for d in sent if acknowledged_in_time(d.dispatched_at, d.acknowledged_at, d.acknowledge_hours)]
    resolved = [r for r in resolutions if within(r.resolved_at)]
    on_time = [r for r in resolved if r.due_at is not None and r.resolved_at <= r.due_at]
    # an unreached complainant said nothing about the outcome: such attempts are not return visits here
    visited = [v for v in visits if v.reached and within(v.visited_at)]
    solved = [v for v in visited if v.solved]
    pleased = [v for v in visited if v.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)]
    reopen_counts = {o.complaint_id: o.reopen_count for o in orders}
    visited_orders = {v.complaint_id for v in visited}
    reopened = {c for c in visited_orders if reopen_counts.get(c, 0) > 0}
    durations = [hours(o.closed_at - o.received_at) for o in closed if o.closed_at is not None]
    return ComplaintKpis(
        received=len(received),
        closed=len(closed),
        response_rate=rate(len(responded), len(sent)),
        resolution_rate=rate(len(solved), len(visited)),
        satisfaction_rate=rate(len(pleased), len(visited)),
        on_time_rate=rate(len(on_time), len(resolved)),
        reopen_rate=rate(len(reopened), len(visited_orders)),
        mean_hours_to_close=sum(durations, Fraction(0)) / len(durations) if durations else None,
        p90_hours_to_close=p90(durations),
    )


KPI_RATES = {"response": "response_rate", "resolution": "resolution_rate", "satisfaction": "satisfaction_rate"}


def weighted_score(kpis: ComplaintKpis, weights: Mapping[str, int]) -> Fraction | None:
    """The pack's weighted composite (e.g. 30/35/35) over the rates that exist, as a share of 1."""
    parts = [
        (Fraction(weight), getattr(kpis, KPI_RATES[name]))
        for name, weight in weights.items()
        if name in KPI_RATES and getattr(kpis, KPI_RATES[name]) is not None
    ]
    total = sum((w for w, _ in parts), Fraction(0))
    if not total:
        return None
    return sum((w * r for w, r in parts), Fraction(0)) / total
