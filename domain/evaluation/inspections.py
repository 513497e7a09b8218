"""Inspections (日常检查): itemised findings with deductions, and the follow-up of their rectification (整改)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.scoring import ZERO, two_places


class RectificationStatus(StrEnum):
    NOT_REQUIRED = "NOT_REQUIRED"  # 无需整改
    PENDING = "PENDING"  # 整改中
    RECTIFIED = "RECTIFIED"  # 已整改
    OVERDUE = "OVERDUE"  # 逾期未整改


@dataclass(frozen=True)
class Finding:
    item: str
    deduction: Decimal
    note: str = ""


def total_deduction(findings: Sequence[Finding]) -> Decimal:
    """Checks the findings and returns the sum of their deductions (two decimals)."""
    for index, finding in enumerate(findings):
        if not finding.item.strip():
            raise RuleViolation(
                ErrorCode.INVALID, "检查项不能为空", ("findings", str(index), "item"), en="a finding needs an item"
            )
        deduction = finding.deduction
        if not deduction.is_finite() or deduction < 0 or deduction != deduction.quantize(Decimal("0.01")):
            raise RuleViolation(
                ErrorCode.INVALID,
                "扣分须为非负数且最多两位小数",
                ("findings", str(index), "deduction"),
                en="a deduction must be non-negative with at most two decimals",
            )
    return two_places(sum((f.deduction for f in findings), ZERO))


def check_rectification_deadline(inspected_on: date, rectify_by: date | None, total: Decimal) -> None:
    if rectify_by is not None and rectify_by < inspected_on:
        raise RuleViolation(
            ErrorCode.INVALID, "整改期限不能早于检查日期", "rectifyBy", en="rectifyBy must not be before inspectedOn"
        )
    if rectify_by is None and total > 0:
        raise RuleViolation(
            ErrorCode.INVALID,
            "有扣分的检查须规定整改期限",
            "rectifyBy",
            en="an inspection with deductions needs a rectification deadline",
        )


def check_rectified_on(inspected_on: date, rectified_on: date, today: date) -> None:
    if not inspected_on <= rectified_on <= today:
        raise RuleViolation(
            ErrorCode.INVALID,
            "整改日期须在检查日期之后且不晚于今天",
            "rectifiedOn",
            en="rectifiedOn must lie between the inspection and today",
        )


def rectification_status(rectify_by: date | None, rectified_on: date | None, today: date) -> RectificationStatus:
    if rectified_on is not None:
        return RectificationStatus.RECTIFIED
    if rectify_by is None:
        return RectificationStatus.NOT_REQUIRED
    return RectificationStatus.OVERDUE if today > rectify_by else RectificationStatus.PENDING
