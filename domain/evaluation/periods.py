"""Evaluation periods: `2026-Q3`, `2026-H1`, `2026` as half-open date ranges [start, end)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.errors import ErrorCode, RuleViolation


class PeriodKind(StrEnum):
    QUARTER = "QUARTER"
    HALF_YEAR = "HALF_YEAR"
    YEAR = "YEAR"


_MONTHS_PER_PART = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6, PeriodKind.YEAR: 12}
_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<part>[QH])(?P<index>\d))?$")
_KIND_BY_LETTER = {"Q": PeriodKind.QUARTER, "H": PeriodKind.HALF_YEAR}
# Years a governance period can fall in; beyond them a period is a typo (and 9999's end is past date's range).
MIN_YEAR, MAX_YEAR = 1900, 2999
_NAMES_ZH = {PeriodKind.QUARTER: "季度", PeriodKind.HALF_YEAR: "半年", PeriodKind.YEAR: "年度"}


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: PeriodKind
    index: int  # quarter 1-4, half 1-2, 1 for a year

    @property
    def start(self) -> date:
        return date(self.year, 1 + (self.index - 1) * _MONTHS_PER_PART[self.kind], 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        month = 1 + self.index * _MONTHS_PER_PART[self.kind]
        return date(self.year + 1, 1, 1) if month > 12 else date(self.year, month, 1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def __str__(self) -> str:
        if self.kind is PeriodKind.YEAR:
            return f"{self.year:04d}"
        letter = "Q" if self.kind is PeriodKind.QUARTER else "H"
        return f"{self.year:04d}-{letter}{self.index}"


def parse_period(text: str, *, field: str = "period") -> Period:
    match = _PATTERN.match(text.strip()) if isinstance(text, str) else None
    if match is None or not MIN_YEAR <= int(match["year"]) <= MAX_YEAR:
        raise RuleViolation(
            ErrorCode.INVALID,
            f"期间格式无效：{text!r}，应为 2026-Q3、2026-H1 或 2026",
            field,
            en=f"invalid period {text!r}: expected 2026-Q3, 2026-H1 or 2026",
        )
    year = int(match["year"])
    if match["part"] is None:
        return Period(year, PeriodKind.YEAR, 1)
    kind = _KIND_BY_LETTER[match["part"]]
    index = int(match["index"])
    if not 1 <= index <= 12 // _MONTHS_PER_PART[kind]:
        raise RuleViolation(
            ErrorCode.INVALID,
            f"期间无效：{text!r}",
            field,
            en=f"invalid period {text!r}: no such {kind.value.lower().replace('_', ' ')}",
        )
    return Period(year, kind, index)


def scheme_period(text: str, scheme_period_kind: str, *, field: str = "period") -> Period:
    """Parses a period and checks it is the kind the credit scheme evaluates (e.g. quarters for national)."""
    period = parse_period(text, field=field)
    expected = PeriodKind(scheme_period_kind)
    if period.kind is not expected:
        raise RuleViolation(
            ErrorCode.INVALID,
            f"该信用评价方案按{_NAMES_ZH[expected]}评价，不接受期间 {period}",
            field,
            en=f"this credit scheme evaluates by {expected.value.lower().replace('_', ' ')}, not {period}",
        )
    return period
