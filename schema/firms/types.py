"""Property firms (a kind of Body) and service contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.bodies import models as bm
from domain.bodies.rules import BodyKind as BodyKindEnum
from domain.firms import models as fm
from domain.firms.rules import ContractStatus as ContractStatusEnum
from domain.firms.rules import PartyOrganisation as PartyOrganisationEnum
from domain.firms.rules import contract_status
from domain.geography import models as gm
from schema.bodies.types import BODY_ID_TYPES, BODY_PRESENTERS, Body
from schema.core.context import Info
from schema.core.relay import Node, encode_id, register_node
from schema.geography.types import Compound

if TYPE_CHECKING:
    from schema.evaluation.types import Listing

PartyOrganisation = strawberry.enum(
    PartyOrganisationEnum, description="党组织覆盖 — none, own branch (单独组建) or joint branch (联合组建)"
)
ContractStatus = strawberry.enum(ContractStatusEnum, description="合同状态")


@strawberry.type(description="物业服务企业 — property firm")
class PropertyFirm(Body):
    credit_code: str = strawberry.field(description="统一社会信用代码 — unified social credit code")
    party_organisation: PartyOrganisation
    party_building_instructor: str | None = strawberry.field(description="党建指导员")
    staff_count: int = strawberry.field(description="员工人数")
    party_member_staff_count: int = strawberry.field(description="党员员工人数")
    _pk: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: fm.PropertyFirm) -> PropertyFirm:
        return cls(
            id=encode_id("PropertyFirm", row.id), name=row.name, kind=BodyKindEnum.PROPERTY_FIRM,
            _body_pk=row.body_id, credit_code=row.credit_code, party_organisation=row.party_organisation,
            party_building_instructor=row.party_building_instructor, staff_count=row.staff_count,
            party_member_staff_count=row.party_member_staff_count, _pk=row.id,
        )

    @strawberry.field(description="服务合同 — the firm's service contracts")
    async def contracts(self, info: Info) -> list[ServiceContract]:
        rows = await info.context.loaders.children(fm.ServiceContract, "firm_id").load(self._pk)
        return [ServiceContract.from_model(r) for r in rows]

    # --- fields of later areas (evaluation) go below this line ---

    @strawberry.field(description="信用等级 — grade in the latest publication naming the firm; null if never published")
    async def credit_grade(self, info: Info) -> str | None:
        from schema.evaluation.types import firm_standing

        return (await firm_standing(info, self._pk)).grade

    @strawberry.field(description="红黑榜 — listing in the latest publication naming the firm (NONE if unlisted)")
    async def listing(self, info: Info) -> Annotated[Listing, strawberry.lazy("schema.evaluation.types")]:
        from schema.evaluation.types import firm_standing

        return (await firm_standing(info, self._pk)).listing


@strawberry.type(description="物业服务合同 — service contract covering one or more compounds")
class ServiceContract(Node):
    starts_on: date
    ends_on: date
    terminated_on: date | None
    fee_per_square_metre: Decimal = strawberry.field(description="物业费单价（元/㎡·月）")
    _pk: strawberry.Private[int]
    _firm_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: fm.ServiceContract) -> ServiceContract:
        return cls(id=encode_id("ServiceContract", row.id), starts_on=row.starts_on, ends_on=row.ends_on,
                   terminated_on=row.terminated_on, fee_per_square_metre=row.fee_per_square_metre,
                   _pk=row.id, _firm_id=row.firm_id)

    @strawberry.field(description="合同状态 — derived from the dates")
    def status(self, info: Info) -> ContractStatus:
        return contract_status(starts_on=self.starts_on, ends_on=self.ends_on, terminated_on=self.terminated_on,
                               today=info.context.today)

    @strawberry.field(description="服务企业")
    async def firm(self, info: Info) -> PropertyFirm:
        return PropertyFirm.from_model(await info.context.loaders.by_id(fm.PropertyFirm).load(self._firm_id))

    @strawberry.field(description="覆盖的小区")
    async def compounds(self, info: Info) -> list[Compound]:
        links = await info.context.loaders.children(fm.ContractCompound, "contract_id").load(self._pk)
        rows = await info.context.loaders.by_id(gm.Compound).load_many([link.compound_id for link in links])
        return [Compound.from_model(r) for r in rows if r is not None]


async def _firms_for_bodies(info: Info, rows: list[bm.Body]) -> list[PropertyFirm]:
    loader = info.context.loaders.children(fm.PropertyFirm, "body_id")
    firms = await loader.load_many([r.id for r in rows])
    return [PropertyFirm.from_model(group[0]) for group in firms]


async def _firm_body(pk: int) -> int | None:
    ids = await fm.PropertyFirm.filter(id=pk).values_list("body_id", flat=True)
    return ids[0] if ids else None


BODY_PRESENTERS[BodyKindEnum.PROPERTY_FIRM] = _firms_for_bodies
BODY_ID_TYPES["PropertyFirm"] = _firm_body
register_node("PropertyFirm", fm.PropertyFirm, PropertyFirm.from_model)
register_node("ServiceContract", fm.ServiceContract, ServiceContract.from_model)
