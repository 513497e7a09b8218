"""Who may sit on an owners' body: composition, conflicts of interest, the negative list, Party-member share.

Every number comes from the street's rule pack; the legal source of each rule is in its pack file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from fractions import Fraction

from domain.committees.values import (
    CommitteeKind,
    CompoundSize,
    FirmPost,
    Listing,
    Proposal,
    Relation,
    Seat,
    SeatRole,
)
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.model import RulePack


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def size_bounds(kind: CommitteeKind, compound: CompoundSize, pack: RulePack) -> tuple[int, int | None, bool]:
    """(minimum, maximum or None when the law sets none, must be odd) for a committee of this kind here."""
    if kind is CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE:
        mc = pack.management_committee
        return mc.min_size, mc.max_size, mc.odd_size
    oc = pack.owners_committee
    # 京条例 art. 39: "一百户以下" households; 沪规定 art. 20: "一万平方米以下" (以下 includes the figure itself); 0 = no
    # exception. Shanghai counts 建筑面积; the service records the exclusive area only and uses it as the measure.
    small = (oc.small_compound_households > 0 and compound.households <= oc.small_compound_households) or (
        oc.small_area_m2 > 0 and compound.exclusive_area_m2 <= oc.small_area_m2
    )
    return (oc.small_min_size if small else oc.min_size), oc.max_size, oc.odd_size


def check_size(kind: CommitteeKind, size: int, compound: CompoundSize, pack: RulePack) -> None:
    low, high, odd = size_bounds(kind, compound, pack)
    if size < low or (high is not None and size > high) or (odd and size % 2 == 0):
        parity_zh, parity_en = ("单数", " and odd") if odd else ("", "")
        range_zh = f"{low}–{high} 人" if high is not None else f"{low} 人以上"
        range_en = f"{low}-{high}" if high is not None else f"{low} or more"
        raise RuleViolation(
            ErrorCode.COMMITTEE_SIZE,
            f"委员人数须为 {range_zh}{parity_zh}（{pack.title}），现为 {size} 人",
            "members",
            en=f"a committee needs {range_en} members{parity_en} under {pack.name}, got {size}",
        )


def check_seats(seats: tuple[Seat, ...]) -> None:
    if len({seat.person_id for seat in seats}) != len(seats):
        raise RuleViolation(ErrorCode.INVALID, "同一人不得占两个席位", "members", en="a person holds one seat only")
    chairs = sum(1 for seat in seats if seat.role is SeatRole.CHAIR)
    if chairs != 1:
        raise RuleViolation(
            ErrorCode.INVALID,
            f"须有且仅有一名主任，现为 {chairs} 名",
            "members",
            en=f"a committee has exactly one chair, got {chairs}",
        )


def check_owners(kind: CommitteeKind, seats: tuple[Seat, ...], pack: RulePack) -> None:
    if kind is CommitteeKind.OWNERS_COMMITTEE:
        # 指导规则 art. 31 / 京条例 art. 39 / 沪规定 art. 20: every owners'-committee member is an owner of the compound.
        for index, seat in enumerate(seats):
            if not seat.is_owner:
                raise RuleViolation(
                    ErrorCode.NOT_AN_OWNER,
                    "业主委员会委员须为本小区业主",
                    ("members", str(index), "personId"),
                    en="every owners' committee member must own a unit in the compound",
                )
        return
    mc = pack.management_committee
    # 京条例 art. 54: owner representatives make up at least half of a 物管会.
    owners = sum(1 for seat in seats if seat.is_owner)
    if not (Fraction(owners, len(seats)) >= mc.min_owner_share if seats else False):
        raise RuleViolation(
            ErrorCode.NOT_AN_OWNER,
            f"物管会业主代表须不少于 {mc.min_owner_share}，现为 {owners}/{len(seats)}",
            "members",
            en=f"owner representatives must be at least {mc.min_owner_share} of the members, got {owners}/{len(seats)}",
        )
    # 京条例 art. 54: the vice-chair is an owner representative (named by the residents' committee).
    if mc.vice_chair_owner_representative:
        for seat in seats:
            if seat.role is SeatRole.VICE_CHAIR and not seat.is_owner:
                raise RuleViolation(
                    ErrorCode.NOT_AN_OWNER,
                    "物管会副主任须由业主代表担任",
                    "members",
                    en="the vice-chair of a property management committee must be an owner representative",
                )
    # 京条例 art. 54: the 物管会 is chaired by the residents' committee representative.
    if mc.chair_from_residents_committee:
        chair = next(seat for seat in seats if seat.role is SeatRole.CHAIR)
        if not chair.is_residents_committee_member:
            raise RuleViolation(
                ErrorCode.INVALID,
                "物管会主任须由居民委员会代表担任",
                "members",
                en="the chair of a property management committee must come from the residents' committee",
            )


def check_term(kind: CommitteeKind, elected_on: date, term_ends_on: date, pack: RulePack) -> None:
    if term_ends_on <= elected_on:
        raise RuleViolation(ErrorCode.INVALID, "任期结束日须晚于选举日", "termEndsOn", en="the term must end after it starts")
    if kind is CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE:
        max_years, min_years = pack.management_committee.max_term_years, 0
    else:
        max_years, min_years = pack.owners_committee.max_term_years, pack.owners_committee.min_term_years
    if term_ends_on > add_years(elected_on, max_years):
        raise RuleViolation(
            ErrorCode.TERM_TOO_LONG,
            f"任期不得超过 {max_years} 年（{pack.title}）",
            "termEndsOn",
            en=f"the term may not exceed {max_years} years under {pack.name}",
        )
    if min_years and term_ends_on < add_years(elected_on, min_years):
        raise RuleViolation(
            ErrorCode.INVALID,
            f"任期不得少于 {min_years} 年（{pack.title}）",
            "termEndsOn",
            en=f"the term must last at least {min_years} years under {pack.name}",
        )


def check_election_dates(elected_on: date, term_ends_on: date, *, today: date) -> None:
    if elected_on > today:
        raise RuleViolation(ErrorCode.INVALID, "选举日期不能晚于今天", "electedOn", en="the election cannot lie ahead")
    if term_ends_on < today:
        raise RuleViolation(
            ErrorCode.INVALID, "任期已经届满，不能再组建", "termEndsOn", en="that term has already ended"
        )


def check_composition(proposal: Proposal, compound: CompoundSize, pack: RulePack) -> None:
    """Size, seats, owners and term of a proposed committee, in that order; raises the first violation."""
    if not proposal.seats:
        raise RuleViolation(ErrorCode.COMMITTEE_SIZE, "委员名单不能为空", "members", en="a committee needs members")
    check_size(proposal.kind, len(proposal.seats), compound, pack)
    check_seats(proposal.seats)
    check_owners(proposal.kind, proposal.seats, pack)
    check_term(proposal.kind, proposal.elected_on, proposal.term_ends_on, pack)


def conflicted_members(
    member_ids: Iterable[int], relations: Iterable[Relation], firm_posts: Iterable[FirmPost]
) -> dict[int, FirmPost]:
    """Members who, themselves or through a declared relative, work for the serving firm, with the post."""
    # 京条例 art. 39, 沪规定 art. 20: a member, their spouse or direct relatives must not work for the serving firm.
    # A declared, unpaid quality-supervisor post is a cross-appointment, not a conflict.
    posts = {post.person_id: post for post in firm_posts if not post.is_declared_quality_supervision}
    relatives: dict[int, set[int]] = {}
    for relation in relations:
        relatives.setdefault(relation.person_id, set()).add(relation.relative_id)
        relatives.setdefault(relation.relative_id, set()).add(relation.person_id)
    conflicts: dict[int, FirmPost] = {}
    for member in member_ids:
        for person in (member, *sorted(relatives.get(member, ()))):
            if person in posts:
                conflicts[member] = posts[person]
                break
    return conflicts


def check_conflict_of_interest(
    member_ids: Iterable[int], relations: Iterable[Relation], firm_posts: Iterable[FirmPost], *, field: str = "members"
) -> None:
    conflicts = conflicted_members(list(member_ids), relations, firm_posts)
    if conflicts:
        member, post = next(iter(conflicts.items()))
        whose_zh, whose_en = ("本人", "the member") if post.person_id == member else ("其近亲属", "a declared relative")
        raise RuleViolation(
            ErrorCode.CONFLICT_OF_INTEREST,
            f"委员{whose_zh}在服务本小区的物业企业任职（{post.role}），存在利害关系",
            field,
            en=f"{whose_en} of a member holds a post ({post.role}) at the firm serving the compound",
        )


def check_negative_list(member_ids: Iterable[int], listings: Iterable[Listing], *, on: date) -> None:
    listed = {listing.person_id: listing for listing in listings if listing.binds_on(on)}
    for member in member_ids:
        if member in listed:
            reason = listed[member].reason
            raise RuleViolation(
                ErrorCode.NEGATIVE_LISTED,
                f"候选人列入后备人员负面清单（{reason or '未注明'}），尚未移出",
                "members",
                en=f"a member is on the reserve candidates' negative list ({reason or 'no reason given'})",
            )


def check_can_form(existing: CommitteeKind | None, kind: CommitteeKind) -> bool:
    """Whether forming `kind` supersedes the live `existing` body; raises when a live body blocks it."""
    if existing is None:
        return False
    # 京条例 art. 59: a 物管会 gives way once an owners' committee is elected.
    if existing is CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE and kind is CommitteeKind.OWNERS_COMMITTEE:
        return True
    raise RuleViolation(
        ErrorCode.COMMITTEE_EXISTS,
        "本小区已有在任的业主组织",
        "compoundId",
        en="the compound already has an owners' body in office",
    )


def party_member_share(seats: Iterable[Seat]) -> Fraction | None:
    """Party members ÷ seats: a policy indicator (target ≥ 1/2), never a reason to reject an election."""
    seats = list(seats)
    if not seats:
        return None
    return Fraction(sum(1 for seat in seats if seat.is_party_member), len(seats))


def check_formation(
    proposal: Proposal,
    compound: CompoundSize,
    pack: RulePack,
    *,
    existing: CommitteeKind | None = None,
    relations: Iterable[Relation] = (),
    firm_posts: Iterable[FirmPost] = (),
    listings: Iterable[Listing] = (),
) -> bool:
    """Every rule for forming an owners' body; returns whether a live 物管会 is superseded."""
    supersedes = check_can_form(existing, proposal.kind)
    check_composition(proposal, compound, pack)
    member_ids = [seat.person_id for seat in proposal.seats]
    check_negative_list(member_ids, listings, on=proposal.elected_on)
    check_conflict_of_interest(member_ids, relations, firm_posts)
    return supersedes


def formation_rate(compounds_with_body: int, compounds: int) -> Fraction | None:
    """Compounds with an owners' body in office ÷ compounds (业委会组建率): a policy indicator."""
    return Fraction(compounds_with_body, compounds) if compounds else None
