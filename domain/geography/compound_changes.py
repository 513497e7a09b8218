"""Changing a compound after registration: its particulars and flags, and consolidation (合零为整)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.accounts.rules import Viewer, require_jurisdiction
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Compound
from domain.geography.rules import ManagementMode, check_consolidation, required_text
from domain.geography.service import compound_scope, duplicate, not_found
from domain.transaction import atomic


@dataclass(frozen=True)
class CompoundChanges:
    """Only the fields given (not None) change."""

    name: str | None = None
    address: str | None = None
    management_mode: ManagementMode | None = None
    is_old_compound: bool | None = None
    is_standardised: bool | None = None
    is_red_property: bool | None = None


async def update_compound(*, actor: Viewer, compound_id: int, changes: CompoundChanges, now: datetime) -> Compound:
    values = {k: v for k, v in vars(changes).items() if v is not None}
    if "name" in values:
        values["name"] = required_text(values["name"], field="name", label="小区名称")
    if "address" in values and len(values["address"]) > 200:
        raise RuleViolation(ErrorCode.INVALID, "地址不超过200个字", "address", en="address is too long")
    if not values:
        raise RuleViolation(ErrorCode.INVALID, "没有要修改的内容", None, en="Nothing to change")
    async with atomic():
        compound = await Compound.select_for_update().get_or_none(id=compound_id)
        if compound is None:
            raise not_found("小区", "compoundId")
        require_jurisdiction(actor, compound_scope(compound))
        if "name" in values and values["name"] != compound.name and await Compound.exists(
            community_id=compound.community_id, name=values["name"]
        ):
            raise duplicate(f"小区“{values['name']}”已存在", "name", en=f"Compound {values['name']} exists")
        before = {k: getattr(compound, k) for k in values}
        await Compound.filter(id=compound.id).update(**values)
        await compound.refresh_from_db()
        summary = "；".join(f"{k}: {before[k]} → {v}" for k, v in values.items())
        await record_event(actor=actor, action="updateCompound", entity_type="Compound", entity_id=compound.id,
                           summary=f"{compound.name} 变更 {summary}", now=now)
    return compound


async def consolidate_compounds(
    *, actor: Viewer, into_compound_id: int, compound_ids: list[int], merged_on: date, now: datetime
) -> tuple[Compound, list[Compound]]:
    """The listed compounds join the target's management area; each keeps its row, units and history."""
    async with atomic():
        target = await Compound.select_for_update().get_or_none(id=into_compound_id)
        if target is None:
            raise not_found("小区", "intoCompoundId")
        sources = list(await Compound.filter(id__in=compound_ids).select_for_update().order_by("id"))
        if len(sources) != len(set(compound_ids)):
            raise not_found("小区", "compoundIds")
        for compound in (target, *sources):
            require_jurisdiction(actor, compound_scope(compound))
        check_consolidation(
            target=(target.id, target.street_id, target.merged_into_id),
            sources=[(c.id, c.street_id, c.merged_into_id) for c in sources],
        )
        # Conditional update: a concurrent consolidation of the same compound changes fewer rows and is refused.
        changed = await Compound.filter(id__in=compound_ids, merged_into_id__isnull=True).update(
            merged_into_id=target.id, merged_on=merged_on
        )
        if changed != len(sources):
            raise RuleViolation(ErrorCode.INVALID, "有小区已被合并", "compoundIds", en="A compound was merged meanwhile")
        for compound in sources:
            await compound.refresh_from_db()
        await record_event(
            actor=actor, action="consolidateCompounds", entity_type="Compound", entity_id=target.id,
            summary=f"{'、'.join(c.name for c in sources)} 并入 {target.name}（{merged_on}）", now=now,
        )
    return target, sources
