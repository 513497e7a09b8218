"""Handling deadlines from the urgency and the street's rule pack: hours, calendar days or statutory working days.

Days are counted in Asia/Shanghai local time; instants come in and go out time-zone aware (stored UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from domain.calendar import LOCAL
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.model import ComplaintRules, DayCounting, Deadline, DeadlineUnit
from domain.workdays import add_working_days, is_working_day  # noqa: F401 - re-exported for callers

END_OF_DAY = time(23, 59, 59)


def due_at(start: datetime, deadline: Deadline) -> datetime:
    """When an order started at `start` (receipt, dispatch or reopening) has to be resolved, in UTC."""
    return handling_due(start, deadline).at


@dataclass(frozen=True)
class Due:
    at: datetime
    # A working-day deadline that crosses a year whose statutory holidays are not loaded (domain.workdays):
    # counted Monday–Friday for now, shown as provisional and never escalated automatically.
    provisional: bool = False
    unknown_years: tuple[int, ...] = ()


def handling_due(start: datetime, deadline: Deadline) -> Due:
    """Hours and calendar days run from the instant itself; working days end at the close (23:59:59 local)
    of the last working day, because a working-day period expires with its last day."""
    if start.tzinfo is None:
        raise ValueError("start must be time-zone aware")
    if deadline.unit is DeadlineUnit.HOURS:
        return Due((start + timedelta(hours=deadline.amount)).astimezone(UTC))
    local = start.astimezone(LOCAL)
    if deadline.unit is DeadlineUnit.DAYS:
        # wall-clock days in local time (China has no daylight saving, but this stays right if it had)
        naive = local.replace(tzinfo=None) + timedelta(days=deadline.amount)
        return Due(naive.replace(tzinfo=LOCAL).astimezone(UTC))
    counted = add_working_days(local.date(), deadline.amount)
    return Due(datetime.combine(counted.last_day, END_OF_DAY, tzinfo=LOCAL).astimezone(UTC),
               counted.provisional, counted.unknown_years)


def deadline_for(urgency: str, rules: ComplaintRules) -> Deadline:
    deadline = rules.deadlines.get(str(urgency))
    if deadline is None:
        raise RuleViolation(ErrorCode.INVALID, f"未知的紧急程度 {urgency}", "urgency", en=f"Unknown urgency {urgency}")
    return deadline


def handling_due_for(start: datetime, urgency: str, rules: ComplaintRules) -> Due:
    deadline = deadline_for(urgency, rules)
    if deadline.unit is not DeadlineUnit.HOURS:
        # The pack's day counting decides how its day deadlines count (济南/潍坊: 工作日; Beijing draft: 天); the
        # loader refuses a pack whose deadline suffixes say otherwise.
        unit = DeadlineUnit.WORKING_DAYS if rules.day_counting is DayCounting.WORKING else DeadlineUnit.DAYS
        deadline = Deadline(deadline.amount, unit)
    return handling_due(start, deadline)


def handling_due_at(start: datetime, urgency: str, rules: ComplaintRules) -> datetime:
    return handling_due_for(start, urgency, rules).at


def acknowledge_by(dispatched_at: datetime, rules: ComplaintRules) -> datetime:
    """签收时限: the handler has to sign for the order and contact the complainant within the pack's hours."""
    return (dispatched_at + timedelta(hours=rules.acknowledge_hours)).astimezone(UTC)


def acknowledged_in_time(dispatched_at: datetime, acknowledged_at: datetime | None, limit_hours: int) -> bool:
    return acknowledged_at is not None and acknowledged_at - dispatched_at <= timedelta(hours=limit_hours)
