from datetime import date

import pytest

from domain.disclosures.rules import (
    DisclosureKind,
    Publisher,
    check_period,
    check_publisher,
    content_hash,
    missed_quarter,
    previous_quarter,
)
from domain.errors import ErrorCode, RuleViolation


@pytest.mark.parametrize(("_case", "period", "first", "last"), [
    ("a year", "2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("a month", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
    ("december", "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
    ("third quarter", "2026Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("fourth quarter", "2026Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ("second half", "2026H2", date(2026, 7, 1), date(2026, 12, 31)),
])
def test_periods_name_their_days(_case, period, first, last):
    assert check_period(period) == (first, last)


@pytest.mark.parametrize("period", ["2026Q5", "26Q1", "2026-13", "Q1", ""])
def test_a_malformed_period_is_invalid(period):
    with pytest.raises(RuleViolation) as refused:
        check_period(period)

    assert refused.value.code == ErrorCode.INVALID


@pytest.mark.parametrize(("_case", "kind", "capacities", "publisher"), [
    ("the firm posts its fees", DisclosureKind.FEE_STANDARDS, {Publisher.FIRM}, Publisher.FIRM),
    ("the committee posts its decisions", DisclosureKind.COMMITTEE_DECISIONS, {Publisher.COMMITTEE},
     Publisher.COMMITTEE),
    ("staff post the credit standing", DisclosureKind.CREDIT_STANDING, {Publisher.STAFF}, Publisher.STAFF),
    ("a firm acting also as staff publishes as the firm", DisclosureKind.FEE_STANDARDS,
     {Publisher.STAFF, Publisher.FIRM}, Publisher.FIRM),
])
def test_each_kind_has_its_publishers(_case, kind, capacities, publisher):
    assert check_publisher(kind, capacities) == publisher


@pytest.mark.parametrize(("_case", "kind", "capacities"), [
    ("the firm cannot post committee decisions", DisclosureKind.COMMITTEE_DECISIONS, {Publisher.FIRM}),
    ("the committee cannot post the credit standing", DisclosureKind.CREDIT_STANDING, {Publisher.COMMITTEE}),
    ("an owner cannot post anything", DisclosureKind.FEE_STANDARDS, set()),
])
def test_others_are_forbidden(_case, kind, capacities):
    with pytest.raises(RuleViolation) as refused:
        check_publisher(kind, capacities)

    assert refused.value.code == ErrorCode.FORBIDDEN


def test_the_previous_quarter_wraps_the_year():
    assert previous_quarter(date(2026, 1, 20)) == "2025Q4"
    assert previous_quarter(date(2026, 7, 1)) == "2026Q2"


@pytest.mark.parametrize(("_case", "today", "covered", "missed"), [
    ("inside the grace days", date(2026, 10, 15), [], None),
    ("after the grace days with nothing posted", date(2026, 10, 16), [], "2026Q3"),
    ("the quarter posted", date(2026, 10, 16), ["2026Q3"], None),
    ("a half-year statement covers it", date(2026, 10, 16), ["2026H2"], None),
    ("only one month posted", date(2026, 10, 16), ["2026-09"], "2026Q3"),
    ("an older quarter posted", date(2026, 10, 16), ["2026Q2"], "2026Q3"),
])
def test_a_quarterly_statement_is_missed_only_after_the_grace_days(_case, today, covered, missed):
    assert missed_quarter(today=today, covered=covered, grace_days=15) == missed


def test_the_content_hash_changes_with_any_attachment_hash():
    base = {"title": "2026Q3 维修资金", "attachments": [{"sha256": "a" * 64}]}

    assert content_hash(base) != content_hash({**base, "attachments": [{"sha256": "b" * 64}]})
    assert content_hash(base) == content_hash(dict(reversed(list(base.items()))))
