"""Small async builders with explicit defaults, writing rows directly (the API tests drive the mutations)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.firms.models import ContractCompound, PropertyFirm, ServiceContract
from domain.firms.rules import PartyOrganisation, make_credit_code
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit
from domain.geography.rules import AreaSource, ManagementMode, UnitKind
from schema.core.relay import encode_id

_n = count(1)
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def gid(type_name: str, pk: int) -> str:
    return str(encode_id(type_name, pk))


async def street(name: str | None = None, rule_pack: str = "national") -> Street:
    return await Street.create(name=name or f"测试街道{next(_n)}", rule_pack=rule_pack, created_at=NOW)


async def community(street_row: Street | None = None, name: str | None = None) -> Community:
    street_row = street_row or await street()
    return await Community.create(street_id=street_row.id, name=name or f"测试社区{next(_n)}", created_at=NOW)


async def compound(
    community_row: Community | None = None, name: str | None = None,
    mode: ManagementMode = ManagementMode.PROFESSIONAL_FIRM, **flags: bool,
) -> Compound:
    community_row = community_row or await community()
    return await Compound.create(
        community_id=community_row.id, street_id=community_row.street_id, name=name or f"测试小区{next(_n)}",
        address="测试路1号", management_mode=mode, created_at=NOW, **flags,
    )


async def person(name: str | None = None, phone: str = "13812345678", party: bool = False) -> Person:
    return await Person.create(name=name or f"居民{next(_n)}", phone=phone, is_party_member=party, created_at=NOW)


async def unit(
    compound_row: Compound, *owners: Person, building: str = "1", entrance: str = "1", number: str | None = None,
    area: str = "100.00", held_by_developer: bool = False, kind: UnitKind = UnitKind.DWELLING,
) -> Unit:
    row = await Unit.create(
        compound_id=compound_row.id, building=building, entrance=entrance, number=number or str(next(_n)),
        kind=kind, area=Decimal(area), area_source=AreaSource.REGISTRY, held_by_developer=held_by_developer,
        created_at=NOW,
    )
    for owner in owners:
        await Ownership.create(unit_id=row.id, person_id=owner.id)
    households = 1 if kind is UnitKind.DWELLING else 0
    await Compound.filter(id=compound_row.id).update(
        household_count=compound_row.household_count + households,
        total_exclusive_area=compound_row.total_exclusive_area + Decimal(area),
    )
    await compound_row.refresh_from_db()
    return row


async def firm(
    name: str | None = None, credit_code: str | None = None,
    party: PartyOrganisation = PartyOrganisation.OWN_BRANCH,
) -> PropertyFirm:
    label = name or f"测试物业{next(_n)}"
    body = await Body.create(kind=BodyKind.PROPERTY_FIRM, name=label, created_at=NOW)
    code = credit_code or make_credit_code(next(_n))
    return await PropertyFirm.create(body_id=body.id, name=label, credit_code=code, party_organisation=party,
                                     staff_count=10, party_member_staff_count=2, created_at=NOW)


async def contract(
    firm_row: PropertyFirm, *compounds: Compound, starts_on: date = date(2026, 1, 1),
    ends_on: date = date(2028, 12, 31),
) -> ServiceContract:
    row = await ServiceContract.create(firm_id=firm_row.id, starts_on=starts_on, ends_on=ends_on,
                                       fee_per_square_metre=Decimal("2.50"), created_at=NOW)
    for c in compounds:
        await ContractCompound.create(contract_id=row.id, compound_id=c.id, firm_id_copy=firm_row.id,
                                      starts_on=starts_on, ends_on=ends_on)
    return row


async def body(kind: BodyKind, community_row: Community | None = None, name: str | None = None) -> Body:
    return await Body.create(
        kind=kind, name=name or f"{kind.value}-{next(_n)}", community_id=community_row.id if community_row else None,
        street_id=community_row.street_id if community_row else None, created_at=NOW,
    )


async def membership(
    body_row: Body, person_row: Person, role: MembershipRole = MembershipRole.MEMBER, *, paid: bool = False,
    compound_row: Compound | None = None, starts_on: date = date(2026, 1, 1), ends_on: date | None = None,
) -> Membership:
    return await Membership.create(
        body_id=body_row.id, person_id=person_row.id, role=role, starts_on=starts_on, ends_on=ends_on, paid=paid,
        compound_id=compound_row.id if compound_row else None, created_at=NOW,
    )
