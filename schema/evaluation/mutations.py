"""Inspections, rectifications, credit events, evaluation runs and their publication."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.accounts.rules import CENTRE, Role
from domain.evaluation import runs, service
from domain.evaluation.inspections import Finding
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import mutation
from schema.core.relay import decode_id
from schema.core.scalars import Period
from schema.evaluation.types import CreditEvent, CreditEventKind, Evaluation, Inspection, Publication


INSPECTORS = CENTRE | {Role.STREET_STAFF}


@strawberry.input(description="检查项")
class FindingInput:
    item: str
    deduction: Decimal
    note: str = ""


@strawberry.input
class RecordInspectionInput:
    firm_id: strawberry.ID
    compound_id: strawberry.ID
    inspected_on: date
    findings: list[FindingInput]
    rectify_by: date | None = None


@strawberry.type
class RecordInspectionPayload:
    inspection: Inspection | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RecordRectificationInput:
    inspection_id: strawberry.ID
    rectified_on: date


@strawberry.type
class RecordRectificationPayload:
    inspection: Inspection | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RecordCreditEventInput:
    firm_id: strawberry.ID
    kind: CreditEventKind
    points: Decimal
    reason: str
    occurred_on: date
    valid_until: date | None = strawberry.field(default=None, description="默认：发生日期起一年（规则包）")


@strawberry.type
class RecordCreditEventPayload:
    credit_event: CreditEvent | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RunCreditEvaluationInput:
    period: Period
    street_id: strawberry.ID


@strawberry.type
class RunCreditEvaluationPayload:
    evaluation: Evaluation | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class PublishEvaluationInput:
    evaluation_id: strawberry.ID


@strawberry.type
class PublishEvaluationPayload:
    publication: Publication | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @mutation(INSPECTORS, "记录日常检查 — record an inspection with itemised deductions")
    async def record_inspection(self, info: Info, input: RecordInspectionInput) -> RecordInspectionPayload:
        row = await service.record_inspection(
            actor=info.context.viewer, firm_id=decode_id(input.firm_id, "PropertyFirm", "firmId"),
            compound_id=decode_id(input.compound_id, "Compound", "compoundId"), inspected_on=input.inspected_on,
            findings=[Finding(f.item, f.deduction, f.note) for f in input.findings], rectify_by=input.rectify_by,
            now=info.context.now)
        return RecordInspectionPayload(inspection=Inspection.from_model(row))

    @mutation(INSPECTORS, "记录整改完成 — record that an inspection's findings were rectified")
    async def record_rectification(self, info: Info, input: RecordRectificationInput) -> RecordRectificationPayload:
        row = await service.record_rectification(
            actor=info.context.viewer, inspection_id=decode_id(input.inspection_id, "Inspection", "inspectionId"),
            rectified_on=input.rectified_on, now=info.context.now)
        return RecordRectificationPayload(inspection=Inspection.from_model(row))

    @mutation(CENTRE, "记录信用信息 — record a good, bad or severe credit event")
    async def record_credit_event(self, info: Info, input: RecordCreditEventInput) -> RecordCreditEventPayload:
        row = await service.record_credit_event(
            actor=info.context.viewer, firm_id=decode_id(input.firm_id, "PropertyFirm", "firmId"), kind=input.kind,
            points=input.points, reason=input.reason, occurred_on=input.occurred_on, valid_until=input.valid_until,
            now=info.context.now)
        return RecordCreditEventPayload(credit_event=CreditEvent.from_model(row))

    @mutation(CENTRE, "信用评价 — score a street's firms for a period; re-runnable until published")
    async def run_credit_evaluation(self, info: Info, input: RunCreditEvaluationInput) -> RunCreditEvaluationPayload:
        row = await runs.run_credit_evaluation(
            actor=info.context.viewer, period=input.period, street_id=decode_id(input.street_id, "Street", "streetId"),
            now=info.context.now)
        return RunCreditEvaluationPayload(evaluation=Evaluation.from_model(row))

    @mutation(CENTRE, "公示 — freeze an evaluation and publish its red/black list, hash-chained")
    async def publish_evaluation(self, info: Info, input: PublishEvaluationInput) -> PublishEvaluationPayload:
        row = await runs.publish_evaluation(
            actor=info.context.viewer, evaluation_id=decode_id(input.evaluation_id, "Evaluation", "evaluationId"),
            now=info.context.now)
        return PublishEvaluationPayload(publication=Publication.from_model(row))
