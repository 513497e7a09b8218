from datetime import UTC, date, datetime

import pytest

from domain.calendar import CalendarPeriod, local_date


@pytest.mark.parametrize("_case, instant, day", [
    ("_case morning in Beijing is the same day", datetime(2026, 11, 21, 1, 0, tzinfo=UTC), date(2026, 11, 21)),
    ("_case 15:59 UTC is still 23:59 in Beijing", datetime(2026, 11, 21, 15, 59, tzinfo=UTC), date(2026, 11, 21)),
    ("_case 16:00 UTC is already tomorrow in Beijing", datetime(2026, 11, 21, 16, 0, tzinfo=UTC), date(2026, 11, 22)),
])
def test_rules_count_days_in_beijing(_case, instant, day):
    assert local_date(instant) == day


@pytest.mark.parametrize("_case, start, period, last_day", [
    ("_case 民法典 art. 202: one year ends on the corresponding date", date(2027, 6, 1), "1y", date(2028, 6, 1)),
    ("_case 1 March to 1 March, across 29 February", date(2027, 3, 1), "1y", date(2028, 3, 1)),
    ("_case 29 February has no corresponding date: the last day of February", date(2028, 2, 29), "1y",
     date(2029, 2, 28)),
    ("_case months: 31 August + 6 months is the last day of February", date(2026, 8, 31), "6m", date(2027, 2, 28)),
    ("_case days: art. 201, the event day is not counted", date(2026, 6, 1), "30d", date(2026, 7, 1)),
])
def test_periods_end_as_the_civil_code_counts_them(_case, start, period, last_day):
    assert CalendarPeriod.parse(period).last_day_from(start) == last_day


def test_a_period_counted_backwards_lands_on_the_corresponding_date():
    assert CalendarPeriod.parse("6m").first_day_before(date(2027, 8, 31)) == date(2027, 2, 28)
    assert CalendarPeriod.parse("90d").first_day_before(date(2027, 3, 31)) == date(2026, 12, 31)


@pytest.mark.parametrize("text", ["", "1", "0y", "-1m", "1w", "y"])
def test_a_malformed_period_is_refused(text):
    with pytest.raises(ValueError):
        CalendarPeriod.parse(text)
