"""Root fields of the evaluation area: record, run, publish; the public red/black list and its chain."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable
from datetime import date
from decimal import Decimal
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from domain.accounts.rules import CENTRE, STAFF, Role
from domain.errors import RuleViolation
from domain.evaluation import models as em
from domain.evaluation import overview as overviews
from domain.evaluation import runs, service
from domain.evaluation.inspections import Finding
from domain.evaluation.periods import parse_period
from domain.evaluation.queries import may_see_evaluation, visible_inspections
from domain.evaluation.scoring import Listing as ListingEnum
from domain.evaluation.snapshots import published_lists, verify_street_chain
from domain.evaluation.standing import recommended_firms
from domain.geography import models as gm
from schema.core.context import Info
from schema.core.errors import UserError
from schema.evaluation.types import (
    CreditEvent,
    CreditEventKind,
    Evaluation,
    FirmRecommendation,
    GovernanceOverview,
    Inspection,
    ListedFirm,
    ListEntry,
    ManagementModeCount,
    Publication,
    PublicationChainVerification,
    RedBlackList,
)
from schema.core.permissions import Allow, mutation
from schema.core.relay import Connection, PageArgs, decode_id, filter_id, paginate, parse_id, query_id
from schema.core.scalars import Period

INSPECTORS = CENTRE | {Role.STREET_STAFF}
T = TypeVar("T")


async def _as_query(call: Awaitable[T]) -> T:
    """Queries have no payload: a domain rejection is a GraphQL error carrying its code."""
    try:
        return await call
    except RuleViolation as violation:
        raise GraphQLError(violation.message, extensions={"code": violation.code.value}) from None


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


def _entry(e: em.PublicationEntry) -> ListEntry:
    return ListEntry(firm=ListedFirm(name=e.name, credit_code=e.credit_code), score=e.score, grade=e.grade,
                     reasons=list(e.reasons))


def _listed(publications: list[em.Publication], listing: ListingEnum) -> list[ListEntry]:
    entries = [e for p in publications for e in p.entries if e.listing == listing]
    return [_entry(e) for e in sorted(entries, key=lambda e: (-e.score, e.credit_code))]


@strawberry.type
class Query:
    @strawberry.field(description="红黑榜 — the published lists of a period; public, no login needed")
    async def red_black_list(
        self, period: Period, street_id: strawberry.ID | None = None
    ) -> RedBlackList | None:
        street = filter_id(street_id, "Street") if street_id is not None else None
        publications = await published_lists(parse_period(period), street)
        if not publications:
            return None
        hashes = sorted(p.content_hash for p in publications)
        digest = hashes[0] if len(hashes) == 1 else hashlib.sha256("\n".join(hashes).encode()).hexdigest()
        return RedBlackList(
            period=period, published_at=max(p.published_at for p in publications), content_hash=digest,
            red=_listed(publications, ListingEnum.RED), black=_listed(publications, ListingEnum.BLACK),
            publications=[Publication.from_model(p) for p in publications],
        )

    @strawberry.field(description="公示历史 — a street's publications, newest first; public")
    async def publication_history(
        self, street_id: strawberry.ID, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[Publication]:
        query = em.Publication.filter(street_id=filter_id(street_id, "Street"))
        return await paginate(query, PageArgs(first, after, last, before), Publication.from_model, descending=True)

    @strawberry.field(description="校验公示哈希链 — recompute a street's publications; public")
    async def verify_publication_chain(self, street_id: strawberry.ID) -> PublicationChainVerification:
        result = await verify_street_chain(filter_id(street_id, "Street"))
        return PublicationChainVerification(
            valid=result.check.valid, checked=result.check.checked, broken_period=result.check.broken_period,
            problem=result.check.problem, head_hash=result.head_hash)

    @strawberry.field(description="信用评价", extensions=[Allow(STAFF)])
    async def evaluation(self, info: Info, id: strawberry.ID) -> Evaluation | None:
        pk = query_id(id, "Evaluation")
        row = await info.context.loaders.by_id(em.Evaluation).load(pk) if pk is not None else None
        return Evaluation.from_model(row) if row and may_see_evaluation(info.context.viewer, row) else None

    @strawberry.field(description="日常检查 — inspections, newest first", extensions=[Allow(STAFF)])
    async def inspections(
        self, info: Info, firm_id: strawberry.ID | None = None, compound_id: strawberry.ID | None = None,
        first: int | None = None, after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[Inspection]:
        query = visible_inspections(
            info.context.viewer,
            firm_id=filter_id(firm_id, "PropertyFirm") if firm_id is not None else None,
            compound_id=filter_id(compound_id, "Compound") if compound_id is not None else None,
        )
        return await paginate(query, PageArgs(first, after, last, before), Inspection.from_model, descending=True)

    @strawberry.field(description="信用信息 — credit events of a firm, newest first", extensions=[Allow(STAFF)])
    async def credit_events(
        self, firm_id: strawberry.ID, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[CreditEvent]:
        query = em.CreditEvent.filter(firm_id=filter_id(firm_id, "PropertyFirm"))
        return await paginate(query, PageArgs(first, after, last, before), CreditEvent.from_model, descending=True)

    @strawberry.field(description="治理概况 — of a street or community (scopeId), or everything", extensions=[Allow(STAFF)])
    async def governance_overview(self, info: Info, scope_id: strawberry.ID | None = None) -> GovernanceOverview:
        parsed = parse_id(scope_id) if scope_id is not None else None
        if scope_id is not None and (parsed is None or parsed[0] not in ("Street", "Community")):
            raise GraphQLError(f"Not an ID of Street/Community: {scope_id}", extensions={"code": "INVALID"})
        figures = await _as_query(overviews.governance_overview(
            actor=info.context.viewer,
            street_id=parsed[1] if parsed and parsed[0] == "Street" else None,
            community_id=parsed[1] if parsed and parsed[0] == "Community" else None,
            today=info.context.today))
        return GovernanceOverview(
            compound_count=figures.compound_count,
            compounds_by_management_mode=[
                ManagementModeCount(mode=mode, count=count)
                for mode, count in figures.compounds_by_management_mode.items()
            ],
            committee_formation_rate=figures.committee_formation_rate,
            party_member_share_in_committees=figures.party_member_share_in_committees,
            red_property_count=figures.red_property_count,
            firm_party_organisation_coverage=figures.firm_party_organisation_coverage,
            cross_appointment_count=figures.cross_appointment_count,
        )

    @strawberry.field(description="虚拟物业超市 — red-listed firms for a compound without a firm, best first",
                      extensions=[Allow(STAFF)])
    async def firm_recommendations(self, info: Info, compound_id: strawberry.ID) -> list[FirmRecommendation]:
        pk = query_id(compound_id, "Compound")
        compound = await info.context.loaders.by_id(gm.Compound).load(pk) if pk is not None else None
        if compound is None:
            return []
        ranked = await recommended_firms(compound=compound, today=info.context.today)
        return [FirmRecommendation(grade=c.grade, score=c.score, proximity=c.proximity, _firm_id=c.firm_id)
                for c in ranked]
