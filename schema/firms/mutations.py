"""Registering property firms and signing service contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.accounts.rules import Role
from domain.firms import service as firms
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import mutation
from schema.core.relay import decode_id, decode_ids
from schema.firms.types import PartyOrganisation, PropertyFirm, ServiceContract

TERRITORY = frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
CENTRE_ONLY = frozenset({Role.CENTRE_ADMIN, Role.CENTRE_STAFF})


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


@strawberry.type
class Mutation:
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
