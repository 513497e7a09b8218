"""Pure rules of bodies and memberships."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.errors import ErrorCode, RuleViolation


class BodyKind(StrEnum):
    COMMUNITY_PARTY_ORGANISATION = "COMMUNITY_PARTY_ORGANISATION"
    RESIDENTS_COMMITTEE = "RESIDENTS_COMMITTEE"
    OWNERS_COMMITTEE = "OWNERS_COMMITTEE"
    PROPERTY_MANAGEMENT_COMMITTEE = "PROPERTY_MANAGEMENT_COMMITTEE"
    PROPERTY_FIRM = "PROPERTY_FIRM"
    FIRM_PARTY_ORGANISATION = "FIRM_PARTY_ORGANISATION"
    STREET_OFFICE = "STREET_OFFICE"
    DISTRICT_CENTRE = "DISTRICT_CENTRE"
    CO_BUILDING_UNIT = "CO_BUILDING_UNIT"
    OTHER = "OTHER"


class MembershipRole(StrEnum):
    SECRETARY = "SECRETARY"
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY"
    CHAIR = "CHAIR"
    VICE_CHAIR = "VICE_CHAIR"
    MEMBER = "MEMBER"
    PART_TIME_MEMBER = "PART_TIME_MEMBER"
    PARTY_BUILDING_INSTRUCTOR = "PARTY_BUILDING_INSTRUCTOR"
    PROJECT_MANAGER = "PROJECT_MANAGER"
    QUALITY_SUPERVISOR = "QUALITY_SUPERVISOR"
    STAFF = "STAFF"
    GRID_WORKER = "GRID_WORKER"


# Bodies created through createBody; owners' bodies are formed by formOwnersCommittee, firms by registerPropertyFirm.
CREATABLE_KINDS = {
    BodyKind.COMMUNITY_PARTY_ORGANISATION,
    BodyKind.RESIDENTS_COMMITTEE,
    BodyKind.FIRM_PARTY_ORGANISATION,
    BodyKind.STREET_OFFICE,
    BodyKind.DISTRICT_CENTRE,
    BodyKind.CO_BUILDING_UNIT,
    BodyKind.OTHER,
}
COMMUNITY_KINDS = {BodyKind.COMMUNITY_PARTY_ORGANISATION, BodyKind.RESIDENTS_COMMITTEE}
# Posts tied to one compound must name it.
COMPOUND_ROLES = {MembershipRole.PROJECT_MANAGER, MembershipRole.QUALITY_SUPERVISOR, MembershipRole.GRID_WORKER}


def check_body_anchor(
    kind: BodyKind, *, community_id: int | None, firm_id: int | None, street_id: int | None
) -> None:
    """Which parent a body needs: community bodies a community, a firm's Party organisation its firm."""
    if kind not in CREATABLE_KINDS:
        raise RuleViolation(
            ErrorCode.INVALID,
            "该类组织不能用此操作创建（业委会、物管会由组建操作产生，物业企业由登记操作产生）",
            "kind",
            en="This kind of body is not created with createBody",
        )
    if kind in COMMUNITY_KINDS and community_id is None:
        raise RuleViolation(ErrorCode.INVALID, "社区组织须指定社区", "communityId", en="communityId is required")
    if kind is BodyKind.FIRM_PARTY_ORGANISATION and firm_id is None:
        raise RuleViolation(ErrorCode.INVALID, "企业党组织须指定物业企业", "firmId", en="firmId is required")
    if kind is BodyKind.STREET_OFFICE and street_id is None and community_id is None:
        raise RuleViolation(ErrorCode.INVALID, "街道办须指定街道或社区", "streetId", en="streetId is required")


def check_membership_terms(
    role: MembershipRole, *, starts_on: date, ends_on: date | None, compound_id: int | None
) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise RuleViolation(ErrorCode.INVALID, "任职结束日期早于开始日期", "endsOn", en="endsOn precedes startsOn")
    if role in COMPOUND_ROLES and compound_id is None:
        raise RuleViolation(
            ErrorCode.INVALID, "该岗位须指定所服务的小区", "compoundId", en="This post must name its compound"
        )


def is_current(starts_on: date, ends_on: date | None, today: date) -> bool:
    return starts_on <= today and (ends_on is None or today <= ends_on)
