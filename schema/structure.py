"""Queries of the structure area: territory, compounds, persons, firms, bodies."""

from __future__ import annotations

import strawberry
from tortoise.expressions import Q

from domain.bodies import models as bm
from domain.firms import models as fm
from domain.geography import models as gm
from schema.bodies import Body, Membership, Organisation, present_bodies
from schema.context import Info
from schema.firms import PropertyFirm, ServiceContract
from schema.geography import Community, Compound, CompoundFilter, Person, Street, Unit, compound_query
from schema.permissions import STAFF, Allow
from schema.relay import Connection, Node, PageArgs, load_node, paginate, query_id


@strawberry.input(description="人员筛选")
class PersonFilter:
    search: str | None = strawberry.field(default=None, description="姓名包含")
    is_party_member: bool | None = None


@strawberry.input(description="物业企业筛选")
class PropertyFirmFilter:
    search: str | None = strawberry.field(default=None, description="名称或信用代码包含")


@strawberry.type
class Query:
    @strawberry.field(description="按全局 ID 取对象 — any object by its global ID")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await load_node(info, id)

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
            query = query.filter(name__icontains=filter.search)
        if filter and filter.is_party_member is not None:
            query = query.filter(is_party_member=filter.is_party_member)
        return await paginate(query, PageArgs(first, after, last, before), Person.from_model)

    @strawberry.field(description="物业企业")
    async def property_firms(
        self, info: Info, filter: PropertyFirmFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[PropertyFirm]:
        query = fm.PropertyFirm.all()
        if filter and filter.search:
            query = query.filter(Q(name__icontains=filter.search) | Q(credit_code__icontains=filter.search))
        return await paginate(query, PageArgs(first, after, last, before), PropertyFirm.from_model)

    @strawberry.field(description="物业企业")
    async def property_firm(self, info: Info, id: strawberry.ID) -> PropertyFirm | None:
        pk = query_id(id, "PropertyFirm")
        row = await info.context.loaders.by_id(fm.PropertyFirm).load(pk) if pk else None
        return PropertyFirm.from_model(row) if row else None

    @strawberry.field(description="服务合同")
    async def service_contracts(
        self, info: Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[ServiceContract]:
        return await paginate(fm.ServiceContract.all(), PageArgs(first, after, last, before),
                              ServiceContract.from_model)

    @strawberry.field(description="社区的组织 — bodies of a community")
    async def bodies(self, info: Info, community_id: strawberry.ID) -> list[Body]:
        pk = query_id(community_id, "Community")
        ids = await bm.Body.filter(community_id=pk).order_by("id").values_list("id", flat=True) if pk else []
        return [b for b in await present_bodies(info, list(ids)) if b is not None]

    @strawberry.field(description="某人的全部任职 — every post a person holds", extensions=[Allow(STAFF)])
    async def memberships_of(self, info: Info, person_id: strawberry.ID) -> list[Membership]:
        pk = query_id(person_id, "Person")
        rows = await info.context.loaders.children(bm.Membership, "person_id").load(pk) if pk else []
        return [Membership.from_model(r) for r in rows]


# Reachable through the Node and Body interfaces only.
EXTRA_TYPES = [Organisation, PropertyFirm, ServiceContract, Street, Community, Compound, Unit, Person, Membership]
