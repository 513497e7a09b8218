from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.complaints.deadlines import (
    acknowledge_by,
    acknowledged_in_time,
    add_working_days,
    due_at,
    handling_due,
    handling_due_at,
    is_working_day,
)
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks import Deadline, DeadlineUnit, rule_pack

CST = ZoneInfo("Asia/Shanghai")
BEIJING = rule_pack("beijing").complaints  # type: ignore[union-attr]
NATIONAL = rule_pack("national").complaints  # type: ignore[union-attr]
SHANDONG = rule_pack("shandong").complaints  # type: ignore[union-attr]


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)


@pytest.mark.parametrize(
    ("_case", "day", "expected"),
    [
        ("_case National Day is a holiday on a Thursday", date(2026, 10, 1), False),
        ("_case the holiday's Tuesday", date(2026, 10, 6), False),
        ("_case the Saturday 2026-10-10 is a make-up working day", date(2026, 10, 10), True),
        ("_case the Sunday 2026-09-20 is a make-up working day", date(2026, 9, 20), True),
        ("_case an ordinary Sunday", date(2026, 10, 11), False),
        ("_case an ordinary Monday", date(2026, 10, 12), True),
    ],
)
def test_working_days_follow_the_statutory_calendar(_case: str, day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("_case", "day", "expected"),
    [
        ("_case a Friday beyond the calendar", date(2027, 1, 1), True),
        ("_case a Saturday beyond the calendar", date(2027, 1, 2), False),
        ("_case a Monday beyond the calendar", date(2030, 10, 7), True),
    ],
)
def test_years_the_calendar_does_not_cover_fall_back_to_monday_to_friday(
    _case: str, day: date, expected: bool
) -> None:
    assert is_working_day(day) is expected


def test_five_working_days_cross_the_national_day_holiday_and_count_the_make_up_saturday() -> None:
    # 10-01..07 off; 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up), 10-12 Mon, 10-13 Tue
    counted = add_working_days(date(2026, 9, 30), 5)

    assert counted.last_day == date(2026, 10, 13)
    assert not counted.provisional


@pytest.mark.parametrize(
    ("_case", "rules", "urgency", "start", "expected"),
    [
        ("_case national ordinary across National Day", NATIONAL, "ORDINARY", cst(2026, 9, 30, 10, 0),
         cst(2026, 10, 13, 23, 59, 59)),
        ("_case shandong ordinary counts the make-up Sunday before Mid-autumn", SHANDONG, "ORDINARY",
         cst(2026, 9, 18, 16, 30), cst(2026, 9, 24, 23, 59, 59)),
        ("_case national ordinary filed on a holiday starts counting after it", NATIONAL, "ORDINARY",
         cst(2026, 10, 3, 9, 0), cst(2026, 10, 13, 23, 59, 59)),
        ("_case national ordinary received late in the evening, UTC still on the previous day", NATIONAL,
         "ORDINARY", datetime(2026, 9, 29, 17, 0, tzinfo=UTC), cst(2026, 10, 13, 23, 59, 59)),
        ("_case national complex", NATIONAL, "COMPLEX", cst(2026, 9, 30, 10, 0), cst(2026, 10, 20, 23, 59, 59)),
        ("_case beijing emergency is two clock hours", BEIJING, "EMERGENCY", cst(2026, 10, 1, 23, 0),
         cst(2026, 10, 2, 1, 0)),
        ("_case beijing utility is 24 clock hours", BEIJING, "UTILITY", cst(2026, 10, 1, 8, 0),
         cst(2026, 10, 2, 8, 0)),
        ("_case beijing ordinary is 7 calendar days through the holiday", BEIJING, "ORDINARY",
         cst(2026, 9, 30, 10, 0), cst(2026, 10, 7, 10, 0)),
        ("_case beijing complex is 15 calendar days", BEIJING, "COMPLEX", cst(2026, 9, 30, 10, 0),
         cst(2026, 10, 15, 10, 0)),
    ],
)
def test_the_deadline_follows_the_urgency_and_the_pack(
    _case: str, rules: object, urgency: str, start: datetime, expected: datetime
) -> None:
    due = handling_due_at(start, urgency, rules)  # type: ignore[arg-type]

    assert due == expected
    assert due.tzinfo is UTC


def test_an_unknown_urgency_is_invalid() -> None:
    with pytest.raises(RuleViolation) as raised:
        handling_due_at(cst(2026, 9, 30, 10, 0), "WHENEVER", NATIONAL)

    assert (raised.value.code, raised.value.field) == (ErrorCode.INVALID, ("urgency",))


def test_a_working_day_deadline_into_a_year_without_its_schedule_is_provisional() -> None:
    # 2027-01-01 is a Friday and (almost certainly) New Year's Day: without the 2027 notice loaded, the count
    # can only skip weekends, and says so.
    due = handling_due(cst(2026, 12, 31, 10, 0), Deadline(5, DeadlineUnit.WORKING_DAYS))

    assert due.at == cst(2027, 1, 7, 23, 59, 59)
    assert due.provisional
    assert due.unknown_years == (2027,)


@pytest.mark.parametrize(
    ("_case", "deadline"),
    [("_case hours", Deadline(24, DeadlineUnit.HOURS)), ("_case calendar days", Deadline(7, DeadlineUnit.DAYS))],
)
def test_hour_and_calendar_day_deadlines_are_never_provisional(_case: str, deadline: Deadline) -> None:
    assert not handling_due(cst(2027, 1, 29, 10, 0), deadline).provisional


def test_a_working_day_deadline_inside_a_loaded_year_is_definitive() -> None:
    due = handling_due(cst(2026, 9, 30, 10, 0), Deadline(5, DeadlineUnit.WORKING_DAYS))

    assert not due.provisional
    assert due.at == cst(2026, 10, 13, 23, 59, 59)


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError):
        due_at(datetime(2026, 9, 30, 10, 0), Deadline(2, DeadlineUnit.HOURS))


def test_acknowledgement_limit_comes_from_the_pack() -> None:
    dispatched = cst(2026, 10, 8, 9, 0)
    limit = NATIONAL.acknowledge_hours

    assert acknowledge_by(dispatched, NATIONAL) == dispatched + timedelta(hours=limit)
    assert acknowledged_in_time(dispatched, dispatched + timedelta(hours=limit), limit)
    assert not acknowledged_in_time(dispatched, dispatched + timedelta(hours=limit, seconds=1), limit)
    assert not acknowledged_in_time(dispatched, None, limit)


@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
    amount=st.integers(min_value=1, max_value=20),
)
def test_a_working_day_deadline_ends_on_a_working_day_after_at_least_as_many_calendar_days(
    start: datetime, amount: int
) -> None:
    due = due_at(start, Deadline(amount, DeadlineUnit.WORKING_DAYS))
    local_due = due.astimezone(CST)

    assert is_working_day(local_due.date())
    assert (local_due.date() - start.astimezone(CST).date()).days >= amount
    assert due_at(start, Deadline(amount + 1, DeadlineUnit.WORKING_DAYS)) > due
