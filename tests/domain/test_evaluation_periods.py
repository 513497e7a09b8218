from datetime import date

import pytest

from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.periods import PeriodKind, parse_period, scheme_period


@pytest.mark.parametrize(
    ("_case", "text", "kind", "start", "end"),
    [
        ("first quarter", "2026-Q1", PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 4, 1)),
        ("third quarter", "2026-Q3", PeriodKind.QUARTER, date(2026, 7, 1), date(2026, 10, 1)),
        ("fourth quarter ends at new year", "2026-Q4", PeriodKind.QUARTER, date(2026, 10, 1), date(2027, 1, 1)),
        ("first half", "2026-H1", PeriodKind.HALF_YEAR, date(2026, 1, 1), date(2026, 7, 1)),
        ("second half", "2026-H2", PeriodKind.HALF_YEAR, date(2026, 7, 1), date(2027, 1, 1)),
        ("whole year", "2026", PeriodKind.YEAR, date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_a_period_string_is_a_half_open_date_range(_case, text, kind, start, end):
    period = parse_period(text)

    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert str(period) == text


@pytest.mark.parametrize(
    ("_case", "text"),
    [
        ("fifth quarter", "2026-Q5"),
        ("quarter zero", "2026-Q0"),
        ("third half", "2026-H3"),
        ("lower-case letter", "2026-q3"),
        ("month instead of quarter", "2026-07"),
        ("two-digit year", "26-Q3"),
        ("empty", ""),
        ("trailing text", "2026-Q3x"),
    ],
)
def test_a_malformed_period_is_invalid(_case, text):
    with pytest.raises(RuleViolation) as raised:
        parse_period(text)

    assert raised.value.code is ErrorCode.INVALID
    assert raised.value.field == ("period",)


def test_a_period_contains_its_first_day_but_not_the_day_after_it_ends():
    period = parse_period("2026-Q3")

    assert period.contains(date(2026, 7, 1))
    assert period.contains(date(2026, 9, 30))
    assert not period.contains(date(2026, 10, 1))
    assert not period.contains(date(2026, 6, 30))


@pytest.mark.parametrize(
    ("_case", "text", "scheme_kind", "fits"),
    [
        ("quarter for a quarterly scheme", "2026-Q3", "QUARTER", True),
        ("half-year for a quarterly scheme", "2026-H1", "QUARTER", False),
        ("half-year for Beijing's half-yearly scheme", "2026-H1", "HALF_YEAR", True),
        ("quarter for a half-yearly scheme", "2026-Q1", "HALF_YEAR", False),
        ("year for a yearly scheme", "2026", "YEAR", True),
        ("year for a quarterly scheme", "2026", "QUARTER", False),
    ],
)
def test_a_period_must_be_the_kind_the_scheme_evaluates(_case, text, scheme_kind, fits):
    if fits:
        assert str(scheme_period(text, scheme_kind)) == text
    else:
        with pytest.raises(RuleViolation) as raised:
            scheme_period(text, scheme_kind)
        assert raised.value.code is ErrorCode.INVALID


@pytest.mark.parametrize("text", ["0000", "1899", "3000", "9999", "9999-Q4"])
def test_a_year_outside_the_governance_range_is_invalid_not_a_fault(text):
    with pytest.raises(RuleViolation) as refused:
        parse_period(text)

    assert refused.value.code == ErrorCode.INVALID and refused.value.field == ("period",)
