"""Streets, communities, compounds and persons."""

from __future__ import annotations

from datetime import date

import strawberry

from domain.geography import models as gm
from domain.search import contains_any
from schema.core.context import Info
from schema.core.permissions import STAFF, Allow
from schema.core.relay import Connection, PageArgs, filter_id, paginate, query_id
from schema.geography.inputs import CompoundFilter, PersonFilter
from schema.geography.types import Community, Compound, Person, Street, Unit


def compound_query(filter: CompoundFilter | None, *, today: date):  # type: ignore[no-untyped-def]
    query = gm.Compound.all()
    if filter is None:
        return query
    if filter.has_owners_committee is not None:
        from tortoise.expressions import Subquery

        from domain.committees.models import OwnersBody

        in_office = OwnersBody.filter(live_compound_id__isnull=False, term_ends_on__gte=today).values("compound_id")
        if filter.has_owners_committee:
            query = query.filter(id__in=Subquery(in_office))
        else:
            query = query.exclude(id__in=Subquery(in_office))
    if filter.street_id is not None:
        query = query.filter(street_id=filter_id(filter.street_id, "Street"))
    if filter.community_id is not None:
        query = query.filter(community_id=filter_id(filter.community_id, "Community"))
    if filter.management_mode is not None:
        query = query.filter(management_mode=filter.management_mode)
    if filter.is_old_compound is not None:
        query = query.filter(is_old_compound=filter.is_old_compound)
    if filter.is_red_property is not None:
        query = query.filter(is_red_property=filter.is_red_property)
    if filter.search:
        query = query.filter(contains_any(("name", "address"), filter.search))
    return query


@strawberry.type
class Query:
    @strawberry.field(description="街道")
    async def streets(
        self, info: Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[Street]:
        return await paginate(gm.Street.all(), PageArgs(first, after, last, before), Street.from_model)

    @strawberry.field(description="街道")
    async def street(self, info: Info, id: strawberry.ID) -> Street | None:
        pk = query_id(id, "Street")
        row = await info.context.loaders.by_id(gm.Street).load(pk) if pk else None
        return Street.from_model(row) if row else None

    @strawberry.field(description="社区")
    async def community(self, info: Info, id: strawberry.ID) -> Community | None:
        pk = query_id(id, "Community")
        row = await info.context.loaders.by_id(gm.Community).load(pk) if pk else None
        return Community.from_model(row) if row else None

    @strawberry.field(description="小区列表 — compounds, filtered")
    async def compounds(
        self, info: Info, filter: CompoundFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[Compound]:
        query = compound_query(filter, today=info.context.today)
        return await paginate(query, PageArgs(first, after, last, before), Compound.from_model)

    @strawberry.field(description="小区")
    async def compound(self, info: Info, id: strawberry.ID) -> Compound | None:
        pk = query_id(id, "Compound")
        row = await info.context.loaders.by_id(gm.Compound).load(pk) if pk else None
        return Compound.from_model(row) if row else None

    @strawberry.field(description="人员 — persons (staff only)", extensions=[Allow(STAFF)])
    async def persons(
        self, info: Info, filter: PersonFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[Person]:
        query = gm.Person.all()
        if filter and filter.search:
            query = query.filter(contains_any(("name",), filter.search))
        if filter and filter.is_party_member is not None:
            query = query.filter(is_party_member=filter.is_party_member)
        return await paginate(query, PageArgs(first, after, last, before), Person.from_model)


# Reachable through the Node interface only.
EXTRA_TYPES = [Street, Community, Compound, Unit, Person]
