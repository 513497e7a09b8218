"""One-time codes for owner sign-up and invitation letters, as pure rules.

A code is six digits sent by SMS (or printed on a letter); only its digest is stored, keyed with the verification's
own random id so that a leaked table cannot be matched against the 10^6 possible codes in one pass. A code is
short-lived, single-use, and dies after a few wrong guesses (the guessing budget is what keeps 6 digits safe).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import ErrorCode, RuleViolation

class CodePurpose(StrEnum):
    SMS = "SMS"  # sent to the registry's phone after name + ID number + phone matched
    LETTER = "LETTER"  # printed on an invitation letter by staff


SMS_CODE_LIFETIME = timedelta(minutes=10)
# An invitation letter travels by post and waits in a letterbox.
LETTER_CODE_LIFETIME = timedelta(days=30)
MAX_WRONG_GUESSES = 5
PHONE = re.compile(r"^1\d{10}$")


def new_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def new_letter_code() -> str:
    """Printed on paper and typed by hand: 10 characters without look-alikes (no 0/O, 1/I/L)."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def new_verification_id() -> str:
    return secrets.token_urlsafe(18)


def digest(verification_id: str, code: str) -> str:
    return hmac.new(verification_id.encode(), code.strip().upper().encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class StoredCode:
    verification_id: str
    code_hash: str
    expires_at: datetime
    used_at: datetime | None
    wrong_guesses: int


def check_code(stored: StoredCode | None, code: str, *, now: datetime) -> None:
    """Raises unless `code` opens `stored` now. Unknown, used and wrong codes are alike (INVALID_CODE)."""
    if stored is None or stored.used_at is not None:
        raise RuleViolation(ErrorCode.INVALID_CODE, "验证码无效", "code", en="Invalid code")
    if stored.wrong_guesses >= MAX_WRONG_GUESSES:
        raise RuleViolation(ErrorCode.THROTTLED, "错误次数过多，请重新获取验证码", "code",
                            en="Too many wrong codes; request a new one")
    if now >= stored.expires_at:
        raise RuleViolation(ErrorCode.CODE_EXPIRED, "验证码已过期", "code", en="The code has expired")
    if not hmac.compare_digest(stored.code_hash, digest(stored.verification_id, code)):
        raise RuleViolation(ErrorCode.INVALID_CODE, "验证码无效", "code", en="Invalid code")


@dataclass(frozen=True)
class VerificationRequest:
    compound_id: int
    name: str
    id_number: str
    phone: str


def normalise(request: VerificationRequest) -> VerificationRequest:
    """Malformed input is INVALID (it tells nothing about the registry); well-formed input is compared exactly."""
    name, id_number, phone = request.name.strip(), request.id_number.strip().upper(), request.phone.strip()
    if not name or len(name) > 60:
        raise RuleViolation(ErrorCode.INVALID, "姓名须为1至60个字符", "name", en="Name must be 1-60 characters")
    if not re.fullmatch(r"\d{17}[\dX]|\d{15}", id_number):
        raise RuleViolation(ErrorCode.INVALID, "身份证号码格式不正确", "idNumber", en="Malformed ID number")
    if not PHONE.fullmatch(phone):
        raise RuleViolation(ErrorCode.INVALID, "手机号码格式不正确", "phone", en="Malformed mobile number")
    return VerificationRequest(request.compound_id, name, id_number, phone)


def matches(request: VerificationRequest, *, name: str, id_number: str | None, phone: str) -> bool:
    """The registry's owner matches only on all three: name, ID number and the recorded phone."""
    return (id_number is not None and hmac.compare_digest(id_number.upper(), request.id_number)
            and name.strip() == request.name and phone.strip() == request.phone)
