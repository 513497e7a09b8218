"""Reading orders: what a viewer may see, the ledger filter, duplicates, counts and KPI facts.

Each read is a fixed number of statements whatever the number of orders (query-count tests hold it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import or_

from tortoise.expressions import Q, Subquery
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from domain.accounts.rules import Role, Viewer
from domain.complaints.kpis import (
    ComplaintKpis,
    DispatchFacts,
    OrderFacts,
    ResolutionFacts,
    VisitFacts,
    compute_kpis,
)
from domain.complaints.models import Complaint, ComplaintEvent, ReturnVisitRecord
from domain.complaints.rules import HANDLING_STATUSES, OPEN_STATUSES, Action, Channel, Status
from domain.geography.models import Community, Compound, Street
from domain.rulepacks import RulePack, resolve_reference, rule_pack
from domain.search import contains_any


def visibility(viewer: Viewer, firm_body_id: int | None) -> Q | None:
    """The orders a viewer may see as a filter; None when they may see none."""
    if viewer.is_centre:
        return Q()
    parts: list[Q] = []
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        parts.append(Q(street_id=viewer.street_id))
    if Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        parts.append(Q(community_id=viewer.community_id))
    if firm_body_id is not None:
        parts.append(Q(accountable_id=firm_body_id) | Q(handler_id=firm_body_id))
    if viewer.person_id is not None:
        parts.append(Q(complainant_person_id=viewer.person_id))
    return reduce(or_, parts) if parts else None


@dataclass(frozen=True)
class LedgerFilter:
    statuses: tuple[Status, ...] = ()
    compound_id: int | None = None
    handler_id: int | None = None
    overdue: bool | None = None
    channel: Channel | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    search: str | None = None


def overdue_q(now: datetime) -> Q:
    return Q(status__in=list(HANDLING_STATUSES), due_at__lt=now)


async def newly_overdue(viewer: Viewer, firm_body_id: int | None, *, since: datetime, until: datetime) -> list[int]:
    """Orders in hand whose deadline passed in [since, until): overdue now, and not yet at the previous look."""
    query = visible_orders(viewer, firm_body_id).filter(
        status__in=list(HANDLING_STATUSES), due_at__gte=since, due_at__lt=until
    )
    return list(await query.order_by("id").values_list("id", flat=True))


def visible_orders(viewer: Viewer, firm_body_id: int | None) -> QuerySet[Complaint]:
    seen = visibility(viewer, firm_body_id)
    return Complaint.filter(seen) if seen is not None else Complaint.filter(id__in=[])


def ledger(viewer: Viewer, firm_body_id: int | None, rows: LedgerFilter, *, now: datetime) -> QuerySet[Complaint]:
    query = visible_orders(viewer, firm_body_id)
    if rows.statuses:
        query = query.filter(status__in=list(rows.statuses))
    if rows.compound_id is not None:
        query = query.filter(compound_id=rows.compound_id)
    if rows.handler_id is not None:
        query = query.filter(handler_id=rows.handler_id)
    if rows.channel is not None:
        query = query.filter(channel=rows.channel)
    if rows.received_from is not None:
        query = query.filter(received_at__gte=rows.received_from)
    if rows.received_to is not None:
        query = query.filter(received_at__lt=rows.received_to)
    if rows.overdue is True:
        query = query.filter(overdue_q(now))
    elif rows.overdue is False:
        # NOT (due_at < now) is NULL, not true, for an order without a deadline: it is not overdue either.
        query = query.filter(~overdue_q(now) | Q(due_at__isnull=True))
    if rows.search and rows.search.strip():
        term = rows.search.strip()
        query = query.filter(contains_any(("number", "title", "external_ref"), term))
    return query


async def possible_duplicates(complaint_ids: Sequence[int]) -> list[list[Complaint]]:
    """Open orders of the same compound and category as each order (one statement for all of them)."""
    mine = {c.id: c for c in await Complaint.filter(id__in=list(set(complaint_ids)))}
    if not mine:
        return [[] for _ in complaint_ids]
    keys = {(c.compound_id, c.category) for c in mine.values()}
    candidates = await Complaint.filter(
        compound_id__in=[k[0] for k in keys],
        category__in=[k[1] for k in keys],
        status__in=list(OPEN_STATUSES),
        merged_into_id=None,
    ).order_by("id")
    grouped: dict[tuple[int, str], list[Complaint]] = defaultdict(list)
    for candidate in candidates:
        grouped[(candidate.compound_id, candidate.category)].append(candidate)
    result = []
    for cid in complaint_ids:
        own = mine.get(cid)
        result.append([] if own is None else [
            c for c in grouped[(own.compound_id, own.category)] if c.id != own.id
        ])
    return result


async def open_counts(compound_ids: Sequence[int]) -> list[int]:
    rows = (
        await Complaint.filter(compound_id__in=list(set(compound_ids)), status__in=list(OPEN_STATUSES))
        .annotate(n=Count("id"))
        .group_by("compound_id")
        .values("compound_id", "n")
    )
    counts = {row["compound_id"]: row["n"] for row in rows}
    return [counts.get(i, 0) for i in compound_ids]


@dataclass(frozen=True)
class KpiScope:
    street_id: int | None = None
    community_id: int | None = None
    compound_id: int | None = None
    # a firm or another unit as handler: the accountable first receiver (首接负责)
    body_id: int | None = None

    def q(self) -> Q:
        given = {
            "street_id": self.street_id,
            "community_id": self.community_id,
            "compound_id": self.compound_id,
            "accountable_id": self.body_id,
        }
        return Q(**{k: v for k, v in given.items() if v is not None})


async def scope_rule_pack(scope: KpiScope) -> RulePack:
    """The pack whose KPI weights apply: the scope's street's; the national pack across streets."""
    street_ids: list[int] = []
    if scope.street_id is not None:
        street_ids = [scope.street_id]
    elif scope.community_id is not None:
        street_ids = list(await Community.filter(id=scope.community_id).values_list("street_id", flat=True))
    elif scope.compound_id is not None:
        street_ids = list(await Compound.filter(id=scope.compound_id).values_list("street_id", flat=True))
    names = list(await Street.filter(id__in=street_ids).values_list("rule_pack", flat=True)) if street_ids else []
    pack = rule_pack(names[0]) if names else None
    national = rule_pack("national")
    assert national is not None
    return pack or national


def _acknowledge_hours(reference: str | None) -> int:
    pack = resolve_reference(reference or "national") or rule_pack("national")
    assert pack is not None
    return pack.complaints.acknowledge_hours


async def complaint_kpis(
    *, viewer: Viewer, firm_body_id: int | None, scope: KpiScope, start: datetime, end: datetime
) -> ComplaintKpis:
    """Three statements: return visits, lifecycle events, orders — for any scope and period."""
    orders_in_scope = visible_orders(viewer, firm_body_id).filter(scope.q())
    ids = Subquery(orders_in_scope.values("id"))
    visits = await ReturnVisitRecord.filter(complaint_id__in=ids, at__gte=start, at__lt=end)
    events = await ComplaintEvent.filter(
        complaint_id__in=Subquery(orders_in_scope.values("id")),
        action__in=[Action.DISPATCH, Action.REOPEN, Action.ACKNOWLEDGE, Action.RESOLVE],
        at__gte=start,
    ).order_by("complaint_id", "id")
    visited = list({v.complaint_id for v in visits})
    period = Q(received_at__gte=start, received_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end)
    orders = await orders_in_scope.filter(period | Q(id__in=visited or [0])).values(
        "id", "received_at", "closed_at", "reopen_count", "merged_into_id"
    )
    return compute_kpis(
        orders=[
            # a merged duplicate was never handled to closure: it does not count as closed
            OrderFacts(o["id"], o["received_at"], None if o["merged_into_id"] else o["closed_at"], o["reopen_count"])
            for o in orders
        ],
        dispatches=_dispatch_facts(events),
        resolutions=[
            ResolutionFacts(e.complaint_id, e.at, e.due_at) for e in events if e.action is Action.RESOLVE
        ],
        visits=[VisitFacts(v.complaint_id, v.at, v.reached, v.solved, v.satisfaction) for v in visits],
        start=start,
        end=end,
    )


def _dispatch_facts(events: list[ComplaintEvent]) -> list[DispatchFacts]:
    """Each dispatch or re-dispatch with the first acknowledgement that followed it on the same order."""
    facts: list[DispatchFacts] = []
    pending: dict[int, ComplaintEvent] = {}
    for event in events:
        if event.action in (Action.DISPATCH, Action.REOPEN):
            if event.complaint_id in pending:
                facts.append(_dispatch(pending.pop(event.complaint_id), None))
            pending[event.complaint_id] = event
        elif event.action is Action.ACKNOWLEDGE and event.complaint_id in pending:
            facts.append(_dispatch(pending.pop(event.complaint_id), event.at))
    facts.extend(_dispatch(e, None) for e in pending.values())
    return facts


def _dispatch(event: ComplaintEvent, acknowledged_at: datetime | None) -> DispatchFacts:
    return DispatchFacts(event.complaint_id, event.at, acknowledged_at, _acknowledge_hours(event.rule_pack))
