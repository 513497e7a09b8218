"""Use cases of the structure area: one transaction each, with its audit event."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from domain.access.jurisdiction import registering_territory, require_persons_in_jurisdiction
from domain.accounts.rules import Scope, Viewer, require_jurisdiction
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit
from domain.geography.rules import (
    AreaSource,
    ManagementMode,
    UnitKind,
    normalise_id_number,
    normalise_phone,
    required_text,
    validate_area,
)
from domain.rulepacks import rule_pack
from domain.transaction import atomic


def not_found(what: str, field: str) -> RuleViolation:
    return RuleViolation(ErrorCode.NOT_FOUND, f"{what}不存在", field, en=f"{field} does not exist")


def duplicate(message: str, field: str, en: str) -> RuleViolation:
    return RuleViolation(ErrorCode.DUPLICATE, message, field, en=en)


def compound_scope(compound: Compound) -> Scope:
    return Scope(street_id=compound.street_id, community_id=compound.community_id, compound_id=compound.id)


async def create_street(*, actor: Viewer, name: str, rule_pack_name: str, now: datetime) -> Street:
    name = required_text(name, field="name", label="街道名称")
    if rule_pack(rule_pack_name) is None:
        raise RuleViolation(
            ErrorCode.UNKNOWN_RULE_PACK, f"没有名为 {rule_pack_name} 的规则包", "rulePack",
            en=f"No rule pack named {rule_pack_name}",
        )
    require_jurisdiction(actor, Scope())
    async with atomic():
        if await Street.exists(name=name):
            raise duplicate(f"街道“{name}”已存在", "name", en=f"Street {name} exists")
        try:  # the unique index decides between concurrent requests that both passed the check above
            street = await Street.create(name=name, rule_pack=rule_pack_name, created_at=now)
        except IntegrityError:
            raise duplicate(f"街道“{name}”已存在", "name", en=f"Street {name} exists") from None
        await record_event(actor=actor, action="createStreet", entity_type="Street", entity_id=street.id,
                           summary=f"创建街道 {name}（规则包 {rule_pack_name}）", now=now)
    return street


async def create_community(*, actor: Viewer, street_id: int, name: str, now: datetime) -> Community:
    name = required_text(name, field="name", label="社区名称")
    async with atomic():
        street = await Street.get_or_none(id=street_id)
        if street is None:
            raise not_found("街道", "streetId")
        require_jurisdiction(actor, Scope(street_id=street.id))
        if await Community.exists(street_id=street.id, name=name):
            raise duplicate(f"社区“{name}”已存在", "name", en=f"Community {name} exists")
        try:
            community = await Community.create(street_id=street.id, name=name, created_at=now)
        except IntegrityError:
            raise duplicate(f"社区“{name}”已存在", "name", en=f"Community {name} exists") from None
        await record_event(actor=actor, action="createCommunity", entity_type="Community",
                           entity_id=community.id, summary=f"在{street.name}创建社区 {name}", now=now)
    return community


@dataclass(frozen=True)
class CompoundDraft:
    community_id: int
    name: str
    address: str
    management_mode: ManagementMode
    is_old_compound: bool = False
    is_standardised: bool = False
    is_red_property: bool = False


async def create_compound(*, actor: Viewer, draft: CompoundDraft, now: datetime) -> Compound:
    name = required_text(draft.name, field="name", label="小区名称")
    address = (draft.address or "").strip()
    if len(address) > 200:  # an error, not a silent cut of what the clerk typed
        raise RuleViolation(ErrorCode.INVALID, "地址不超过200个字", "address", en="address must be at most 200 characters")
    async with atomic():
        community = await Community.get_or_none(id=draft.community_id)
        if community is None:
            raise not_found("社区", "communityId")
        require_jurisdiction(actor, Scope(street_id=community.street_id, community_id=community.id))
        if await Compound.exists(community_id=community.id, name=name):
            raise duplicate(f"小区“{name}”已存在", "name", en=f"Compound {name} exists")
        try:
            compound = await Compound.create(
                community_id=community.id, street_id=community.street_id, name=name, address=address,
                management_mode=draft.management_mode, is_old_compound=draft.is_old_compound,
                is_standardised=draft.is_standardised, is_red_property=draft.is_red_property, created_at=now,
            )
        except IntegrityError:
            raise duplicate(f"小区“{name}”已存在", "name", en=f"Compound {name} exists") from None
        await record_event(actor=actor, action="createCompound", entity_type="Compound", entity_id=compound.id,
                           summary=f"在{community.name}创建小区 {name}（{draft.management_mode}）", now=now)
    return compound


async def register_person(
    *, actor: Viewer, name: str, phone: str, id_number: str | None, is_party_member: bool, now: datetime
) -> Person:
    name = required_text(name, field="name", label="姓名", max_length=60)
    phone = normalise_phone(phone)
    id_number = normalise_id_number(id_number) if id_number else None
    street_id, community_id = await registering_territory(actor)
    async with atomic():
        if id_number and await Person.exists(id_number=id_number):
            raise duplicate("该身份证号码已登记", "idNumber", en="This ID number is already registered")
        try:
            person = await Person.create(
                name=name, phone=phone, id_number=id_number, is_party_member=is_party_member, created_at=now,
                registered_street_id=street_id, registered_community_id=community_id,
            )
        except IntegrityError:
            raise duplicate("该身份证号码已登记", "idNumber", en="This ID number is already registered") from None
        await record_event(actor=actor, action="registerPerson", entity_type="Person", entity_id=person.id,
                           summary=f"登记人员 {name}", now=now)
    return person


@dataclass(frozen=True)
class UnitDraft:
    building: str
    entrance: str
    number: str
    kind: UnitKind
    area: Decimal | str
    area_source: AreaSource
    owner_ids: tuple[int, ...]
    held_by_developer: bool = False


def _check_unit_drafts(drafts: list[UnitDraft]) -> list[Decimal]:
    if not drafts:
        raise RuleViolation(ErrorCode.INVALID, "至少登记一户", "units", en="At least one unit is required")
    areas = []
    for index, draft in enumerate(drafts):
        path = f"units.{index}"
        for attr, label in (("building", "楼栋"), ("number", "户号")):
            required_text(getattr(draft, attr), field=f"{path}.{attr}", label=label, max_length=20)
        if len(draft.entrance or "") > 20:
            raise RuleViolation(ErrorCode.INVALID, "单元号过长", f"{path}.entrance", en="entrance is too long")
        areas.append(validate_area(draft.area, field=f"{path}.area"))
        if draft.held_by_developer and draft.owner_ids:
            raise RuleViolation(ErrorCode.INVALID, "开发建设单位持有的房屋不登记业主", f"{path}.ownerIds",
                                en="A unit held by the developer has no registered owners")
        if len(set(draft.owner_ids)) != len(draft.owner_ids):
            raise RuleViolation(ErrorCode.INVALID, "业主重复", f"{path}.ownerIds", en="Owner listed twice")
    keys = Counter((d.building.strip(), (d.entrance or "").strip(), d.number.strip()) for d in drafts)
    repeated = [k for k, n in keys.items() if n > 1]
    if repeated:
        raise duplicate(f"本次登记中房屋重复：{'-'.join(repeated[0])}", "units",
                        en=f"Unit listed twice: {'-'.join(repeated[0])}")
    return areas


@dataclass(frozen=True)
class DeveloperOwner:
    """The developer (建设单位, an organisation) as owner of the units it still holds, and the person who votes
    for them (区分所有权解释 art. 9: one seat with their whole area)."""

    organisation_id: int
    representative_id: int


async def _name_developer(compound: Compound, developer: DeveloperOwner) -> None:
    from domain.bodies.models import Body  # geography is below bodies: imported where needed

    if not await Body.exists(id=developer.organisation_id):
        raise not_found("开发建设单位", "developer.organisationId")
    if not await Person.exists(id=developer.representative_id):
        raise not_found("开发建设单位代表", "developer.representativeId")
    await Compound.filter(id=compound.id).update(
        developer_id=developer.organisation_id, developer_representative_id=developer.representative_id
    )


async def register_units(
    *, actor: Viewer, compound_id: int, drafts: list[UnitDraft], now: datetime,
    developer: DeveloperOwner | None = None,
) -> tuple[Compound, list[Unit]]:
    areas = _check_unit_drafts(drafts)
    if developer is not None and not any(d.held_by_developer for d in drafts):
        raise RuleViolation(ErrorCode.INVALID, "本次登记没有开发建设单位持有的房屋", "developer",
                            en="No unit of this registration is held by the developer")
    async with atomic():
        compound = await Compound.select_for_update().get_or_none(id=compound_id)
        if compound is None:
            raise not_found("小区", "compoundId")
        require_jurisdiction(actor, compound_scope(compound))
        if developer is not None:
            await _name_developer(compound, developer)
        owner_ids = {pid for d in drafts for pid in d.owner_ids}
        known = set(await Person.filter(id__in=owner_ids).values_list("id", flat=True)) if owner_ids else set()
        if owner_ids - known:
            index = next(i for i, d in enumerate(drafts) if set(d.owner_ids) - known)
            raise not_found("业主", f"units.{index}.ownerIds")
        # Registering a unit opens the owner's record to this territory's staff: only persons already within
        # reach, or not yet linked anywhere (issue 15 item 3).
        await require_persons_in_jurisdiction(actor, sorted(owner_ids), "ownerIds")
        existing = await Unit.filter(
            compound_id=compound.id, number__in=[d.number.strip() for d in drafts]
        ).values_list("building", "entrance", "number")
        clash = {tuple(row) for row in existing} & {
            (d.building.strip(), (d.entrance or "").strip(), d.number.strip()) for d in drafts
        }
        if clash:
            label = "-".join(sorted(clash)[0])
            raise duplicate(f"房屋已登记：{label}", "units", en=f"Unit already registered: {label}")
        units = [
            Unit(compound_id=compound.id, building=d.building.strip(), entrance=(d.entrance or "").strip(),
                 number=d.number.strip(), kind=d.kind, area=area, area_source=d.area_source,
                 held_by_developer=d.held_by_developer, created_at=now)
            for d, area in zip(drafts, areas, strict=True)
        ]
        try:
            await Unit.bulk_create(units)
        except IntegrityError:
            raise duplicate("房屋已登记", "units", en="Unit already registered") from None
        # bulk_create does not return ids on every backend: read them back by their natural key.
        saved = {
            (u.building, u.entrance, u.number): u
            for u in await Unit.filter(compound_id=compound.id, number__in=[u.number for u in units])
        }
        units = [saved[(u.building, u.entrance, u.number)] for u in units]
        await Ownership.bulk_create(
            [Ownership(unit_id=u.id, person_id=pid) for u, d in zip(units, drafts, strict=True) for pid in d.owner_ids]
        )
        households = sum(1 for d in drafts if d.kind is UnitKind.DWELLING)
        await Compound.filter(id=compound.id).update(
            household_count=F("household_count") + households,
            total_exclusive_area=F("total_exclusive_area") + sum(areas, Decimal(0)),
        )
        await compound.refresh_from_db()
        await record_event(actor=actor, action="registerUnits", entity_type="Compound", entity_id=compound.id,
                           summary=f"{compound.name} 登记 {len(units)} 户，面积 {sum(areas, Decimal(0))} ㎡"
                           + (f"，开发建设单位 {developer.organisation_id}（代表 {developer.representative_id}）"
                              if developer is not None else ""), now=now)
    return compound, units
