"""Scalars shared by the areas. Decimal travels as a string ("89.50"); Period as "2026-Q3" / "2026-H1" / "2026"."""

from __future__ import annotations

import re
from typing import Any, NewType

import strawberry

_PERIOD = re.compile(r"^\d{4}(-Q[1-4]|-H[12])?$")

Period = NewType("Period", str)


def _parse_period(value: Any) -> str:
    if not isinstance(value, str) or not _PERIOD.match(value):
        raise ValueError(f"Period must look like 2026-Q3, 2026-H1 or 2026, got {value!r}")
    return value


# Given to StrawberryConfig(scalar_map=...) where the schema is built.
SCALAR_MAP = {
    Period: strawberry.scalar(
        name="Period",
        description="考核期 — a period: 2026-Q3 (quarter), 2026-H1 (half-year) or 2026 (year)",
        serialize=str,
        parse_value=_parse_period,
    )
}
