"""Inspections, credit events, credit evaluation, the public red/black list (红黑榜) and the governance overview."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.evaluation import models as em
from domain.evaluation import standing as standings
from domain.evaluation.inspections import RectificationStatus as RectificationStatusEnum
from domain.evaluation.inspections import rectification_status
from domain.evaluation.models import EvaluationStatus as EvaluationStatusEnum
from domain.evaluation.recommendation import Proximity as ProximityEnum
from domain.evaluation.scoring import CreditEventKind as CreditEventKindEnum
from domain.evaluation.scoring import Listing as ListingEnum
from domain.firms import models as fm
from domain.geography import models as gm
from schema.core.context import Info
from schema.core.relay import Node, encode_id, register_node
from schema.core.scalars import Period
from schema.geography.types import Compound, ManagementMode, Street

if TYPE_CHECKING:
    from schema.firms.types import PropertyFirm

LazyFirm = Annotated["PropertyFirm", strawberry.lazy("schema.firms.types")]

CreditEventKind = strawberry.enum(
    CreditEventKindEnum, description="信用信息类别 — GOOD 良好信息, BAD 不良信息, SEVERE 严重失信信息"
)
Listing = strawberry.enum(ListingEnum, description="红黑榜 — RED 红榜, BLACK 黑榜, NONE 未上榜")
EvaluationStatus = strawberry.enum(EvaluationStatusEnum, description="评价状态 — DRAFT 可重新评价, PUBLISHED 已公示")
RectificationStatus = strawberry.enum(
    RectificationStatusEnum, description="整改状态 — not required, pending (整改中), rectified (已整改), overdue (逾期)"
)
Proximity = strawberry.enum(ProximityEnum, description="距离 — the firm already serves the same community / street")


async def _firm(info: Info, pk: int) -> PropertyFirm:
    from schema.firms.types import PropertyFirm

    return PropertyFirm.from_model(await info.context.loaders.by_id(fm.PropertyFirm).load(pk))


async def firm_standing(info: Info, firm_pk: int) -> standings.Standing:
    """The firm's current grade and listing, batched over every firm of the request."""

    async def load(ids: Sequence[int]) -> list[standings.Standing]:
        found = await standings.current_standings(list(ids))
        return [found[i] for i in ids]

    return await info.context.loaders.custom("firm_standing", load).load(firm_pk)


@strawberry.type(description="检查项 — one finding of an inspection")
class InspectionFinding:
    item: str = strawberry.field(description="检查项目")
    deduction: Decimal = strawberry.field(description="扣分")
    note: str


@strawberry.type(description="日常检查 — inspection of a firm at a compound")
class Inspection(Node):
    inspected_on: date = strawberry.field(description="检查日期")
    total_deduction: Decimal = strawberry.field(description="合计扣分")
    rectify_by: date | None = strawberry.field(description="整改期限")
    rectified_on: date | None = strawberry.field(description="整改完成日期")
    _pk: strawberry.Private[int]
    _firm_id: strawberry.Private[int]
    _compound_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: em.Inspection) -> Inspection:
        return cls(id=encode_id("Inspection", row.id), inspected_on=row.inspected_on,
                   total_deduction=row.total_deduction, rectify_by=row.rectify_by, rectified_on=row.rectified_on,
                   _pk=row.id, _firm_id=row.firm_id, _compound_id=row.compound_id)

    @strawberry.field(description="整改状态 — today's state of the rectification")
    def rectification_status(self, info: Info) -> RectificationStatus:
        return rectification_status(self.rectify_by, self.rectified_on, info.context.today)

    @strawberry.field(description="检查项")
    async def findings(self, info: Info) -> list[InspectionFinding]:
        rows = await info.context.loaders.children(em.InspectionFinding, "inspection_id", order_by="position").load(
            self._pk
        )
        return [InspectionFinding(item=r.item, deduction=r.deduction, note=r.note) for r in rows]

    @strawberry.field(description="被检查企业")
    async def firm(self, info: Info) -> LazyFirm:
        return await _firm(info, self._firm_id)

    @strawberry.field(description="检查小区")
    async def compound(self, info: Info) -> Compound:
        return Compound.from_model(await info.context.loaders.by_id(gm.Compound).load(self._compound_id))


@strawberry.type(description="信用信息 — a credit event of a firm, counted while valid")
class CreditEvent(Node):
    kind: CreditEventKind
    points: Decimal = strawberry.field(description="分值")
    reason: str = strawberry.field(description="事由")
    occurred_on: date = strawberry.field(description="发生日期")
    valid_until: date = strawberry.field(description="有效期至（含）")
    _firm_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: em.CreditEvent) -> CreditEvent:
        return cls(id=encode_id("CreditEvent", row.id), kind=row.kind, points=row.points, reason=row.reason,
                   occurred_on=row.occurred_on, valid_until=row.valid_until, _firm_id=row.firm_id)

    @strawberry.field(description="企业")
    async def firm(self, info: Info) -> LazyFirm:
        return await _firm(info, self._firm_id)


@strawberry.type(description="评分项 — one component of a score: basic 基础分, good 加分, bad 扣分, and the parts of bad")
class ScoreComponent:
    name: str
    score: Decimal


@strawberry.type(description="工单数据 — the firm's work orders in the period (接诉即办)")
class ComplaintFigures:
    dispatched: int = strawberry.field(description="派单数")
    resolved_on_time: int = strawberry.field(description="按时办结数")
    unsatisfied_return_visits: int = strawberry.field(description="回访不满意数")
    on_time_rate: Decimal = strawberry.field(description="按时办结率（无派单为 1）")


@strawberry.type(description="评价结果 — one firm's score, grade and listing, with the records that produced them")
class EvaluationResult:
    score: Decimal = strawberry.field(description="信用分")
    grade: str = strawberry.field(description="信用等级")
    listing: Listing
    reasons: list[str] = strawberry.field(description="上榜理由")
    components: list[ScoreComponent]
    complaint_figures: ComplaintFigures
    has_party_organisation: bool = strawberry.field(description="有党组织")
    households: int = strawberry.field(description="服务户数")
    _firm_id: strawberry.Private[int]
    _inspection_ids: strawberry.Private[list[int]]
    _event_ids: strawberry.Private[list[int]]

    @classmethod
    def from_model(cls, r: em.EvaluationResult) -> EvaluationResult:
        names = (("basic", r.basic), ("good", r.good), ("bad", r.bad),
                 ("inspectionDeductions", r.inspection_deductions), ("eventDeductions", r.event_deductions),
                 ("returnVisitDeductions", r.return_visit_deductions))
        return cls(
            score=r.score, grade=r.grade, listing=r.listing, reasons=list(r.reasons),
            components=[ScoreComponent(name=name, score=value) for name, value in names],
            complaint_figures=ComplaintFigures(
                dispatched=r.orders_dispatched, resolved_on_time=r.orders_resolved_on_time,
                unsatisfied_return_visits=r.unsatisfied_return_visits, on_time_rate=r.on_time_rate),
            has_party_organisation=r.has_party_organisation, households=r.households, _firm_id=r.firm_id,
            _inspection_ids=list(r.inspection_ids), _event_ids=list(r.credit_event_ids),
        )

    @strawberry.field(description="企业")
    async def firm(self, info: Info) -> LazyFirm:
        return await _firm(info, self._firm_id)

    @strawberry.field(description="计入的检查 — inspections counted")
    async def inspections(self, info: Info) -> list[Inspection]:
        rows = await info.context.loaders.by_id(em.Inspection).load_many(self._inspection_ids)
        return [Inspection.from_model(r) for r in rows if r is not None]

    @strawberry.field(description="计入的信用信息 — credit events counted")
    async def credit_events(self, info: Info) -> list[CreditEvent]:
        rows = await info.context.loaders.by_id(em.CreditEvent).load_many(self._event_ids)
        return [CreditEvent.from_model(r) for r in rows if r is not None]


@strawberry.type(description="公示 — a frozen evaluation, hash-chained to the street's previous publication")
class Publication(Node):
    period: Period
    published_at: datetime = strawberry.field(description="公示时间")
    content_hash: str = strawberry.field(description="内容哈希 (SHA-256 of the canonical list)")
    previous_hash: str | None = strawberry.field(description="上一公示的哈希 — null for the street's first")
    sequence: int = strawberry.field(description="在本街道哈希链中的序号")
    _street_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: em.Publication) -> Publication:
        return cls(id=encode_id("Publication", row.id), period=row.period, published_at=row.published_at,
                   content_hash=row.content_hash, previous_hash=row.previous_hash, sequence=row.sequence,
                   _street_id=row.street_id)

    @strawberry.field(description="街道")
    async def street(self, info: Info) -> Street:
        return Street.from_model(await info.context.loaders.by_id(gm.Street).load(self._street_id))


@strawberry.type(description="信用评价 — a street's firms scored for one period under its rule pack's scheme")
class Evaluation(Node):
    period: Period
    scheme: str = strawberry.field(description="评价方案 — the rule pack used, e.g. national@2026.1")
    status: EvaluationStatus
    run_at: datetime = strawberry.field(description="最近评价时间")
    _pk: strawberry.Private[int]
    _street_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: em.Evaluation) -> Evaluation:
        return cls(id=encode_id("Evaluation", row.id), period=row.period, scheme=row.scheme, status=row.status,
                   run_at=row.run_at, _pk=row.id, _street_id=row.street_id)

    @strawberry.field(description="评价结果 — best score first")
    async def results(self, info: Info) -> list[EvaluationResult]:
        rows = await info.context.loaders.children(em.EvaluationResult, "evaluation_id").load(self._pk)
        return [EvaluationResult.from_model(r) for r in sorted(rows, key=lambda r: (-r.score, r.firm_id))]

    @strawberry.field(description="街道")
    async def street(self, info: Info) -> Street:
        return Street.from_model(await info.context.loaders.by_id(gm.Street).load(self._street_id))

    @strawberry.field(description="公示 — null until published")
    async def publication(self, info: Info) -> Publication | None:
        rows = await info.context.loaders.children(em.Publication, "evaluation_id").load(self._pk)
        return Publication.from_model(rows[0]) if rows else None


@strawberry.type(description="上榜企业 — the firm as published")
class ListedFirm:
    name: str
    credit_code: str = strawberry.field(description="统一社会信用代码")


@strawberry.type(description="榜单条目 — one line of a published list")
class ListEntry:
    firm: ListedFirm
    score: Decimal
    grade: str
    reasons: list[str] = strawberry.field(description="上榜理由")


@strawberry.type(description="红黑榜 — the published red and black lists of a period (信息公示), readable by anyone")
class RedBlackList:
    period: Period
    published_at: datetime = strawberry.field(description="公示时间 — the latest, when several streets published")
    content_hash: str = strawberry.field(
        description="内容哈希 — the publication's SHA-256; over several streets, SHA-256 of their sorted hashes "
        "joined by newlines"
    )
    red: list[ListEntry] = strawberry.field(description="红榜")
    black: list[ListEntry] = strawberry.field(description="黑榜")
    publications: list[Publication] = strawberry.field(description="各街道的公示 — each street's publication")


@strawberry.type(description="哈希链校验 — recomputation of a street's publications from the stored rows")
class PublicationChainVerification:
    valid: bool
    checked: int = strawberry.field(description="校验的公示数")
    broken_period: Period | None = strawberry.field(description="首个不符的公示期间")
    problem: str | None
    head_hash: str | None = strawberry.field(description="最新哈希 — compare with the one published")


@strawberry.type(description="管理模式统计")
class ManagementModeCount:
    mode: ManagementMode
    count: int


@strawberry.type(description="治理概况 — governance figures of a scope (党建引领物业治理)")
class GovernanceOverview:
    compound_count: int = strawberry.field(description="小区数")
    compounds_by_management_mode: list[ManagementModeCount] = strawberry.field(description="按管理模式")
    committee_formation_rate: Decimal | None = strawberry.field(description="业委会（物管会）组建率, 0–1")
    party_member_share_in_committees: Decimal | None = strawberry.field(description="业委会党员占比, 0–1")
    red_property_count: int = strawberry.field(description="红色物业数")
    firm_party_organisation_coverage: Decimal | None = strawberry.field(description="物业企业党组织覆盖率, 0–1")
    cross_appointment_count: int = strawberry.field(description="交叉任职人数")


@strawberry.type(description="推荐企业 — a red-listed firm offered to a compound without a firm (虚拟物业超市)")
class FirmRecommendation:
    grade: str
    score: Decimal
    proximity: Proximity
    _firm_id: strawberry.Private[int]

    @strawberry.field(description="企业")
    async def firm(self, info: Info) -> LazyFirm:
        return await _firm(info, self._firm_id)


register_node("Inspection", em.Inspection, Inspection.from_model)
register_node("CreditEvent", em.CreditEvent, CreditEvent.from_model)
register_node("Evaluation", em.Evaluation, Evaluation.from_model)
register_node("Publication", em.Publication, Publication.from_model)
