"""虚拟物业超市 — the firms a compound without a firm (NONE management mode) is offered: red-listed firms of its
street, best grade first, then the nearest, then the highest score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum

from domain.rulepacks.model import CreditScheme


class Proximity(IntEnum):
    """How near a firm already works, for want of coordinates: the fewer boundaries crossed, the nearer."""

    SAME_COMMUNITY = 0  # serves a compound in the compound's own community
    SAME_STREET = 1  # serves a compound elsewhere in the street


@dataclass(frozen=True)
class Candidate:
    firm_id: int
    name: str
    grade: str
    score: Decimal
    proximity: Proximity


def grade_rank(grade: str, scheme: CreditScheme) -> int:
    order = [band.grade for band in scheme.grades]
    return order.index(grade) if grade in order else len(order)


def rank_candidates(candidates: Sequence[Candidate], scheme: CreditScheme) -> list[Candidate]:
    return sorted(
        candidates, key=lambda c: (grade_rank(c.grade, scheme), c.proximity, -c.score, c.name, c.firm_id)
    )
