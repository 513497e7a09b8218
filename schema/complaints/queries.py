"""The complaint loop (接诉即办): one order, the ledger and the KPIs."""

from __future__ import annotations

from datetime import datetime, time

import strawberry
from graphql import GraphQLError

from domain.complaints import queries
from domain.complaints.deadlines import LOCAL
from domain.complaints.kpis import weighted_score
from domain.complaints.access import may_see
from domain.complaints.models import Complaint as ComplaintRow
from domain.errors import RuleViolation
from domain.evaluation.periods import parse_period
from schema.bodies.types import body_pk
from schema.complaints.inputs import ComplaintFilter
from schema.complaints.types import Complaint, ComplaintKpis, viewer_firm_body_id
from schema.core.context import Info
from schema.core.permissions import ANYONE_SIGNED_IN, Allow
from schema.core.relay import Connection, PageArgs, filter_id, paginate, parse_id, query_id, register_node
from schema.core.scalars import Period


async def ledger_filter(raw: ComplaintFilter | None) -> queries.LedgerFilter:
    if raw is None:
        return queries.LedgerFilter()
    handler_id = None
    if raw.handler_id is not None:
        try:
            handler_id = await body_pk(raw.handler_id, "handlerId")
        except RuleViolation:
            raise GraphQLError(f"Not an ID of a body: {raw.handler_id}", extensions={"code": "INVALID"}) from None
    return ledger_rows(raw, handler_id)


def ledger_rows(raw: ComplaintFilter, handler_id: int | None) -> queries.LedgerFilter:
    """The filter input as the domain's LedgerFilter, the handler already resolved to its Body row (shared with
    the compiled read path, api.compiled, which resolves it without a statement)."""
    return queries.LedgerFilter(
        statuses=tuple(raw.status or ()),
        compound_id=filter_id(raw.compound_id, "Compound") if raw.compound_id is not None else None,
        handler_id=handler_id, overdue=raw.overdue, channel=raw.channel,
        received_from=raw.received_from, received_to=raw.received_to, search=raw.search,
    )


async def complaint_ledger(info: Info, raw: ComplaintFilter | None, page: PageArgs, *,
                           compound_id: int | None = None) -> Connection[Complaint]:
    rows = await ledger_filter(raw)
    query = queries.ledger(info.context.viewer, await viewer_firm_body_id(info), rows, now=info.context.now)
    if compound_id is not None:
        query = query.filter(compound_id=compound_id)
    return await paginate(query, page, Complaint.from_model, descending=True)



async def kpi_scope(scope_id: strawberry.ID | None) -> queries.KpiScope:
    if scope_id is None:
        return queries.KpiScope()
    parsed = parse_id(scope_id)
    if parsed is None:
        raise GraphQLError(f"Malformed ID: {scope_id}", extensions={"code": "INVALID"})
    type_name, pk = parsed
    if type_name == "Street":
        return queries.KpiScope(street_id=pk)
    if type_name == "Community":
        return queries.KpiScope(community_id=pk)
    if type_name == "Compound":
        return queries.KpiScope(compound_id=pk)
    try:
        return queries.KpiScope(body_id=await body_pk(scope_id, "scopeId"))
    except RuleViolation:
        raise GraphQLError(f"Not a scope: {scope_id}", extensions={"code": "INVALID"}) from None


def kpi_window(period: str) -> tuple[datetime, datetime]:
    try:
        parsed = parse_period(period)
    except RuleViolation as violation:
        raise GraphQLError(violation.message_en, extensions={"code": "INVALID"}) from None
    return (datetime.combine(parsed.start, time(), tzinfo=LOCAL), datetime.combine(parsed.end, time(), tzinfo=LOCAL))


def _ratio(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]


async def _visible(info: Info, node: Complaint) -> bool:
    place, _ = await node._capabilities(info)
    return may_see(info.context.viewer, place, firm_body_id=await viewer_firm_body_id(info))


register_node("Complaint", ComplaintRow, Complaint.from_model, visible=_visible)


@strawberry.type
class Query:
    @strawberry.field(description="工单", extensions=[Allow(ANYONE_SIGNED_IN)])
    async def complaint(self, info: Info, id: strawberry.ID) -> Complaint | None:
        pk = query_id(id, "Complaint")
        row = await info.context.loaders.by_id(ComplaintRow).load(pk) if pk else None
        if row is None:
            return None
        node = Complaint.from_model(row)
        return node if await _visible(info, node) else None

    @strawberry.field(description="工单台账 — the ledger of orders this viewer may see, newest first",
                      extensions=[Allow(ANYONE_SIGNED_IN)])
    async def complaints(
        self, info: Info, filter: ComplaintFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[Complaint]:
        return await complaint_ledger(info, filter, PageArgs(first, after, last, before))

    @strawberry.field(description="工单考核指标 — over a street, community, compound, a handling unit, or all visible",
                      extensions=[Allow(ANYONE_SIGNED_IN)])
    async def complaint_kpis(self, info: Info, period: Period, scope_id: strawberry.ID | None = None) -> ComplaintKpis:
        start, end = kpi_window(period)
        scope = await kpi_scope(scope_id)
        result = await queries.complaint_kpis(
            viewer=info.context.viewer, firm_body_id=await viewer_firm_body_id(info), scope=scope, start=start, end=end)
        pack = await queries.scope_rule_pack(scope)
        return ComplaintKpis(
            received=result.received, closed=result.closed, response_rate=_ratio(result.response_rate),
            resolution_rate=_ratio(result.resolution_rate), satisfaction_rate=_ratio(result.satisfaction_rate),
            on_time_rate=_ratio(result.on_time_rate), reopen_rate=_ratio(result.reopen_rate),
            mean_hours_to_close=_ratio(result.mean_hours_to_close),
            p90_hours_to_close=_ratio(result.p90_hours_to_close),
            weighted_score=_ratio(weighted_score(result, pack.complaints.kpi_weights)), rule_pack=pack.reference,
        )


async def open_complaint_count(info: Info, compound_pk: int) -> int:
    return await info.context.loaders.custom("complaints.open_count", queries.open_counts).load(compound_pk)
