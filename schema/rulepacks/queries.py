"""The rule packs, readable by anyone."""

from __future__ import annotations

import strawberry

from domain.rulepacks import rule_pack, rule_packs
from schema.rulepacks.types import RulePack


@strawberry.type
class Query:
    @strawberry.field(description="规则包列表")
    def rule_packs(self) -> list[RulePack]:
        return [RulePack.from_value(p) for p in rule_packs().values()]

    @strawberry.field(description="规则包")
    def rule_pack(self, name: str) -> RulePack | None:
        pack = rule_pack(name)
        return RulePack.from_value(pack) if pack else None
