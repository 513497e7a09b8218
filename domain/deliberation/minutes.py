"""Minutes: who signs, when they may be published, and the tamper-evident chain of publications.

Each publication stores SHA-256 over a canonical serialisation of its content together with the previous
publication's hash in the same compound (or community) chain; rewriting any link breaks every later one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

from domain.calendar import CalendarPeriod, local_date
from domain.errors import ErrorCode, RuleViolation



def plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetimes have no canonical form")
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        raise ValueError("floats are not exact: use Decimal")
    if value is None or isinstance(value, (str, int, bool)):
        return value
    raise ValueError(f"no canonical form for {type(value).__name__}")


def canonical(content: Mapping[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8, Decimals as strings, instants in UTC: the same content, the same bytes."""
    return json.dumps(plain(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash(content: Mapping[str, Any], previous_hash: str | None) -> str:
    envelope = {"content": content, "previousHash": previous_hash}
    return hashlib.sha256(canonical(envelope)).hexdigest()


@dataclass(frozen=True)
class PublishedLink:
    """One publication as stored: its content, its hash and the hash it chains to."""

    id: str
    content: Mapping[str, Any]
    content_hash: str
    previous_hash: str | None


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    length: int
    head_hash: str | None
    broken_at: str | None
    explanation: str


def verify_chain(links: Sequence[PublishedLink]) -> ChainCheck:
    """Links in publication order, oldest first."""
    previous: str | None = None
    for position, link in enumerate(links, start=1):
        if link.previous_hash != previous:
            return ChainCheck(False, len(links), None, link.id, f"第 {position} 份纪要所记前一哈希与链不符")
        if content_hash(link.content, link.previous_hash) != link.content_hash:
            return ChainCheck(False, len(links), None, link.id, f"第 {position} 份纪要内容与其哈希不符，疑被篡改")
        previous = link.content_hash
    return ChainCheck(True, len(links), previous, None, f"共 {len(links)} 份已发布纪要，哈希链完整")


# --- signatures ----------------------------------------------------------------------------------------------


def required_signatures(rule: str, present: int) -> int:
    """The rule pack's minutes_signatures: every attending member, or a majority of them."""
    if rule == "ALL_PRESENT":
        return present
    if rule == "MAJORITY_PRESENT":
        return present // 2 + 1 if present else 0
    raise ValueError(f"unknown signature rule {rule!r}")


def check_signer(person_id: str, *, attendees: Collection[str], signed: Collection[str]) -> None:
    if person_id not in attendees:
        raise RuleViolation(ErrorCode.NOT_AN_ATTENDEE, "只有出席会议的成员可以签署纪要", "personId", en="Not an attendee")
    if person_id in signed:
        raise RuleViolation(ErrorCode.ALREADY_SIGNED, "已签署过本版本纪要", "personId", en="Already signed")


def check_publishable(*, attendees: Collection[str], signed: Collection[str], rule: str) -> None:
    present = set(attendees)
    have = len(present & set(signed))
    need = required_signatures(rule, len(present))
    if have < need:
        raise RuleViolation(
            ErrorCode.MISSING_SIGNATURES,
            f"出席 {len(present)} 人，须 {need} 人签署，现有 {have} 人签署",
            "minutesId",
            en=f"{need} of {len(present)} attendees must sign; {have} have",
        )


def challenge_deadline(published_at: datetime, period: CalendarPeriod) -> date:
    """区分所有权解释 art. 12: owners may ask a court to revoke a decision within one year of learning of it;
    publication is when they learn of it. The last day, counted from the China-time publication day under
    民法典 arts. 201–202 (published 2027-06-01: last day 2028-06-01)."""
    return period.last_day_from(local_date(published_at))
