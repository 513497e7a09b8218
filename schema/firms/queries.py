"""Property firms and service contracts."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from domain.firms import models as fm
from domain.search import contains_any
from schema.core.context import Info
from schema.core.relay import Connection, PageArgs, paginate, query_id
from schema.firms.inputs import PropertyFirmFilter
from schema.firms.types import PropertyFirm, ServiceContract


def firm_query(filter: PropertyFirmFilter | None) -> QuerySet[fm.PropertyFirm]:
    """The firm register's rows (shared with the compiled read path, api.compiled)."""
    query = fm.PropertyFirm.all()
    if filter and filter.search:
        query = query.filter(contains_any(("name", "credit_code"), filter.search))
    return query


@strawberry.type
class Query:
    @strawberry.field(description="物业企业")
    async def property_firms(
        self, info: Info, filter: PropertyFirmFilter | None = None, first: int | None = None,
        after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[PropertyFirm]:
        return await paginate(firm_query(filter), PageArgs(first, after, last, before), PropertyFirm.from_model)

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


# Reachable through the Node and Body interfaces only.
EXTRA_TYPES = [PropertyFirm, ServiceContract]
