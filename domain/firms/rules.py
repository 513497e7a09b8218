"""Pure rules of firms and service contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from domain.errors import ErrorCode, RuleViolation


class PartyOrganisation(StrEnum):
    NONE = "NONE"
    OWN_BRANCH = "OWN_BRANCH"
    JOINT_BRANCH = "JOINT_BRANCH"


class ContractStatus(StrEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    TERMINATED = "TERMINATED"


def normalise_credit_code(code: str, *, field: str = "creditCode") -> str:
    """统一社会信用代码 (GB 32100-2015): 18 characters with a check character, validated by python-stdnum."""
    try:
        return str(uscc.validate(code))
    except ValidationError:
        raise RuleViolation(
            ErrorCode.INVALID_CREDIT_CODE,
            f"统一社会信用代码无效：{code}",
            field,
            en=f"Invalid unified social credit code: {code}",
        ) from None


def validate_staff_counts(staff_count: int, party_member_staff_count: int) -> None:
    if staff_count < 0:
        raise RuleViolation(ErrorCode.INVALID, "员工人数不能为负", "staffCount", en="staffCount must not be negative")
    if not 0 <= party_member_staff_count <= staff_count:
        raise RuleViolation(
            ErrorCode.INVALID,
            "党员员工人数须在0与员工人数之间",
            "partyMemberStaffCount",
            en="partyMemberStaffCount must lie between 0 and staffCount",
        )


MAX_FEE = Decimal("1000000")


def validate_contract_terms(starts_on: date, ends_on: date, fee: Decimal | str) -> Decimal:
    if ends_on <= starts_on:
        raise RuleViolation(ErrorCode.INVALID, "合同结束日期须晚于开始日期", "endsOn", en="endsOn must follow startsOn")
    try:
        amount = Decimal(str(fee))
    except InvalidOperation:
        amount = Decimal(-1)
    # The column holds 8 digits with 2 decimals: a larger fee is a typing error, not a database fault.
    if not amount.is_finite() or not 0 <= amount < MAX_FEE or amount != amount.quantize(Decimal("0.01")):
        raise RuleViolation(
            ErrorCode.INVALID,
            "物业费单价须为非负金额，最多两位小数",
            "feePerSquareMetre",
            en="feePerSquareMetre must be a non-negative amount with at most two decimals",
        )
    return amount


def periods_overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Contract periods are [startsOn, endsOn]: a contract ending on the day another starts overlaps it."""
    return a_start <= b_end and b_start <= a_end


def contract_status(*, starts_on: date, ends_on: date, terminated_on: date | None, today: date) -> ContractStatus:
    if terminated_on is not None and terminated_on <= today:
        return ContractStatus.TERMINATED
    if today < starts_on:
        return ContractStatus.PENDING
    if today > ends_on:
        return ContractStatus.EXPIRED
    return ContractStatus.ACTIVE


def make_credit_code(serial: int, *, region: str = "370100") -> str:
    """A well-formed USCC for demo and test data: 91 (enterprise), region, serial, and the computed check."""
    body = f"91{region}{serial % 10**9:09d}"
    return body + uscc.calc_check_digit(body)
