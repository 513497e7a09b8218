"""Pure rules of the structure area: enums, validation and masking of personal data."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from domain.errors import ErrorCode, RuleViolation


class ManagementMode(StrEnum):
    PROFESSIONAL_FIRM = "PROFESSIONAL_FIRM"
    COMMUNITY_CUSTODIAL = "COMMUNITY_CUSTODIAL"
    SELF_MANAGED = "SELF_MANAGED"
    NONE = "NONE"


class UnitKind(StrEnum):
    DWELLING = "DWELLING"
    SHOP = "SHOP"
    PARKING = "PARKING"


class AreaSource(StrEnum):
    """Where a unit's area comes from; 区分所有权解释 art. 8 ranks them REGISTRY > SURVEY > CONTRACT."""

    REGISTRY = "REGISTRY"
    SURVEY = "SURVEY"
    CONTRACT = "CONTRACT"


# Mainland mobile numbers (11 digits, 1[3-9]x) and fixed lines with area code (e.g. 010-12345678, 0531-8888888).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_FIXED = re.compile(r"^0\d{2,3}-?\d{7,8}$")
MAX_AREA = Decimal("100000")


def normalise_phone(phone: str, *, field: str = "phone") -> str:
    cleaned = re.sub(r"[\s()]", "", phone or "")
    if cleaned.startswith("+86"):
        cleaned = cleaned[3:]
    if _MOBILE.match(cleaned) or _FIXED.match(cleaned):
        return cleaned
    raise RuleViolation(ErrorCode.INVALID, f"电话号码无效：{phone}", field, en=f"Invalid phone number: {phone}")


def normalise_id_number(id_number: str, *, field: str = "idNumber") -> str:
    """Resident identity card number (GB 11643) with its check character, validated by python-stdnum."""
    try:
        return str(ric.validate(id_number))
    except ValidationError:
        raise RuleViolation(
            ErrorCode.INVALID, "身份证号码无效", field, en="Invalid resident identity card number"
        ) from None


def mask_phone(phone: str) -> str:
    if len(phone) <= 7:
        return phone[:1] + "*" * (len(phone) - 1)
    return phone[:3] + "****" + phone[-4:]


def mask_id_number(id_number: str) -> str:
    return id_number[:6] + "********" + id_number[-4:]


def validate_area(value: Decimal | str, *, field: str = "area") -> Decimal:
    try:
        area = Decimal(str(value))
    except InvalidOperation:
        raise RuleViolation(ErrorCode.INVALID, "面积不是有效数字", field, en="Area is not a number") from None
    if not area.is_finite() or area <= 0 or area > MAX_AREA or area != area.quantize(Decimal("0.01")):
        raise RuleViolation(
            ErrorCode.INVALID,
            "面积须为大于零、最多两位小数的平方米数",
            field,
            en="Area must be positive square metres with at most two decimals",
        )
    return area


def required_text(value: str, *, field: str, label: str, max_length: int = 100) -> str:
    text = (value or "").strip()
    if not text or len(text) > max_length:
        raise RuleViolation(
            ErrorCode.INVALID,
            f"{label}不能为空且不超过{max_length}个字",
            field,
            en=f"{field} must be 1 to {max_length} characters",
        )
    return text


def check_consolidation(
    *, target: tuple[int, int, int | None], sources: list[tuple[int, int, int | None]]
) -> None:
    """合零为整、合小并大: small compounds join one management area of the same street.

    Each compound is given as (id, street_id, merged_into_id).
    """
    target_id, street_id, target_merged = target
    if not sources:
        raise RuleViolation(ErrorCode.INVALID, "须列出要合并的小区", "compoundIds", en="List the compounds to merge")
    ids = [s[0] for s in sources]
    if len(set(ids)) != len(ids) or target_id in ids:
        raise RuleViolation(ErrorCode.INVALID, "合并的小区须不重复且不含目标小区", "compoundIds",
                            en="Merged compounds must be distinct and exclude the target")
    if target_merged is not None:
        raise RuleViolation(ErrorCode.INVALID, "目标小区已并入其他管理区域", "intoCompoundId",
                            en="The target has itself been merged into another area")
    for compound_id, compound_street, merged_into in sources:
        if compound_street != street_id:
            raise RuleViolation(ErrorCode.INVALID, "只能合并同一街道的小区", "compoundIds",
                                en="Only compounds of the same street can be merged")
        if merged_into is not None:
            raise RuleViolation(ErrorCode.INVALID, f"小区 {compound_id} 已合并", "compoundIds",
                                en=f"Compound {compound_id} is already merged")
