from datetime import date
from decimal import Decimal

import pytest

from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.inspections import (
    Finding,
    RectificationStatus,
    check_rectification_deadline,
    check_rectified_on,
    rectification_status,
    total_deduction,
)

D = Decimal


def test_an_inspections_deduction_is_the_sum_of_its_findings():
    findings = [Finding("绿化养护", D("1.5")), Finding("消防通道堵塞", D("3")), Finding("保洁", D("0"))]

    assert total_deduction(findings) == D("4.50")


def test_an_inspection_without_findings_deducts_nothing():
    assert total_deduction([]) == D("0.00")


@pytest.mark.parametrize(
    ("_case", "finding", "field"),
    [
        ("negative deduction", Finding("保洁", D("-1")), ("findings", "1", "deduction")),
        ("three decimals", Finding("保洁", D("0.125")), ("findings", "1", "deduction")),
        ("blank item", Finding("  ", D("1")), ("findings", "1", "item")),
    ],
)
def test_an_impossible_finding_is_invalid_and_named_by_position(_case, finding, field):
    with pytest.raises(RuleViolation) as raised:
        total_deduction([Finding("绿化", D("1")), finding])

    assert (raised.value.code, raised.value.field) == (ErrorCode.INVALID, field)


@pytest.mark.parametrize(
    ("_case", "rectify_by", "total", "ok"),
    [
        ("deadline after the inspection", date(2026, 8, 20), D("2"), True),
        ("deadline on the inspection day", date(2026, 8, 15), D("2"), True),
        ("deadline before the inspection", date(2026, 8, 14), D("2"), False),
        ("no deadline for a clean inspection", None, D("0"), True),
        ("no deadline despite deductions", None, D("2"), False),
    ],
)
def test_a_rectification_deadline_follows_the_inspection(_case, rectify_by, total, ok):
    if ok:
        check_rectification_deadline(date(2026, 8, 15), rectify_by, total)
    else:
        with pytest.raises(RuleViolation) as raised:
            check_rectification_deadline(date(2026, 8, 15), rectify_by, total)
        assert raised.value.field == ("rectifyBy",)


@pytest.mark.parametrize(
    ("_case", "rectify_by", "rectified_on", "today", "status"),
    [
        ("nothing to rectify", None, None, date(2026, 9, 1), RectificationStatus.NOT_REQUIRED),
        ("before the deadline", date(2026, 8, 20), None, date(2026, 8, 19), RectificationStatus.PENDING),
        ("on the deadline day", date(2026, 8, 20), None, date(2026, 8, 20), RectificationStatus.PENDING),
        ("the day after the deadline", date(2026, 8, 20), None, date(2026, 8, 21), RectificationStatus.OVERDUE),
        ("rectified in time", date(2026, 8, 20), date(2026, 8, 18), date(2026, 9, 1), RectificationStatus.RECTIFIED),
    ],
)
def test_rectification_is_pending_until_the_deadline_and_overdue_after_it(
    _case, rectify_by, rectified_on, today, status
):
    assert rectification_status(rectify_by, rectified_on, today) is status


def test_a_rectification_cannot_be_dated_before_the_inspection_or_in_the_future():
    with pytest.raises(RuleViolation):
        check_rectified_on(date(2026, 8, 15), date(2026, 8, 14), date(2026, 9, 1))
    with pytest.raises(RuleViolation):
        check_rectified_on(date(2026, 8, 15), date(2026, 9, 2), date(2026, 9, 1))
