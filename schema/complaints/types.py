"""GraphQL types of the complaint loop (接诉即办): the order, its timeline, return visits, complainant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import strawberry

from domain.accounts.rules import Viewer
from domain.bodies import models as bm
from domain.complaints import models as cm
from domain.complaints import queries
from domain.complaints.access import may_read_complainant, mask_name, mask_phone
from domain.complaints.access import capabilities as order_capabilities
from domain.complaints.deadlines import acknowledge_by
from domain.complaints.orders import firm_body_id_of, order_place
from domain.complaints.rules import Action, Channel, Kind, Satisfaction, Status, Urgency
from domain.complaints.rules import available_actions as table_actions
from domain.complaints.rules import blocked_actions, is_overdue
from domain.geography import models as gm
from domain.rulepacks import RulePack, rule_pack
from schema.bodies.types import Body, present_bodies
from schema.core.context import Info
from schema.core.relay import Node, encode_id
from schema.geography.types import Compound

ComplaintStatus = strawberry.enum(Status, name="ComplaintStatus", description=(
    "工单状态 — RECEIVED 已登记, ACCEPTED 已受理, REJECTED 不予受理, DISPATCHED 已派单, IN_PROGRESS 办理中（已签收）, "
    "RESOLVED 已办结, RETURN_VISITED 已回访, CLOSED 已销号"))
ComplaintAction = strawberry.enum(Action, name="ComplaintAction", description=(
    "工单操作 — one move of the lifecycle table (FILE 登记, ACCEPT 受理, REJECT 不予受理, DISPATCH 派单, ACKNOWLEDGE 签收, "
    "EXTEND 延期, ESCALATE 吹哨, REPORT 协办报告, RESOLVE 办结, RETURN_VISIT 回访满意, REOPEN 回访不满意重办, "
    "LOG_UNREACHED_VISIT 回访未联系上, CLOSE 销号, CLOSE_UNREACHED 多次未联系上销号, MERGE 并入原单, ABSORB_DUPLICATE 合并重复单)"))
ComplaintChannel = strawberry.enum(Channel, name="ComplaintChannel", description=(
    "诉求渠道 — 12345 热线, 全省物业投诉举报受理转办系统, 信访, 社情民意, 网格巡查, 来访, 网上, 会议"))
ComplaintKind = strawberry.enum(Kind, name="ComplaintKind", description="诉求类型 — 咨询、求助、投诉、举报、建议 (接诉即办条例 art. 2)")
ComplaintUrgency = strawberry.enum(Urgency, name="ComplaintUrgency", description="紧急程度 — 紧急、水电气热、一般、复杂")
SatisfactionLevel = strawberry.enum(Satisfaction, name="Satisfaction", description="满意度 — 满意、基本满意、不满意")


async def viewer_firm_body_id(info: Info) -> int | None:
    viewer = info.context.viewer

    async def load(keys: Sequence[Viewer]) -> list[int | None]:
        return [await firm_body_id_of(v) for v in keys]

    return await info.context.loaders.custom("complaints.firm_body", load).load(viewer)


@strawberry.type(description="诉求人 — the complainant; name and phone masked unless the viewer may read them")
class Complainant:
    name: str
    phone: str | None


@strawberry.type(description="操作人")
class TimelineActor:
    username: str | None


@strawberry.type(description="工单时间线事件 — one append-only step: who, when, from/to status, note")
class TimelineEvent:
    at: datetime
    action: ComplaintAction
    from_status: ComplaintStatus | None
    to_status: ComplaintStatus
    note: str
    due_at: datetime | None = strawberry.field(description="此后的办理时限")
    rule_pack: str | None = strawberry.field(description="所用规则包及版本")
    actor: TimelineActor | None


@strawberry.type(description="回访记录 — a return visit")
class ReturnVisit:
    at: datetime
    reached: bool = strawberry.field(description="是否联系上诉求人")
    solved: bool | None = strawberry.field(description="问题是否解决")
    satisfaction: SatisfactionLevel | None
    note: str


@strawberry.type(description="诉求工单 — one complaint order of the 接诉即办 loop")
class Complaint(Node):
    number: str = strawberry.field(description="工单编号 — e.g. TS-2026-000123")
    title: str
    description: str
    status: ComplaintStatus
    channel: ComplaintChannel
    kind: ComplaintKind
    category: str = strawberry.field(description="问题类别")
    urgency: ComplaintUrgency
    external_ref: str | None = strawberry.field(description="外部编号 — e.g. the 12345 order number")
    received_at: datetime = strawberry.field(description="受理时间（可早于登记时间）")
    dispatched_at: datetime | None
    acknowledged_at: datetime | None = strawberry.field(description="签收时间")
    due_at: datetime | None = strawberry.field(description="办理时限 — from the urgency and the street's rule pack")
    resolved_at: datetime | None
    closed_at: datetime | None = strawberry.field(description="销号时间")
    resolution: str | None = strawberry.field(description="办理结果")
    reject_reason: str | None = strawberry.field(description="不予受理理由")
    redirect_to: str | None = strawberry.field(description="应向何处反映")
    reopen_count: int = strawberry.field(description="重办次数 — times an unsatisfied visit sent it back")
    escalation_level: int = strawberry.field(description="吹哨次数 — escalation steps taken")
    rule_pack: str | None = strawberry.field(description="所用规则包及版本")
    _row: strawberry.Private[cm.Complaint]

    @classmethod
    def from_model(cls, row: cm.Complaint) -> Complaint:
        return cls(
            id=encode_id("Complaint", row.id), number=row.number, title=row.title, description=row.description,
            status=row.status, channel=row.channel, kind=row.kind, category=row.category, urgency=row.urgency,
            external_ref=row.external_ref, received_at=row.received_at, dispatched_at=row.dispatched_at,
            acknowledged_at=row.acknowledged_at, due_at=row.due_at, resolved_at=row.resolved_at,
            closed_at=row.closed_at, resolution=row.resolution, reject_reason=row.reject_reason,
            redirect_to=row.redirect_to, reopen_count=row.reopen_count, escalation_level=row.escalation_level,
            rule_pack=row.rule_pack, _row=row,
        )

    @strawberry.field(description="是否超期 — being handled past its deadline")
    def is_overdue(self, info: Info) -> bool:
        return is_overdue(self._row.status, self._row.due_at, info.context.now)

    async def _capabilities(self, info: Info) -> Any:
        row = self._row
        ids = [i for i in (row.handler_id, row.accountable_id) if i is not None]
        bodies = {b.id: b for b in await info.context.loaders.by_id(bm.Body).load_many(ids) if b is not None}
        place = order_place(row, bodies)
        return place, order_capabilities(info.context.viewer, place, firm_body_id=await viewer_firm_body_id(info))

    async def _pack(self, info: Info) -> RulePack:
        street = await info.context.loaders.by_id(gm.Street).load(self._row.street_id)
        pack = rule_pack(street.rule_pack if street else "national") or rule_pack("national")
        assert pack is not None
        return pack

    @strawberry.field(description="签收时限 — by when the handler must sign for a dispatched order (rule pack hours)")
    async def acknowledge_by(self, info: Info) -> datetime | None:
        if self._row.status is not Status.DISPATCHED or self._row.dispatched_at is None:
            return None
        return acknowledge_by(self._row.dispatched_at, (await self._pack(info)).complaints)

    @strawberry.field(description="当前用户可执行的操作 — moves of the lifecycle table open to this viewer now")
    async def available_actions(self, info: Info) -> list[ComplaintAction]:
        _, held = await self._capabilities(info)
        pack = await self._pack(info)
        blocked = blocked_actions(unreached_attempts=self._row.unreached_attempts, rules=pack.complaints)
        return table_actions(self._row.status, held, blocked=blocked)  # type: ignore[return-value]

    @strawberry.field(description="诉求人 — masked unless the viewer may read personal data or handles the order")
    async def complainant(self, info: Info) -> Complainant:
        place, _ = await self._capabilities(info)
        row = self._row
        if may_read_complainant(info.context.viewer, place, firm_body_id=await viewer_firm_body_id(info)):
            return Complainant(name=row.complainant_name, phone=row.complainant_phone)
        return Complainant(name=mask_name(row.complainant_name),
                           phone=mask_phone(row.complainant_phone) if row.complainant_phone else None)

    @strawberry.field(description="所在小区")
    async def compound(self, info: Info) -> Compound:
        return Compound.from_model(await info.context.loaders.by_id(gm.Compound).load(self._row.compound_id))

    @strawberry.field(description="承办单位 — the unit handling it now")
    async def handler(self, info: Info) -> Body | None:
        return await _present_body(info, self._row.handler_id)

    @strawberry.field(description="首接负责单位 — the first receiving unit, accountable throughout")
    async def accountable(self, info: Info) -> Body | None:
        return await _present_body(info, self._row.accountable_id)

    @strawberry.field(description="时间线 — every step, oldest first; append-only")
    async def timeline(self, info: Info) -> list[TimelineEvent]:
        rows = await info.context.loaders.children(cm.ComplaintEvent, "complaint_id").load(self._row.id)
        return [
            TimelineEvent(at=e.at, action=e.action, from_status=e.from_status, to_status=e.to_status, note=e.note,
                          due_at=e.due_at, rule_pack=e.rule_pack, actor=TimelineActor(username=e.actor_username))
            for e in rows
        ]

    @strawberry.field(description="回访记录")
    async def return_visits(self, info: Info) -> list[ReturnVisit]:
        rows = await info.context.loaders.children(cm.ReturnVisitRecord, "complaint_id").load(self._row.id)
        return [ReturnVisit(at=v.at, reached=v.reached, solved=v.solved, satisfaction=v.satisfaction, note=v.note)
                for v in rows]

    @strawberry.field(description="疑似重复 — open orders of the same compound and category")
    async def possible_duplicates(self, info: Info) -> list[Complaint]:
        rows = await info.context.loaders.custom("complaints.duplicates", queries.possible_duplicates).load(
            self._row.id)
        return [Complaint.from_model(r) for r in rows]

    @strawberry.field(description="并入的原工单 — the original this duplicate was merged into")
    async def merged_into(self, info: Info) -> Complaint | None:
        if self._row.merged_into_id is None:
            return None
        row = await info.context.loaders.by_id(cm.Complaint).load(self._row.merged_into_id)
        return Complaint.from_model(row) if row else None


async def _present_body(info: Info, body_id: int | None) -> Any:
    if body_id is None:
        return None
    return (await present_bodies(info, [body_id]))[0]


@strawberry.type(description="工单考核指标 — complaint KPIs over a scope and period; a rate is null when nothing counts")
class ComplaintKpis:
    received: int = strawberry.field(description="受理量")
    closed: int = strawberry.field(description="销号量")
    response_rate: float | None = strawberry.field(description="响应率 — signed for within the pack's limit ÷ dispatched")
    resolution_rate: float | None = strawberry.field(description="解决率 — visits with the problem solved ÷ visits")
    satisfaction_rate: float | None = strawberry.field(description="满意率 — (satisfied + basically) ÷ visits")
    on_time_rate: float | None = strawberry.field(description="按期办结率 — resolved by dueAt ÷ resolved")
    reopen_rate: float | None = strawberry.field(description="重办率 — orders reopened at least once ÷ orders visited")
    mean_hours_to_close: float | None = strawberry.field(description="平均办结时长（小时）— receipt to closure")
    p90_hours_to_close: float | None = strawberry.field(description="90 分位办结时长（小时）")
    weighted_score: float | None = strawberry.field(
        description="综合得分 — response, resolution and satisfaction rates weighted by the rule pack (e.g. 30/35/35)")
    rule_pack: str = strawberry.field(description="所用规则包及版本 — whose weights the score uses")
