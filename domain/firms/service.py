"""Use cases of firms and contracts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Scope, Viewer, require_jurisdiction
from domain.audit.service import record_event
from domain.calendar import local_date
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind
from domain.errors import ErrorCode, RuleViolation
from domain.firms.models import ContractCompound, PropertyFirm, ServiceContract
from domain.firms.rules import (
    PartyOrganisation,
    normalise_credit_code,
    validate_contract_terms,
    validate_staff_counts,
)
from domain.geography.models import Compound
from domain.geography.rules import required_text
from domain.geography.service import compound_scope, not_found
from domain.transaction import atomic
from domain.firms.coverage import coverage_in_force


@dataclass(frozen=True)
class FirmDraft:
    name: str
    credit_code: str
    party_organisation: PartyOrganisation
    staff_count: int = 0
    party_member_staff_count: int = 0
    party_building_instructor: str | None = None


async def register_firm(*, actor: Viewer, draft: FirmDraft, now: datetime) -> PropertyFirm:
    name = required_text(draft.name, field="name", label="企业名称", max_length=120)
    code = normalise_credit_code(draft.credit_code)
    validate_staff_counts(draft.staff_count, draft.party_member_staff_count)
    given_instructor = (draft.party_building_instructor or "").strip()
    instructor = required_text(given_instructor, field="partyBuildingInstructor", label="党建指导员",
                               max_length=60) if given_instructor else None
    require_jurisdiction(actor, Scope())
    async with atomic():
        if await PropertyFirm.exists(credit_code=code):
            raise RuleViolation(ErrorCode.DUPLICATE, "该统一社会信用代码已登记", "creditCode",
                                en="This credit code is already registered")
        body = await Body.create(kind=BodyKind.PROPERTY_FIRM, name=name, created_at=now)
        try:
            firm = await PropertyFirm.create(
                body_id=body.id, name=name, credit_code=code, party_organisation=draft.party_organisation,
                party_building_instructor=instructor, staff_count=draft.staff_count,
                party_member_staff_count=draft.party_member_staff_count, created_at=now,
            )
        except IntegrityError:
            raise RuleViolation(ErrorCode.DUPLICATE, "该统一社会信用代码已登记", "creditCode",
                                en="This credit code is already registered") from None
        await record_event(actor=actor, action="registerPropertyFirm", entity_type="PropertyFirm",
                           entity_id=firm.id, summary=f"登记物业企业 {name}（{code}）", now=now)
    return firm



async def sign_contract(
    *, actor: Viewer, firm_id: int, compound_ids: list[int], starts_on: date, ends_on: date,
    fee_per_square_metre: Decimal | str, now: datetime,
) -> tuple[ServiceContract, list[Compound]]:
    fee = validate_contract_terms(starts_on, ends_on, fee_per_square_metre)
    if not compound_ids or len(set(compound_ids)) != len(compound_ids):
        raise RuleViolation(ErrorCode.INVALID, "须列出不重复的小区", "compoundIds", en="List distinct compounds")
    async with atomic():
        firm = await PropertyFirm.get_or_none(id=firm_id)
        if firm is None:
            raise not_found("物业企业", "firmId")
        # Row locks on the compounds order concurrent signings (PostgreSQL); SQLite writers are serial.
        compounds = await Compound.filter(id__in=compound_ids).select_for_update().order_by("id")
        if len(compounds) != len(compound_ids):
            raise not_found("小区", "compoundIds")
        for compound in compounds:
            require_jurisdiction(actor, compound_scope(compound))
        from domain.evaluation.standing import refuse_blacklisted_firm

        await refuse_blacklisted_firm(firm, local_date(now))  # FIRM_BLACKLISTED
        # 物业管理条例 art. 33: one compound, one serving firm at a time.
        # A contract terminated on day T serves until T - 1, so it clashes only if T falls after startsOn.
        clash = await coverage_in_force(starts_on, ends_on).filter(compound_id__in=compound_ids).first()
        if clash is not None:
            taken = next(c for c in compounds if c.id == clash.compound_id)
            raise RuleViolation(
                ErrorCode.COMPOUND_ALREADY_SERVED,
                f"小区“{taken.name}”在该期间已有物业服务合同",
                "compoundIds",
                en=f"Compound {taken.name} is already served in that period",
            )
        contract = await ServiceContract.create(
            firm_id=firm.id, starts_on=starts_on, ends_on=ends_on, fee_per_square_metre=fee, created_at=now
        )
        await ContractCompound.bulk_create([
            ContractCompound(contract_id=contract.id, compound_id=c.id, firm_id_copy=firm.id,
                             starts_on=starts_on, ends_on=ends_on)
            for c in compounds
        ])
        await record_event(
            actor=actor, action="signServiceContract", entity_type="ServiceContract", entity_id=contract.id,
            summary=f"{firm.name} 签订物业服务合同 {starts_on}–{ends_on}，覆盖 {len(compounds)} 个小区", now=now,
        )
    return contract, list(compounds)
