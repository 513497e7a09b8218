"""Cross-appointments (双向进入、交叉任职): one person holding posts in two bodies, and when that is lawful."""

from __future__ import annotations

from collections.abc import Mapping

from domain.committees.values import QUALITY_SUPERVISOR, Basis, Post, PostBody
from domain.errors import ErrorCode, RuleViolation

COMMITTEE_BODIES = frozenset({PostBody.OWNERS_COMMITTEE, PostBody.PROPERTY_MANAGEMENT_COMMITTEE})


def _firm_conflict(seat: Post, other: Post, serving_firm_by_compound: Mapping[int, int]) -> bool:
    if seat.body not in COMMITTEE_BODIES or other.body is not PostBody.PROPERTY_FIRM or seat.compound_id is None:
        return False
    if serving_firm_by_compound.get(seat.compound_id) != other.firm_id:
        return False
    # 京条例 art. 39, 沪规定 art. 20: no paid post at the serving firm; an unpaid quality supervisor (质量总监) is
    # the supervision the policy asks for.
    return not (other.role == QUALITY_SUPERVISOR and not other.paid)


def check_cross_appointment(
    home: Post,
    concurrent: Post,
    basis: Basis,
    *,
    owned_compound_ids: frozenset[int],
    serving_firm_by_compound: Mapping[int, int],
) -> None:
    """Raises unless `concurrent` may be held together with `home` on `basis`."""
    if home.person_id != concurrent.person_id:
        raise RuleViolation(
            ErrorCode.NOT_SAME_PERSON,
            "两个职务须由同一人担任",
            "concurrentMembershipId",
            en="both memberships must belong to the same person",
        )
    if home == concurrent:
        raise RuleViolation(ErrorCode.INVALID, "两个职务不能相同", "concurrentMembershipId", en="the posts must differ")
    for field, post in (("homeMembershipId", home), ("concurrentMembershipId", concurrent)):
        # 指导规则 art. 31: an owners'-committee seat needs an owner of that compound.
        if post.body is PostBody.OWNERS_COMMITTEE and post.compound_id not in owned_compound_ids:
            raise RuleViolation(
                ErrorCode.NOT_AN_OWNER,
                "业主委员会委员须为本小区业主",
                field,
                en="an owners' committee seat needs an owner of the compound",
            )
    # 双向进入 “通过法定程序”: a 两委 member enters the owners' committee only by the assembly's election;
    # a 物管会 seat may be ex officio.
    if concurrent.body is PostBody.OWNERS_COMMITTEE and basis is not Basis.ELECTED_BY_OWNERS_ASSEMBLY:
        raise RuleViolation(
            ErrorCode.NOT_ELECTED,
            "进入业主委员会须经业主大会依法选举",
            "basis",
            en="an owners' committee seat must be obtained by election of the owners' assembly",
        )
    if _firm_conflict(home, concurrent, serving_firm_by_compound) or _firm_conflict(
        concurrent, home, serving_firm_by_compound
    ):
        raise RuleViolation(
            ErrorCode.CONFLICT_OF_INTEREST,
            "业主组织成员不得在服务本小区的物业企业担任有偿职务（无偿质量总监除外）",
            "concurrentMembershipId",
            en="a committee member may not hold a paid post at the firm serving the compound",
        )
