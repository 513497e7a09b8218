"""Streets, communities, compounds, units and persons."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.firms import models as fm
from domain.geography import models as m
from domain.geography.rules import AreaSource as AreaSourceEnum
from domain.geography.rules import ManagementMode as ManagementModeEnum
from domain.geography.rules import UnitKind as UnitKindEnum
from domain.geography.rules import mask_id_number, mask_phone
from schema.core.context import Info
from schema.core.permissions import STAFF, Allow
from schema.core.policies import shown_personal_data
from schema.core.relay import Connection, Node, PageArgs, encode_id, paginate, register_node

if TYPE_CHECKING:
    from schema.committees.types import OwnersCommittee
    from schema.complaints.types import Complaint
    from schema.complaints.inputs import ComplaintFilter
    from schema.firms.types import PropertyFirm
    from schema.disclosures.types import Disclosure

ManagementMode = strawberry.enum(ManagementModeEnum, description="管理模式 — how a compound is managed")
UnitKind = strawberry.enum(UnitKindEnum, description="房屋类型 — dwelling (住宅), shop (商铺), parking (车位)")
AreaSource = strawberry.enum(AreaSourceEnum, description="面积来源 — registry > survey > contract (区分所有权解释 art. 8)")


@strawberry.type(description="街道 — street (sub-district)")
class Street(Node):
    name: str
    rule_pack: str = strawberry.field(description="规则包名称 — name of the street's rule pack")
    _pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: m.Street) -> Street:
        return cls(id=encode_id("Street", row.id), name=row.name, rule_pack=row.rule_pack, _pk=row.id)

    @strawberry.field(description="社区 — communities of the street")
    async def communities(self, info: Info) -> list[Community]:
        rows = await info.context.loaders.children(m.Community, "street_id").load(self._pk)
        return [Community.from_model(r) for r in rows]


@strawberry.type(description="社区 — community")
class Community(Node):
    name: str
    _pk: strawberry.Private[int]
    _street_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: m.Community) -> Community:
        return cls(id=encode_id("Community", row.id), name=row.name, _pk=row.id, _street_id=row.street_id)

    @strawberry.field(description="所属街道 — the street")
    async def street(self, info: Info) -> Street:
        return Street.from_model(await info.context.loaders.by_id(m.Street).load(self._street_id))

    @strawberry.field(description="小区 — compounds of the community")
    async def compounds(self, info: Info) -> list[Compound]:
        rows = await info.context.loaders.children(m.Compound, "community_id").load(self._pk)
        return [Compound.from_model(r) for r in rows]

    @strawberry.field(description="会议 — meetings held for the community or its compounds, newest first")
    async def meetings(
        self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated["Meeting", strawberry.lazy("schema.deliberation.types")]]:  # noqa: F821
        from schema.deliberation.queries import community_meetings

        return await community_meetings(info, self._pk, PageArgs(first, after, last, before))


@strawberry.type(description="人员 — a person; phone and ID number are masked unless the viewer may read them")
class Person(Node):
    name: str
    is_party_member: bool = strawberry.field(description="是否党员 — Party member")
    _pk: strawberry.Private[int]
    _phone: strawberry.Private[str]
    _id_number: strawberry.Private[str | None]

    @classmethod
    def from_model(cls, row: m.Person) -> Person:
        return cls(id=encode_id("Person", row.id), name=row.name, is_party_member=row.is_party_member,
                   _pk=row.id, _phone=row.phone, _id_number=row.id_number)

    # Synchronous where the viewer's disclosure needs no database facts (centre staff, the person themself,
    # anonymous callers): an awaitable otherwise. graphql_type keeps the GraphQL type the plain one.
    @strawberry.field(description="电话 — masked (138****5678) unless the viewer may read personal data",
                      graphql_type=str)
    def phone(self, info: Info) -> str | Awaitable[str]:
        return shown_personal_data(info, self._pk, lambda d: self._phone if d.phone else mask_phone(self._phone))

    @strawberry.field(description="身份证号码 — masked unless the viewer may read personal data",
                      graphql_type=str | None)
    def id_number(self, info: Info) -> str | None | Awaitable[str | None]:
        # Also awaitable without a number where the phone is: persons of one list then wait equally deep, and their
        # fact lookups stay in one batch (tests/api/test_read_policy_api.py counts the statements).
        number = self._id_number
        return shown_personal_data(info, self._pk, lambda d: None if number is None else
                                   number if d.id_number else mask_id_number(number))


@strawberry.type(description="专有部分 — an exclusive unit (户) with its area and owners")
class Unit(Node):
    building: str = strawberry.field(description="楼栋")
    entrance: str = strawberry.field(description="单元")
    number: str = strawberry.field(description="户号")
    kind: UnitKind
    area: Decimal = strawberry.field(description="专有面积（平方米）— exclusive area in m²")
    area_source: AreaSource
    held_by_developer: bool = strawberry.field(description="开发建设单位持有 — still held by the developer")
    _pk: strawberry.Private[int]
    _compound_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: m.Unit) -> Unit:
        return cls(id=encode_id("Unit", row.id), building=row.building, entrance=row.entrance, number=row.number,
                   kind=row.kind, area=row.area, area_source=row.area_source,
                   held_by_developer=row.held_by_developer, _pk=row.id, _compound_id=row.compound_id)

    @strawberry.field(description="业主 — registered owners")
    async def owners(self, info: Info) -> list[Person]:
        links = await info.context.loaders.children(m.Ownership, "unit_id").load(self._pk)
        people = await info.context.loaders.by_id(m.Person).load_many([link.person_id for link in links])
        return [Person.from_model(p) for p in people if p is not None]

    @strawberry.field(description="所属小区")
    async def compound(self, info: Info) -> Compound:
        return Compound.from_model(await info.context.loaders.by_id(m.Compound).load(self._compound_id))


async def _serving_firms(info: Info, compound_ids: list[int]) -> list[fm.PropertyFirm | None]:
    today = info.context.today

    async def load(ids: list[int]) -> list[fm.PropertyFirm | None]:
        from domain.firms.coverage import serving_firm_ids

        firm_of = await serving_firm_ids(set(ids), today)
        firms = {f.id: f for f in await fm.PropertyFirm.filter(id__in=list(set(firm_of.values())))}
        return [firms.get(firm_of.get(i)) for i in ids]  # type: ignore[arg-type]

    return await info.context.loaders.custom("serving_firm", load).load_many(compound_ids)


@strawberry.type(description="小区 — compound (物业管理区域)")
class Compound(Node):
    name: str
    address: str
    management_mode: ManagementMode
    is_old_compound: bool = strawberry.field(description="老旧小区")
    is_standardised: bool = strawberry.field(description="标准化小区")
    is_red_property: bool = strawberry.field(description="红色物业 — recognised red property")
    household_count: int = strawberry.field(description="户数 — dwelling units")
    total_exclusive_area: Decimal = strawberry.field(description="专有部分总面积（平方米）")
    merged_on: date | None = strawberry.field(description="合并日期 — when it joined another management area")
    _pk: strawberry.Private[int]
    _community_id: strawberry.Private[int]
    _street_id: strawberry.Private[int]
    _merged_into_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: m.Compound) -> Compound:
        return cls(
            id=encode_id("Compound", row.id), name=row.name, address=row.address,
            management_mode=row.management_mode, is_old_compound=row.is_old_compound,
            is_standardised=row.is_standardised, is_red_property=row.is_red_property,
            household_count=row.household_count, total_exclusive_area=row.total_exclusive_area,
            merged_on=row.merged_on, _pk=row.id, _community_id=row.community_id, _street_id=row.street_id,
            _merged_into_id=row.merged_into_id,
        )

    @strawberry.field(description="所属社区")
    async def community(self, info: Info) -> Community:
        return Community.from_model(await info.context.loaders.by_id(m.Community).load(self._community_id))

    @strawberry.field(description="所属街道")
    async def street(self, info: Info) -> Street:
        return Street.from_model(await info.context.loaders.by_id(m.Street).load(self._street_id))

    @strawberry.field(description="合并后的管理区域 — the compound this one was consolidated into (合零为整)")
    async def merged_into(self, info: Info) -> Compound | None:
        if self._merged_into_id is None:
            return None
        return Compound.from_model(await info.context.loaders.by_id(m.Compound).load(self._merged_into_id))

    @strawberry.field(description="并入本区域的小区 — compounds consolidated into this management area")
    async def merged_from(self, info: Info) -> list[Compound]:
        rows = await info.context.loaders.children(m.Compound, "merged_into_id").load(self._pk)
        return [Compound.from_model(r) for r in rows]

    @strawberry.field(description="服务企业 — the firm serving the compound today (物业管理条例 art. 33)")
    async def serving_firm(self, info: Info) -> Annotated[PropertyFirm, strawberry.lazy("schema.firms.types")] | None:
        from schema.firms.types import PropertyFirm

        firm = (await _serving_firms(info, [self._pk]))[0]
        return PropertyFirm.from_model(firm) if firm else None

    @strawberry.field(description="信息公示 — the notice board, newest first; anonymous readers see what the law makes "
                                  "public, owners the whole board (区分所有权解释 art. 13)")
    async def disclosures(
        self, info: Info, first: int | None = None, after: str | None = None,
    ) -> Connection[Annotated[Disclosure, strawberry.lazy("schema.disclosures.types")]]:
        from schema.disclosures.queries import compound_disclosures

        return await compound_disclosures(info, self._pk, first, after)

    @strawberry.field(description="房屋 — exclusive units", extensions=[Allow(STAFF)])
    async def units(
        self, info: Info, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[Unit]:
        return await paginate(m.Unit.filter(compound_id=self._pk), PageArgs(first, after, last, before),
                              Unit.from_model)

    # --- fields of later areas (committees, deliberation, complaints, evaluation) go below this line ---

    @strawberry.field(description="业主组织 — the owners' committee or 物管会 (latest term not dissolved)")
    async def owners_committee(
        self, info: Info
    ) -> Annotated[OwnersCommittee, strawberry.lazy("schema.committees.types")] | None:
        from schema.committees.types import owners_committee_of

        return await owners_committee_of(info, self._pk)

    @strawberry.field(description="未销号诉求数 — open complaint orders of the compound")
    async def open_complaint_count(self, info: Info) -> int:
        from schema.complaints.queries import open_complaint_count

        return await open_complaint_count(info, self._pk)

    @strawberry.field(description="诉求工单 — the compound's orders this viewer may see, newest first")
    async def complaints(
        self, info: Info,
        filter: Annotated[ComplaintFilter, strawberry.lazy("schema.complaints.inputs")] | None = None,
        first: int | None = None, after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[Annotated[Complaint, strawberry.lazy("schema.complaints.types")]]:
        from schema.complaints.queries import complaint_ledger

        return await complaint_ledger(info, filter, PageArgs(first, after, last, before), compound_id=self._pk)

    @strawberry.field(description="会议 — the compound's meetings the viewer may read, newest first; its owners read "
                                  "those with published minutes, and only the published versions (区分所有权解释 art. 13)")
    async def meetings(
        self, info: Info, first: int | None = None, after: str | None = None, last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated["Meeting", strawberry.lazy("schema.deliberation.types")]]:  # noqa: F821
        from schema.deliberation.queries import compound_meetings

        return await compound_meetings(info, self._pk, PageArgs(first, after, last, before))


register_node("Street", m.Street, Street.from_model)
register_node("Community", m.Community, Community.from_model)
register_node("Compound", m.Compound, Compound.from_model)
# Who reads units and persons: their read policies (schema/core/policies.py), applied to every field.
register_node("Unit", m.Unit, Unit.from_model)
register_node("Person", m.Person, Person.from_model)
