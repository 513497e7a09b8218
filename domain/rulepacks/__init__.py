"""Rule packs as data: national, beijing, shanghai, shandong (see packs/)."""

from domain.rulepacks.loader import (
    RulePackError,
    parse_rule_pack,
    released_packs,
    resolve_reference,
    rule_pack,
    rule_packs,
)
from domain.rulepacks.model import Deadline, DeadlineUnit, DayCounting, RulePack, Threshold

__all__ = [
    "DayCounting",
    "Deadline",
    "DeadlineUnit",
    "RulePack",
    "RulePackError",
    "Threshold",
    "parse_rule_pack",
    "released_packs",
    "resolve_reference",
    "rule_pack",
    "rule_packs",
]
