"""The rule-pack numbers the legal review corrected or added (issue 10), each with its hand-computed case."""

import tomllib
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.committees.lifecycle import (
    chair_publication_deadline,
    regular_meeting_overdue,
    results_posted_until,
    street_filing_deadline,
    temporary_meeting_required,
)
from domain.committees.rules import check_owners
from domain.committees.values import CommitteeKind, Seat, SeatRole, Status, Term
from domain.deliberation.rules import results_publication_late
from domain.deliberation.tally import Ballot, committee_tally
from domain.deliberation.vocabulary import Choice, DecisionRule
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks import RulePackError, parse_rule_pack, rule_pack
from domain.rulepacks.loader import PACK_DIR

MC = CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE
SIX = [f"m{i}" for i in range(1, 7)]  # an owners' committee of seven with one seat vacant


def term(**changes) -> Term:
    values = {"status": Status.ACTIVE, "elected_on": date(2026, 3, 2), "term_ends_on": date(2031, 3, 1)} | changes
    return Term(**values)


@pytest.mark.parametrize(
    ("_case", "pack", "passed"),
    [
        ("指导规则: 全体委员半数以上 — 3 of 6 is half, and passes", "national", True),
        ("京条例 art. 45: 过半数委员 — 3 of 6 is not more than half", "beijing", False),
        ("沪规定 art. 26: 过半数 — 3 of 6 fails", "shanghai", False),
        ("鲁条例 art. 32: 全体成员过半数 — 3 of 6 fails", "shandong", False),
    ],
)
def test_a_committee_decision_takes_its_threshold_from_the_pack(_case, pack, passed):
    ballots = [Ballot("m1", Choice.AGREE), Ballot("m2", Choice.AGREE), Ballot("m3", Choice.AGREE),
               Ballot("m4", Choice.OPPOSE)]

    tally = committee_tally(DecisionRule.MAJORITY_OF_ALL_MEMBERS, eligible=SIX, present=SIX, ballots=ballots,
                            all_members_decision=rule_pack(pack).meetings.committee_decision)

    assert tally.passed is passed


def test_beijing_reelection_starts_six_months_ahead_and_shanghai_five():
    ends = date(2031, 3, 1)

    assert rule_pack("beijing").owners_committee.reelection_lead.first_day_before(ends) == date(2030, 9, 1)
    assert rule_pack("shanghai").owners_committee.reelection_lead.first_day_before(ends) == date(2030, 10, 1)
    assert rule_pack("shandong").owners_committee.reelection_lead.first_day_before(ends) == date(2030, 12, 1)


def test_the_beijing_street_files_within_five_working_days_of_the_committees_filing():
    # filed Wed 30 Sep 2026: 1-7 Oct off, Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13
    assert street_filing_deadline(term(filed_on=date(2026, 9, 30)), rule_pack("beijing")) == date(2026, 10, 13)
    assert street_filing_deadline(term(filed_on=date(2026, 9, 30)), rule_pack("national")) is None
    assert street_filing_deadline(term(), rule_pack("beijing")) is None


def test_beijing_publishes_the_chairs_names_within_three_days_of_the_first_meeting():
    assert chair_publication_deadline(term(first_meeting_on=date(2026, 3, 6)), rule_pack("beijing")) == date(2026, 3, 9)
    assert chair_publication_deadline(term(first_meeting_on=date(2026, 3, 6)), rule_pack("national")) is None


@pytest.mark.parametrize(
    ("_case", "pack", "last", "today", "overdue"),
    [
        ("京条例 art. 45: met 1 March, due by 1 May", "beijing", date(2026, 3, 1), date(2026, 5, 1), False),
        ("京条例 art. 45: 2 May is a day late", "beijing", date(2026, 3, 1), date(2026, 5, 2), True),
        ("沪规定 art. 26: the same two months", "shanghai", date(2026, 3, 1), date(2026, 5, 2), True),
        ("no meeting yet: counted from the election", "beijing", None, date(2026, 5, 3), True),
        ("national has no interval", "national", date(2026, 3, 1), date(2027, 3, 1), False),
    ],
)
def test_a_regular_meeting_is_due_every_two_months_where_the_pack_says_so(_case, pack, last, today, overdue):
    assert regular_meeting_overdue(term(), last, rule_pack(pack), today=today) is overdue


def test_a_third_of_the_members_can_require_a_temporary_meeting_in_beijing():
    beijing = rule_pack("beijing")

    assert temporary_meeting_required(3, 9, beijing)
    assert not temporary_meeting_required(2, 7, beijing)
    assert not temporary_meeting_required(9, 9, rule_pack("national"))


def test_beijing_management_committee_results_stay_posted_ten_working_days():
    # published Fri 25 Sep 2026: Mon 28, Tue 29, Wed 30 Sep, then 1-7 Oct off, Thu 8, Fri 9, Sat 10, Mon 12,
    # Tue 13, Wed 14, Thu 15
    assert results_posted_until(date(2026, 9, 25), rule_pack("beijing")) == date(2026, 10, 15)
    assert results_posted_until(date(2026, 9, 25), rule_pack("shandong")) is None


@pytest.mark.parametrize(
    ("_case", "published_at", "today", "late"),
    [
        ("published on the third day", datetime(2026, 6, 4, 2, tzinfo=UTC), date(2026, 6, 10), False),
        ("published on the fourth day", datetime(2026, 6, 5, 2, tzinfo=UTC), date(2026, 6, 10), True),
        ("unpublished on the third day", None, date(2026, 6, 4), False),
        ("unpublished on the fourth day", None, date(2026, 6, 5), True),
    ],
)
def test_results_published_after_the_packs_days_are_flagged(_case, published_at, today, late):
    closed_at = datetime(2026, 6, 1, 2, tzinfo=UTC)

    assert results_publication_late(closed_at, published_at, rule_pack("national").meetings, today=today) is late


def seat(person_id, role, *, owner, rc=False):
    return Seat(person_id, role, is_owner=owner, is_residents_committee_member=rc)


def test_a_beijing_management_committee_vice_chair_is_an_owner_representative():
    members = (seat(1, SeatRole.CHAIR, owner=False, rc=True), seat(2, SeatRole.VICE_CHAIR, owner=False),
               *(seat(i, SeatRole.MEMBER, owner=True) for i in range(3, 8)))

    with pytest.raises(RuleViolation) as refused:
        check_owners(MC, members, rule_pack("beijing"))
    check_owners(MC, members, rule_pack("shanghai"))  # no such rule in the Shanghai pack

    assert refused.value.code is ErrorCode.NOT_AN_OWNER


def test_a_pack_whose_day_counting_contradicts_its_deadlines_is_refused():
    data = tomllib.loads((PACK_DIR / "beijing" / "2026.2.toml").read_text(encoding="utf-8"))
    data["complaints"]["deadlines"]["ORDINARY"] = "5wd"

    with pytest.raises(RulePackError, match="day_counting CALENDAR contradicts"):
        parse_rule_pack(data)


def test_the_small_shanghai_committee_includes_exactly_ten_thousand_square_metres():
    from domain.committees.rules import size_bounds
    from domain.committees.values import CompoundSize

    low, high, _ = size_bounds(CommitteeKind.OWNERS_COMMITTEE, CompoundSize(80, Decimal("10000")),
                               rule_pack("shanghai"))

    assert (low, high) == (3, None)
