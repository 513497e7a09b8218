"""Mutations of the structure area: registering the territory, units, owners, firms, contracts and posts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.accounts.rules import Role
from domain.bodies import service as bodies
from domain.firms import service as firms
from domain.geography import compound_changes
from domain.geography import service as geography
from schema.bodies import Body, BodyKind, Membership, MembershipRole, body_pk, present_bodies
from schema.context import Info
from schema.errors import UserError
from schema.firms import PartyOrganisation, PropertyFirm, ServiceContract
from schema.geography import AreaSource, Community, Compound, ManagementMode, Person, Street, Unit, UnitKind
from schema.permissions import STAFF, mutation
from schema.relay import decode_id, decode_ids

ADMIN = frozenset({Role.CENTRE_ADMIN})
TERRITORY = frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
CENTRE_ONLY = frozenset({Role.CENTRE_ADMIN, Role.CENTRE_STAFF})


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


@strawberry.input
class RegisterUnitsInput:
    compound_id: strawberry.ID
    units: list[UnitInput]


@strawberry.type
class RegisterUnitsPayload:
    units: list[Unit] | None = None
    compound: Compound | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RegisterPropertyFirmInput:
    name: str
    credit_code: str
    party_organisation: PartyOrganisation
    staff_count: int = 0
    party_member_staff_count: int = 0
    party_building_instructor: str | None = None


@strawberry.type
class RegisterPropertyFirmPayload:
    firm: PropertyFirm | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SignServiceContractInput:
    firm_id: strawberry.ID
    compound_ids: list[strawberry.ID]
    starts_on: date
    ends_on: date
    fee_per_square_metre: Decimal


@strawberry.type
class SignServiceContractPayload:
    contract: ServiceContract | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateBodyInput:
    kind: BodyKind
    name: str
    community_id: strawberry.ID | None = None
    firm_id: strawberry.ID | None = None
    street_id: strawberry.ID | None = None


@strawberry.type
class CreateBodyPayload:
    body: Body | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AppointMemberInput:
    body_id: strawberry.ID
    person_id: strawberry.ID
    role: MembershipRole
    starts_on: date
    ends_on: date | None = None
    paid: bool = False
    compound_id: strawberry.ID | None = None


@strawberry.type
class AppointMemberPayload:
    membership: Membership | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _optional_id(global_id: strawberry.ID | None, expected: str, field: str) -> int | None:
    return decode_id(global_id, expected, field) if global_id is not None else None


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
        compound, units = await geography.register_units(
            actor=info.context.viewer, compound_id=decode_id(input.compound_id, "Compound", "compoundId"),
            drafts=drafts, now=info.context.now)
        return RegisterUnitsPayload(units=[Unit.from_model(u) for u in units], compound=Compound.from_model(compound))

    @mutation(CENTRE_ONLY, "登记物业企业 — register a property firm (credit code validated)")
    async def register_property_firm(self, info: Info, input: RegisterPropertyFirmInput) -> RegisterPropertyFirmPayload:
        draft = firms.FirmDraft(
            name=input.name, credit_code=input.credit_code, party_organisation=input.party_organisation,
            staff_count=input.staff_count, party_member_staff_count=input.party_member_staff_count,
            party_building_instructor=input.party_building_instructor)
        firm = await firms.register_firm(actor=info.context.viewer, draft=draft, now=info.context.now)
        return RegisterPropertyFirmPayload(firm=PropertyFirm.from_model(firm))

    @mutation(TERRITORY, "签订物业服务合同 — one firm, one or more compounds")
    async def sign_service_contract(
        self, info: Info, input: SignServiceContractInput
    ) -> SignServiceContractPayload:
        contract, _ = await firms.sign_contract(
            actor=info.context.viewer, firm_id=decode_id(input.firm_id, "PropertyFirm", "firmId"),
            compound_ids=decode_ids(input.compound_ids, "Compound", "compoundIds"), starts_on=input.starts_on,
            ends_on=input.ends_on, fee_per_square_metre=input.fee_per_square_metre, now=info.context.now)
        return SignServiceContractPayload(contract=ServiceContract.from_model(contract))

    @mutation(TERRITORY, "创建组织 — a community Party organisation, residents' committee, ...")
    async def create_body(self, info: Info, input: CreateBodyInput) -> CreateBodyPayload:
        draft = bodies.BodyDraft(
            kind=input.kind, name=input.name,
            community_id=_optional_id(input.community_id, "Community", "communityId"),
            firm_id=_optional_id(input.firm_id, "PropertyFirm", "firmId"),
            street_id=_optional_id(input.street_id, "Street", "streetId"))
        body = await bodies.create_body(actor=info.context.viewer, draft=draft, now=info.context.now)
        return CreateBodyPayload(body=(await present_bodies(info, [body.id]))[0])

    @mutation(TERRITORY, "任命 — appoint a person to a post in a body")
    async def appoint_member(self, info: Info, input: AppointMemberInput) -> AppointMemberPayload:
        draft = bodies.AppointmentDraft(
            body_id=await body_pk(input.body_id, "bodyId"),
            person_id=decode_id(input.person_id, "Person", "personId"), role=input.role,
            starts_on=input.starts_on, ends_on=input.ends_on, paid=input.paid,
            compound_id=_optional_id(input.compound_id, "Compound", "compoundId"))
        membership = await bodies.appoint_member(actor=info.context.viewer, draft=draft, now=info.context.now)
        return AppointMemberPayload(membership=Membership.from_model(membership))
