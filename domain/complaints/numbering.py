"""Human-readable order numbers: TS-<year>-<sequence>, the sequence restarting every year (local time)."""

from __future__ import annotations

import re
from datetime import datetime

from domain.complaints.deadlines import LOCAL

PREFIX = "TS"
_PATTERN = re.compile(rf"^{PREFIX}-(\d{{4}})-(\d{{6,}})$")


def numbering_year(filed_at: datetime) -> int:
    return filed_at.astimezone(LOCAL).year


def complaint_number(year: int, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("sequences start at 1")
    return f"{PREFIX}-{year:04d}-{sequence:06d}"


def parse_complaint_number(number: str) -> tuple[int, int] | None:
    match = _PATTERN.match(number.strip().upper())
    return (int(match[1]), int(match[2])) if match else None
