"""Owners' committees and 物管会: composition, conflicts of interest and the negative list, under each shipped pack."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.committees.rules import (
    add_years,
    check_election_dates,
    check_formation,
    check_size,
    conflicted_members,
    formation_rate,
    party_member_share,
    size_bounds,
)
from domain.committees.values import (
    QUALITY_SUPERVISOR,
    CommitteeKind,
    CompoundSize,
    FirmPost,
    ListKind,
    Listing,
    NegativeReason,
    Proposal,
    Relation,
    RelationKind,
    Seat,
    SeatRole,
)
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks import rule_pack

PACKS = ("national", "beijing", "shanghai", "shandong")
OC = CommitteeKind.OWNERS_COMMITTEE
MC = CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE
LARGE = CompoundSize(households=800, exclusive_area_m2=Decimal("60000"))
ELECTED = date(2026, 3, 1)


def seats(n: int, *, owners: int | None = None, chair_from_rc: bool = True, party: int = 0) -> tuple[Seat, ...]:
    owners = n if owners is None else owners
    return tuple(
        Seat(
            person_id=i + 1,
            role=SeatRole.CHAIR if i == 0 else SeatRole.MEMBER,
            is_owner=i >= n - owners,
            is_party_member=i < party,
            is_residents_committee_member=chair_from_rc and i == 0,
        )
        for i in range(n)
    )


def proposal(kind: CommitteeKind, members: tuple[Seat, ...], *, years: int = 3, end: date | None = None) -> Proposal:
    return Proposal(kind, ELECTED, end or add_years(ELECTED, years), members)


def outcome(call) -> ErrorCode | None:
    try:
        call()
    except RuleViolation as violation:
        return violation.code
    return None


@pytest.mark.parametrize(
    "_case, pack, kind, size, compound, expected",
    [
        ("指导规则 art. 31: five members is the national minimum", "national", OC, 5, LARGE, None),
        ("指导规则 art. 31: eleven members is the national maximum", "national", OC, 11, LARGE, None),
        ("指导规则 art. 31: four members is too few", "national", OC, 4, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("指导规则 art. 31: six members is even", "national", OC, 6, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("指导规则 art. 31: thirteen members is too many", "national", OC, 13, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("national has no small-compound exception", "national", OC, 3, CompoundSize(50, Decimal("3000")),
         ErrorCode.COMMITTEE_SIZE),
        ("京条例 art. 39: thirteen members (五人以上单数, no maximum)", "beijing", OC, 13, LARGE, None),
        ("京条例 art. 39: three members at 100 households", "beijing", OC, 3, CompoundSize(100, Decimal("9000")), None),
        ("京条例 art. 39: three members refused at 101 households", "beijing", OC, 3, CompoundSize(101, Decimal("9000")),
         ErrorCode.COMMITTEE_SIZE),
        ("京条例 art. 39: seven members, odd", "beijing", OC, 7, LARGE, None),
        ("京条例 art. 39: eight members is even", "beijing", OC, 8, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("京条例 art. 39: a small compound still needs an odd number", "beijing", OC, 4, CompoundSize(80, Decimal("1")),
         ErrorCode.COMMITTEE_SIZE),
        ("沪规定 art. 20: three members under 10,000 m²", "shanghai", OC, 3, CompoundSize(500, Decimal("9999.99")),
         None),
        ("沪规定 art. 20: 一万平方米以下 includes 10,000 m²", "shanghai", OC, 3, CompoundSize(50, Decimal("10000")),
         None),
        ("沪规定 art. 20: three members refused over 10,000 m²", "shanghai", OC, 3,
         CompoundSize(50, Decimal("10000.01")), ErrorCode.COMMITTEE_SIZE),
        ("沪规定 art. 20: thirteen members (no maximum)", "shanghai", OC, 13, LARGE, None),
        ("沪规定 art. 20: nine members", "shanghai", OC, 9, LARGE, None),
        ("鲁条例: five members", "shandong", OC, 5, LARGE, None),
        ("鲁条例: no small-compound exception", "shandong", OC, 3, CompoundSize(40, Decimal("2000")),
         ErrorCode.COMMITTEE_SIZE),
        ("鲁条例 art. 30: twelve members is even", "shandong", OC, 12, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("鲁条例 art. 30: thirteen members (no maximum)", "shandong", OC, 13, LARGE, None),
        ("京条例 art. 54: a 物管会 needs at least seven", "beijing", MC, 5, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("京条例 art. 54: a 物管会 of seven", "beijing", MC, 7, LARGE, None),
        ("京条例 art. 54: a 物管会 of seventeen (七人以上单数, no maximum)", "beijing", MC, 17, LARGE, None),
        ("京条例 art. 54: a 物管会 is odd", "beijing", MC, 10, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("京条例 art. 39: the small-compound exception is for owners' committees only", "beijing", MC, 3,
         CompoundSize(60, Decimal("1000")), ErrorCode.COMMITTEE_SIZE),
        ("national 物管会 of five is too few (domain.md: >= 7)", "national", MC, 5, LARGE, ErrorCode.COMMITTEE_SIZE),
        ("national 物管会 of thirteen", "national", MC, 13, LARGE, None),
        ("shanghai 物管会 of seven", "shanghai", MC, 7, LARGE, None),
        ("shandong 物管会 of four", "shandong", MC, 4, LARGE, ErrorCode.COMMITTEE_SIZE),
    ],
)
def test_committee_size_follows_the_pack(_case, pack, kind, size, compound, expected):
    members = seats(size)

    code = outcome(lambda: check_formation(proposal(kind, members), compound, rule_pack(pack)))

    assert code == expected


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize(
    "_case, kind, members, expected",
    [
        ("指导规则 art. 31: every owners'-committee member is an owner", OC, seats(5, owners=4), ErrorCode.NOT_AN_OWNER),
        ("指导规则 art. 31: a committee of owners", OC, seats(5), None),
        ("京条例 art. 53: owner representatives at least half of a 物管会", MC, seats(7, owners=3),
         ErrorCode.NOT_AN_OWNER),
        ("京条例 art. 53: four owners of seven is enough", MC, seats(7, owners=4), None),
        ("京条例 art. 53: the 物管会 chair comes from the residents' committee", MC,
         seats(7, owners=6, chair_from_rc=False), ErrorCode.INVALID),
        ("指导规则 art. 31: one chair, not none", OC,
         tuple(Seat(i, SeatRole.MEMBER, True) for i in range(1, 8)), ErrorCode.INVALID),
        ("指导规则 art. 31: one chair, not two", OC,
         tuple(Seat(i, SeatRole.CHAIR if i < 3 else SeatRole.VICE_CHAIR, True) for i in range(1, 8)), ErrorCode.INVALID),
        ("a person holds one seat", OC, (*seats(6), Seat(1, SeatRole.MEMBER, True)), ErrorCode.INVALID),
    ],
)
def test_seats_need_owners_and_one_chair(_case, kind, members, expected, pack):
    code = outcome(lambda: check_formation(proposal(kind, members), LARGE, rule_pack(pack)))

    assert code == expected


@pytest.mark.parametrize(
    "_case, pack, kind, end, expected",
    [
        ("指导规则 art. 32: a five-year term", "national", OC, add_years(ELECTED, 5), None),
        ("指导规则 art. 32: five years and a day is too long", "national", OC, date(2031, 3, 2), ErrorCode.TERM_TOO_LONG),
        ("national has no minimum term", "national", OC, date(2026, 9, 1), None),
        ("京条例 art. 41: a five-year term", "beijing", OC, add_years(ELECTED, 5), None),
        ("京条例 art. 41: six years is too long", "beijing", OC, add_years(ELECTED, 6), ErrorCode.TERM_TOO_LONG),
        ("京条例 art. 58: a 物管会 term of three years", "beijing", MC, add_years(ELECTED, 3), None),
        ("京条例 art. 58: a 物管会 term over three years", "beijing", MC, date(2029, 3, 2), ErrorCode.TERM_TOO_LONG),
        ("沪规定 art. 20: five years and a day is too long", "shanghai", OC, date(2031, 3, 2), ErrorCode.TERM_TOO_LONG),
        ("沪规定 art. 20: a two-year term is too short (三年到五年)", "shanghai", OC, add_years(ELECTED, 2),
         ErrorCode.INVALID),
        ("沪规定 art. 20: exactly three years", "shanghai", OC, add_years(ELECTED, 3), None),
        ("沪规定: the minimum is for owners' committees, not a 物管会", "shanghai", MC, add_years(ELECTED, 1), None),
        ("鲁条例 art. 30: a two-year term (no minimum)", "shandong", OC, add_years(ELECTED, 2), None),
        ("鲁条例 art. 30: at most five years", "shandong", OC, date(2031, 3, 2), ErrorCode.TERM_TOO_LONG),
        ("a term ends after it starts", "national", OC, ELECTED, ErrorCode.INVALID),
    ],
)
def test_term_length_follows_the_pack(_case, pack, kind, end, expected):
    members = seats(7, owners=7 if kind is OC else 5)

    code = outcome(lambda: check_formation(proposal(kind, members, end=end), LARGE, rule_pack(pack)))

    assert code == expected


SPOUSE_OF_2 = Relation(2, 90, RelationKind.SPOUSE)


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize(
    "_case, relations, posts, expected",
    [
        ("京条例 art. 39 / 沪规定 art. 20: a member paid by the serving firm", (),
         (FirmPost(3, "STAFF", paid=True),), ErrorCode.CONFLICT_OF_INTEREST),
        ("京条例 art. 39: a member's spouse paid by the serving firm", (SPOUSE_OF_2,),
         (FirmPost(90, "PROJECT_MANAGER", paid=True),), ErrorCode.CONFLICT_OF_INTEREST),
        ("京条例 art. 39: the relative declared the member, not the other way round",
         (Relation(90, 2, RelationKind.CHILD),), (FirmPost(90, "STAFF", paid=True),), ErrorCode.CONFLICT_OF_INTEREST),
        ("沪规定 art. 20: a member working unpaid for the firm still works for it", (),
         (FirmPost(3, "PROJECT_MANAGER", paid=False),), ErrorCode.CONFLICT_OF_INTEREST),
        ("双向进入: an unpaid, declared quality supervisor is supervision, not a conflict", (),
         (FirmPost(3, QUALITY_SUPERVISOR, paid=False),), None),
        ("京条例 art. 39: a paid quality supervisor is a post at the firm", (),
         (FirmPost(3, QUALITY_SUPERVISOR, paid=True),), ErrorCode.CONFLICT_OF_INTEREST),
        ("a relative of someone outside the committee does not matter", (Relation(99, 90, RelationKind.SPOUSE),),
         (FirmPost(90, "STAFF", paid=True),), None),
        ("an undeclared person at the firm does not matter", (SPOUSE_OF_2,), (FirmPost(91, "STAFF", paid=True),), None),
    ],
)
def test_conflict_of_interest_reaches_declared_relatives(_case, relations, posts, expected, pack):
    code = outcome(
        lambda: check_formation(proposal(OC, seats(5)), LARGE, rule_pack(pack), relations=relations, firm_posts=posts)
    )

    assert code == expected


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize(
    "_case, listing, expected",
    [
        ("后备人员负面清单: fee arrears bar the candidate",
         Listing(4, ListKind.NEGATIVE, date(2025, 1, 1), NegativeReason.FEE_ARREARS), ErrorCode.NEGATIVE_LISTED),
        ("后备人员负面清单: illegal construction bars the candidate",
         Listing(4, ListKind.NEGATIVE, date(2025, 1, 1), NegativeReason.ILLEGAL_CONSTRUCTION), ErrorCode.NEGATIVE_LISTED),
        ("后备人员负面清单: a listing cleared before the election no longer binds",
         Listing(4, ListKind.NEGATIVE, date(2025, 1, 1), NegativeReason.FEE_ARREARS, cleared_on=date(2026, 2, 1)), None),
        ("后备人员负面清单: a listing cleared after the election bound on election day",
         Listing(4, ListKind.NEGATIVE, date(2025, 1, 1), NegativeReason.FIRM_INTEREST, cleared_on=date(2026, 4, 1)),
         ErrorCode.NEGATIVE_LISTED),
        ("后备人员负面清单: a listing made after the election", Listing(4, ListKind.NEGATIVE, date(2026, 5, 1)), None),
        ("后备人员正面清单: a positive listing is no bar", Listing(4, ListKind.POSITIVE, date(2025, 1, 1)), None),
    ],
)
def test_negative_listing_bars_a_member_until_cleared(_case, listing, expected, pack):
    code = outcome(lambda: check_formation(proposal(OC, seats(5)), LARGE, rule_pack(pack), listings=(listing,)))

    assert code == expected


@pytest.mark.parametrize(
    "_case, existing, kind, expected",
    [
        ("one owners' body per compound: a second owners' committee", OC, OC, ErrorCode.COMMITTEE_EXISTS),
        ("one owners' body per compound: a 物管会 beside an owners' committee", OC, MC, ErrorCode.COMMITTEE_EXISTS),
        ("one owners' body per compound: a second 物管会", MC, MC, ErrorCode.COMMITTEE_EXISTS),
        ("京条例 art. 59: an elected owners' committee supersedes the 物管会", MC, OC, "supersedes"),
        ("a compound without a body", None, OC, "new"),
    ],
)
def test_a_compound_has_one_owners_body_in_office(_case, existing, kind, expected):
    members = seats(7, owners=7 if kind is OC else 5)
    result: object = None

    def form():
        nonlocal result
        superseded = check_formation(proposal(kind, members), LARGE, rule_pack("beijing"), existing=existing)
        result = "supersedes" if superseded else "new"

    code = outcome(form)

    assert (code or result) == expected


def test_the_first_violation_is_the_size_before_owners_and_term():
    members = seats(4, owners=0)

    code = outcome(lambda: check_formation(proposal(OC, members, years=9), LARGE, rule_pack("national")))

    assert code == ErrorCode.COMMITTEE_SIZE


def test_a_violation_names_the_field_and_speaks_both_languages():
    members = seats(5, owners=4)

    with pytest.raises(RuleViolation) as raised:
        check_formation(proposal(OC, members), LARGE, rule_pack("national"))

    assert raised.value.field == ("members", "0", "personId")
    assert "业主" in raised.value.message and "owner" in raised.value.message_en


@pytest.mark.parametrize(
    "_case, members, expected",
    [
        ("Jiangsu 2020 / Shenzhen 2022 indicator: four Party members of seven", seats(7, party=4), Fraction(4, 7)),
        ("indicator: no Party members", seats(5), Fraction(0)),
        ("indicator: no seats, no share", (), None),
    ],
)
def test_party_member_share_is_an_indicator(_case, members, expected):
    assert party_member_share(members) == expected


@pytest.mark.parametrize("pack", PACKS)
def test_a_committee_without_party_members_may_still_be_formed(pack):
    code = outcome(lambda: check_formation(proposal(OC, seats(5, party=0)), LARGE, rule_pack(pack)))

    assert code is None


@given(
    pack=st.sampled_from(PACKS),
    kind=st.sampled_from(list(CommitteeKind)),
    size=st.integers(0, 25),
    households=st.integers(0, 3000),
    area=st.decimals(0, 100000, places=2),
)
def test_an_accepted_size_lies_within_the_packs_bounds(pack, kind, size, households, area):
    rules = rule_pack(pack)
    compound = CompoundSize(households, area)
    low, high, odd = size_bounds(kind, compound, rules)

    accepted = outcome(lambda: check_size(kind, size, compound, rules)) is None

    assert accepted == (low <= size and (high is None or size <= high) and (not odd or size % 2 == 1))
    if accepted:
        floor = rules.owners_committee.small_min_size if kind is OC else rules.management_committee.min_size
        assert size >= floor


@given(pack=st.sampled_from(PACKS), start=st.dates(date(2000, 1, 1), date(2090, 12, 31)))
def test_the_maximum_term_is_allowed_and_a_day_more_is_not(pack, start):
    rules = rule_pack(pack)
    limit = add_years(start, rules.owners_committee.max_term_years)
    members = seats(5)

    at_limit = outcome(lambda: check_formation(Proposal(OC, start, limit, members), LARGE, rules))
    beyond = outcome(lambda: check_formation(Proposal(OC, start, limit + timedelta(days=1), members), LARGE, rules))

    assert at_limit is None
    assert beyond == ErrorCode.TERM_TOO_LONG


relations_strategy = st.lists(
    st.builds(Relation, st.integers(1, 12), st.integers(1, 12), st.sampled_from(list(RelationKind))), max_size=8
)
posts_strategy = st.lists(
    st.builds(FirmPost, st.integers(1, 12), st.sampled_from(["STAFF", QUALITY_SUPERVISOR]), st.booleans()), max_size=4
)


@given(members=st.sets(st.integers(1, 12), max_size=7), relations=relations_strategy, posts=posts_strategy)
def test_conflicts_do_not_depend_on_who_declared_the_relation(members, relations, posts):
    reversed_relations = [Relation(r.relative_id, r.person_id, r.kind) for r in relations]

    forward = set(conflicted_members(members, relations, posts))
    backward = set(conflicted_members(members, reversed_relations, posts))

    assert forward == backward
    assert forward <= members


@given(party=st.integers(0, 11), others=st.integers(0, 11))
def test_party_member_share_lies_between_zero_and_one(party, others):
    members = tuple(Seat(i, SeatRole.MEMBER, True, is_party_member=i < party) for i in range(party + others))

    share = party_member_share(members)

    assert share is None if not members else 0 <= share <= 1 and share == Fraction(party, party + others)


@pytest.mark.parametrize(
    "_case, with_body, compounds, expected",
    [
        ("业委会组建率: 46 of 100 compounds", 46, 100, Fraction(46, 100)),
        ("业委会组建率: every compound", 3, 3, Fraction(1)),
        ("业委会组建率: no compound in scope, no rate", 0, 0, None),
    ],
)
def test_formation_rate_is_compounds_with_a_body_over_compounds(_case, with_body, compounds, expected):
    assert formation_rate(with_body, compounds) == expected


@given(compounds=st.integers(1, 10_000), data=st.data())
def test_formation_rate_lies_between_zero_and_one(compounds, data):
    with_body = data.draw(st.integers(0, compounds))

    rate = formation_rate(with_body, compounds)

    assert rate is not None and 0 <= rate <= 1


@pytest.mark.parametrize(
    "_case, elected_on, term_ends_on, expected",
    [
        ("an election held today", date(2026, 11, 20), date(2029, 11, 19), None),
        ("an election not held yet", date(2026, 11, 21), date(2029, 11, 19), ErrorCode.INVALID),
        ("a term that already ended", date(2020, 1, 1), date(2026, 11, 19), ErrorCode.INVALID),
    ],
)
def test_a_committee_is_formed_for_a_held_election_and_a_running_term(_case, elected_on, term_ends_on, expected):
    code = outcome(lambda: check_election_dates(elected_on, term_ends_on, today=date(2026, 11, 20)))

    assert code == expected
