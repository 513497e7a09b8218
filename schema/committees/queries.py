"""Owners' committees, committees due for re-election, cross-appointments, reserve candidates, relatives."""

from __future__ import annotations

import strawberry

from domain.committees import models as cm
from domain.committees import queries
from schema.committees.inputs import CrossAppointmentFilter, OwnersCommitteeFilter
from schema.committees.types import CrossAppointment, DeclaredRelation, OwnersCommittee, ReserveListing
from schema.core.context import Info
from schema.core.permissions import STAFF, Allow
from schema.core.relay import Connection, PageArgs, filter_id, paginate, parse_id, query_id


def scope_ids(scope_id: strawberry.ID | None) -> dict[str, int | None]:
    """A Street, Community or Compound global ID as the keyword filters of the domain queries."""
    ids: dict[str, int | None] = {"street_id": None, "community_id": None, "compound_id": None}
    if scope_id is None:
        return ids
    parsed = parse_id(scope_id)
    key = {"Street": "street_id", "Community": "community_id", "Compound": "compound_id"}.get(parsed[0] if parsed else "")
    if key is None or parsed is None:
        filter_id(scope_id, "Street")  # raises the request error for a foreign or malformed ID
        raise AssertionError  # pragma: no cover
    ids[key] = parsed[1]
    return ids



@strawberry.type
class Query:
    @strawberry.field(description="业主组织")
    async def owners_committee(self, info: Info, id: strawberry.ID) -> OwnersCommittee | None:
        pk = query_id(id, "OwnersCommittee")
        row = await info.context.loaders.by_id(cm.OwnersBody).load(pk) if pk else None
        return OwnersCommittee.from_model(row) if row else None

    @strawberry.field(description="业主组织列表 — every term, including expired and dissolved ones")
    async def owners_committees(
        self, info: Info, filter: OwnersCommitteeFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[OwnersCommittee]:
        f = filter or OwnersCommitteeFilter()
        query = queries.owners_bodies(scope=queries.scope_filter(**scope_ids(f.scope_id)), kind=f.kind,
                                      status=f.status, today=info.context.today)
        return await paginate(query, PageArgs(first, after, last, before), OwnersCommittee.from_model)

    @strawberry.field(description="待换届的业主组织 — in the pack's lead time or with fewer than half the seats filled",
                      extensions=[Allow(STAFF)])
    async def committees_due_for_reelection(
        self, info: Info, scope_id: strawberry.ID | None = None, first: int | None = None, after: str | None = None,
    ) -> Connection[OwnersCommittee]:
        due = await queries.due_for_reelection(scope=queries.scope_filter(**scope_ids(scope_id)),
                                               today=info.context.today)
        return await paginate(cm.OwnersBody.filter(id__in=due), PageArgs(first, after), OwnersCommittee.from_model)

    @strawberry.field(description="交叉任职 — cross-appointments", extensions=[Allow(STAFF)])
    async def cross_appointments(
        self, info: Info, filter: CrossAppointmentFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[CrossAppointment]:
        f = filter or CrossAppointmentFilter()
        query = queries.cross_appointments(
            **scope_ids(f.scope_id), person_id=filter_id(f.person_id, "Person") if f.person_id else None,
            basis=f.basis)
        return await paginate(query, PageArgs(first, after, last, before), CrossAppointment.from_model)

    @strawberry.field(description="后备人员 — a compound's reserve candidates", extensions=[Allow(STAFF)])
    async def reserve_candidates(
        self, info: Info, compound_id: strawberry.ID, include_cleared: bool = False
    ) -> list[ReserveListing]:
        query = cm.ReserveListing.filter(compound_id=filter_id(compound_id, "Compound"))
        if not include_cleared:
            query = query.filter(cleared_on__isnull=True)
        return [ReserveListing.from_model(r) for r in await query.order_by("id")]

    @strawberry.field(description="申报的亲属 — relatives a person declared or was declared by",
                      extensions=[Allow(STAFF)])
    async def declared_relatives(self, info: Info, person_id: strawberry.ID) -> list[DeclaredRelation]:
        pk = filter_id(person_id, "Person")
        rows = await cm.DeclaredRelation.filter(person_id=pk).order_by("id")
        rows += await cm.DeclaredRelation.filter(relative_id=pk).order_by("id")
        return [DeclaredRelation.from_model(r) for r in rows]


EXTRA_TYPES = [OwnersCommittee, DeclaredRelation, ReserveListing, CrossAppointment]
