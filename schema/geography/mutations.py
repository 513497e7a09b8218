"""Registering streets, communities, compounds, units and persons; changing and consolidating compounds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.accounts.rules import Role
from domain.geography import compound_changes
from domain.geography import service as geography
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import ADMIN, STAFF, mutation
from schema.core.relay import decode_id, decode_ids
from schema.geography.types import AreaSource, Community, Compound, ManagementMode, Person, Street, Unit, UnitKind

TERRITORY = frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})


@strawberry.input
class CreateStreetInput:
    name: str
    rule_pack: str = strawberry.field(description="national | beijing | shanghai | shandong")


@strawberry.type
class CreateStreetPayload:
    street: Street | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateCommunityInput:
    street_id: strawberry.ID
    name: str


@strawberry.type
class CreateCommunityPayload:
    community: Community | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateCompoundInput:
    community_id: strawberry.ID
    name: str
    address: str = ""
    management_mode: ManagementMode
    is_old_compound: bool = False
    is_standardised: bool = False
    is_red_property: bool = False


@strawberry.type
class CreateCompoundPayload:
    compound: Compound | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="小区变更 — only the fields given change")
class UpdateCompoundInput:
    compound_id: strawberry.ID
    name: str | None = None
    address: str | None = None
    management_mode: ManagementMode | None = None
    is_old_compound: bool | None = None
    is_standardised: bool | None = None
    is_red_property: bool | None = strawberry.field(default=None, description="认定为红色物业")


@strawberry.type
class UpdateCompoundPayload:
    compound: Compound | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="合零为整 — compounds joining one management area of the same street")
class ConsolidateCompoundsInput:
    into_compound_id: strawberry.ID
    compound_ids: list[strawberry.ID]
    merged_on: date


@strawberry.type
class ConsolidateCompoundsPayload:
    compound: Compound | None = None
    merged: list[Compound] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RegisterPersonInput:
    name: str
    phone: str
    id_number: str | None = None
    is_party_member: bool = False


@strawberry.type
class RegisterPersonPayload:
    person: Person | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class UnitInput:
    building: str
    entrance: str = ""
    number: str
    kind: UnitKind
    area: Decimal
    area_source: AreaSource
    owner_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    held_by_developer: bool = False


@strawberry.input(description="开发建设单位 — the developer as owner of the units it still holds (区分所有权解释 art. 9)")
class DeveloperOwnerInput:
    organisation_id: strawberry.ID = strawberry.field(description="开发建设单位 — the developer organisation")
    representative_id: strawberry.ID = strawberry.field(
        description="代表 — the person who casts the developer's one seat's ballot")


@strawberry.input
class RegisterUnitsInput:
    compound_id: strawberry.ID
    units: list[UnitInput]
    developer: DeveloperOwnerInput | None = strawberry.field(
        default=None, description="开发建设单位 — owner of this batch's units heldByDeveloper, and its representative")


@strawberry.type
class RegisterUnitsPayload:
    units: list[Unit] | None = None
    compound: Compound | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @mutation(ADMIN, "创建街道 — register a street with its rule pack")
    async def create_street(self, info: Info, input: CreateStreetInput) -> CreateStreetPayload:
        street = await geography.create_street(actor=info.context.viewer, name=input.name,
                                               rule_pack_name=input.rule_pack, now=info.context.now)
        return CreateStreetPayload(street=Street.from_model(street))

    @mutation(frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF}), "创建社区")
    async def create_community(self, info: Info, input: CreateCommunityInput) -> CreateCommunityPayload:
        community = await geography.create_community(
            actor=info.context.viewer, street_id=decode_id(input.street_id, "Street", "streetId"),
            name=input.name, now=info.context.now)
        return CreateCommunityPayload(community=Community.from_model(community))

    @mutation(TERRITORY, "创建小区")
    async def create_compound(self, info: Info, input: CreateCompoundInput) -> CreateCompoundPayload:
        draft = geography.CompoundDraft(
            community_id=decode_id(input.community_id, "Community", "communityId"), name=input.name,
            address=input.address, management_mode=input.management_mode, is_old_compound=input.is_old_compound,
            is_standardised=input.is_standardised, is_red_property=input.is_red_property)
        compound = await geography.create_compound(actor=info.context.viewer, draft=draft, now=info.context.now)
        return CreateCompoundPayload(compound=Compound.from_model(compound))

    @mutation(TERRITORY, "变更小区信息 — particulars, management mode and flags (老旧、标准化、红色物业)")
    async def update_compound(self, info: Info, input: UpdateCompoundInput) -> UpdateCompoundPayload:
        changes = compound_changes.CompoundChanges(
            name=input.name, address=input.address, management_mode=input.management_mode,
            is_old_compound=input.is_old_compound, is_standardised=input.is_standardised,
            is_red_property=input.is_red_property)
        compound = await compound_changes.update_compound(
            actor=info.context.viewer, compound_id=decode_id(input.compound_id, "Compound", "compoundId"),
            changes=changes, now=info.context.now)
        return UpdateCompoundPayload(compound=Compound.from_model(compound))

    @mutation(frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF}), "合并小区 — 合零为整、合小并大, keeping the lineage")
    async def consolidate_compounds(
        self, info: Info, input: ConsolidateCompoundsInput
    ) -> ConsolidateCompoundsPayload:
        target, merged = await compound_changes.consolidate_compounds(
            actor=info.context.viewer,
            into_compound_id=decode_id(input.into_compound_id, "Compound", "intoCompoundId"),
            compound_ids=decode_ids(input.compound_ids, "Compound", "compoundIds"), merged_on=input.merged_on,
            now=info.context.now)
        return ConsolidateCompoundsPayload(compound=Compound.from_model(target),
                                           merged=[Compound.from_model(c) for c in merged])

    @mutation(STAFF, "登记人员 — register a person (phone and ID number validated)")
    async def register_person(self, info: Info, input: RegisterPersonInput) -> RegisterPersonPayload:
        person = await geography.register_person(
            actor=info.context.viewer, name=input.name, phone=input.phone, id_number=input.id_number,
            is_party_member=input.is_party_member, now=info.context.now)
        return RegisterPersonPayload(person=Person.from_model(person))

    @mutation(TERRITORY, "登记房屋与业主 — register exclusive units and their owners")
    async def register_units(self, info: Info, input: RegisterUnitsInput) -> RegisterUnitsPayload:
        drafts = [
            geography.UnitDraft(
                building=u.building, entrance=u.entrance, number=u.number, kind=u.kind, area=u.area,
                area_source=u.area_source, held_by_developer=u.held_by_developer,
                owner_ids=tuple(decode_ids(u.owner_ids, "Person", f"units.{i}.ownerIds")))
            for i, u in enumerate(input.units)
        ]
        developer = (geography.DeveloperOwner(
            organisation_id=decode_id(input.developer.organisation_id, "Organisation", "developer.organisationId"),
            representative_id=decode_id(input.developer.representative_id, "Person", "developer.representativeId"),
        ) if input.developer is not None else None)
        compound, units = await geography.register_units(
            actor=info.context.viewer, compound_id=decode_id(input.compound_id, "Compound", "compoundId"),
            drafts=drafts, now=info.context.now, developer=developer)
        return RegisterUnitsPayload(units=[Unit.from_model(u) for u in units], compound=Compound.from_model(compound))
