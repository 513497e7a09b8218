"""Use cases recording what a credit evaluation counts: inspections and credit events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal


from domain.accounts.rules import Scope, Viewer, require_jurisdiction
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.inspections import (
    Finding,
    check_rectification_deadline,
    check_rectified_on,
    total_deduction,
)
from domain.evaluation.models import CreditEvent, Inspection, InspectionFinding
from domain.evaluation.scoring import CreditEventKind, check_credit_event, default_valid_until
from domain.firms.models import PropertyFirm
from domain.geography.models import Compound
from domain.geography.service import compound_scope, not_found
from domain.rulepacks import rule_pack
from domain.rulepacks.model import CreditScheme
from domain.transaction import atomic
from domain.calendar import local_date
from domain.firms.coverage import coverage_in_force


async def firm_serves(firm_id: int, compound_id: int, day: date) -> bool:
    return await coverage_in_force(day).filter(firm_id_copy=firm_id, compound_id=compound_id).exists()


async def record_inspection(
    *,
    actor: Viewer,
    firm_id: int,
    compound_id: int,
    inspected_on: date,
    findings: Sequence[Finding],
    rectify_by: date | None,
    now: datetime,
) -> Inspection:
    total = total_deduction(findings)
    check_rectification_deadline(inspected_on, rectify_by, total)
    if inspected_on > local_date(now):
        raise RuleViolation(ErrorCode.INVALID, "检查日期不能晚于今天", "inspectedOn", en="inspectedOn is in the future")
    async with atomic():
        firm = await PropertyFirm.get_or_none(id=firm_id)
        if firm is None:
            raise not_found("物业企业", "firmId")
        compound = await Compound.get_or_none(id=compound_id)
        if compound is None:
            raise not_found("小区", "compoundId")
        require_jurisdiction(actor, compound_scope(compound))
        if not await firm_serves(firm.id, compound.id, inspected_on):
            raise RuleViolation(
                ErrorCode.INVALID,
                f"{firm.name}在检查日未服务小区“{compound.name}”",
                "compoundId",
                en="The firm did not serve this compound on the inspection day",
            )
        inspection = await Inspection.create(
            firm_id=firm.id, compound_id=compound.id, inspected_on=inspected_on, total_deduction=total,
            rectify_by=rectify_by, recorded_by_id=actor.account_id, created_at=now,
        )
        await InspectionFinding.bulk_create([
            InspectionFinding(inspection_id=inspection.id, position=i, item=f.item.strip(), deduction=f.deduction,
                              note=f.note)
            for i, f in enumerate(findings)
        ])
        await record_event(
            actor=actor, action="recordInspection", entity_type="Inspection", entity_id=inspection.id,
            summary=f"检查 {firm.name} @ {compound.name}（{inspected_on}），扣 {total} 分", now=now,
        )
    return inspection


async def record_rectification(*, actor: Viewer, inspection_id: int, rectified_on: date, now: datetime) -> Inspection:
    async with atomic():
        inspection = await Inspection.get_or_none(id=inspection_id).select_related("compound")
        if inspection is None:
            raise not_found("检查记录", "inspectionId")
        require_jurisdiction(actor, compound_scope(inspection.compound))
        check_rectified_on(inspection.inspected_on, rectified_on, local_date(now))
        updated = await Inspection.filter(id=inspection.id, rectified_on__isnull=True).update(rectified_on=rectified_on)
        if not updated:
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION, "该检查已记录整改", "inspectionId", en="Already rectified"
            )
        inspection.rectified_on = rectified_on
        await record_event(
            actor=actor, action="recordRectification", entity_type="Inspection", entity_id=inspection.id,
            summary=f"检查 #{inspection.id} 于 {rectified_on} 整改完毕", now=now,
        )
    return inspection


async def record_credit_event(
    *,
    actor: Viewer,
    firm_id: int,
    kind: CreditEventKind,
    points: Decimal,
    reason: str,
    occurred_on: date,
    valid_until: date | None,
    now: datetime,
) -> CreditEvent:
    reason = reason.strip()
    if not reason:
        raise RuleViolation(ErrorCode.INVALID, "须说明事由", "reason", en="A reason is required")
    if occurred_on > local_date(now):
        raise RuleViolation(ErrorCode.INVALID, "发生日期不能晚于今天", "occurredOn", en="occurredOn is in the future")
    require_jurisdiction(actor, Scope())
    async with atomic():
        firm = await PropertyFirm.get_or_none(id=firm_id)
        if firm is None:
            raise not_found("物业企业", "firmId")
        if valid_until is None:
            valid_until = default_valid_until(occurred_on, _firm_wide_scheme())
        check_credit_event(kind, points, occurred_on, valid_until)
        event = await CreditEvent.create(
            firm_id=firm.id, kind=kind, points=points, reason=reason, occurred_on=occurred_on,
            valid_until=valid_until, recorded_by_id=actor.account_id, created_at=now,
        )
        await record_event(
            actor=actor, action="recordCreditEvent", entity_type="CreditEvent", entity_id=event.id,
            summary=f"{firm.name} {kind.value} {points} 分：{reason}（{occurred_on}–{valid_until}）", now=now,
        )
    return event


def _firm_wide_scheme() -> CreditScheme:
    # A credit event belongs to the firm, not to a street: its default validity is the national scheme's.
    pack = rule_pack("national")
    assert pack is not None
    return pack.credit
