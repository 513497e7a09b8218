"""Handling deadlines from the urgency and the street's rule pack: hours, calendar days or statutory working days.

Days are counted in Asia/Shanghai local time; instants come in and go out time-zone aware (stored UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import chinese_calendar

from domain.calendar import LOCAL
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.model import ComplaintRules, Deadline, DeadlineUnit

END_OF_DAY = time(23, 59, 59)


def is_working_day(day: date) -> bool:
    """The statutory calendar (State Council notices, incl. make-up working days, 调休) via chinese_calendar.

    Outside the years the installed calendar covers (it raises NotImplementedError: 1.11 ends in 2026, and the
    State Council publishes each year's holidays only in the preceding November) we fall back to Monday–Friday:
    a deadline then ignores holidays not yet known, which errs towards the complainant (earlier, never later
    than a deadline that also skipped the holidays). Updating chinese-calendar closes the gap.
    """
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, amount: int) -> date:
    """The `amount`-th working day after `start` (the start day itself is not counted, as for legal periods)."""
    day, counted = start, 0
    while counted < amount:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def due_at(start: datetime, deadline: Deadline) -> datetime:
    """When an order started at `start` (receipt, dispatch or reopening) has to be resolved, in UTC.

    Hours and calendar days run from the instant itself; working days end at the close (23:59:59 local)
    of the last working day, because a working-day period expires with its last day.
    """
    if start.tzinfo is None:
        raise ValueError("start must be time-zone aware")
    if deadline.unit is DeadlineUnit.HOURS:
        return (start + timedelta(hours=deadline.amount)).astimezone(UTC)
    local = start.astimezone(LOCAL)
    if deadline.unit is DeadlineUnit.DAYS:
        # wall-clock days in local time (China has no daylight saving, but this stays right if it had)
        naive = local.replace(tzinfo=None) + timedelta(days=deadline.amount)
        return naive.replace(tzinfo=LOCAL).astimezone(UTC)
    last = add_working_days(local.date(), deadline.amount)
    return datetime.combine(last, END_OF_DAY, tzinfo=LOCAL).astimezone(UTC)


def handling_due_at(start: datetime, urgency: str, rules: ComplaintRules) -> datetime:
    deadline = rules.deadlines.get(str(urgency))
    if deadline is None:
        raise RuleViolation(ErrorCode.INVALID, f"未知的紧急程度 {urgency}", "urgency", en=f"Unknown urgency {urgency}")
    return due_at(start, deadline)


def acknowledge_by(dispatched_at: datetime, rules: ComplaintRules) -> datetime:
    """签收时限: the handler has to sign for the order and contact the complainant within the pack's hours."""
    return (dispatched_at + timedelta(hours=rules.acknowledge_hours)).astimezone(UTC)


def acknowledged_in_time(dispatched_at: datetime, acknowledged_at: datetime | None, limit_hours: int) -> bool:
    return acknowledged_at is not None and acknowledged_at - dispatched_at <= timedelta(hours=limit_hours)
