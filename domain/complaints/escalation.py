"""吹哨报到: the escalation ladder firm → community → street → district centre.

The first receiving unit stays accountable (首接负责); escalating hands the order to a higher unit as handler
and counts one step, however many rungs it skips.
"""

from __future__ import annotations

from enum import IntEnum

from domain.errors import ErrorCode, RuleViolation


class Rung(IntEnum):
    FIRM = 1
    COMMUNITY = 2
    STREET = 3
    DISTRICT = 4


def next_rung(current: Rung) -> Rung | None:
    """Where an overdue order goes when escalated automatically; None at the top of the ladder."""
    return Rung(current + 1) if current < Rung.DISTRICT else None


def check_escalation(*, current: Rung | None, target: Rung | None, reason: str) -> None:
    if not reason.strip():
        raise RuleViolation(ErrorCode.INVALID, "吹哨须说明理由", "reason", en="An escalation needs a reason")
    if target is None:
        raise RuleViolation(
            ErrorCode.INVALID,
            "只能向社区、街道或区级接诉中心吹哨",
            "toBodyId",
            en="Escalate to a community, a street or the district centre",
        )
    if current is not None and target <= current:
        raise RuleViolation(
            ErrorCode.INVALID,
            "只能向更高一级的单位吹哨",
            "toBodyId",
            en="An order can only be escalated to a higher level",
        )
