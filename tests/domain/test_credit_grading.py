from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.evaluation.periods import parse_period
from domain.evaluation.scoring import (
    CreditEventFact,
    CreditEventKind,
    Listing,
    absolute_grade,
    grade_all,
    has_bad_record,
    listing_for,
    relative_grades,
    relative_quotas,
)
from domain.rulepacks.loader import rule_pack

NATIONAL = rule_pack("national").credit
BEIJING = rule_pack("beijing").credit
Q3 = parse_period("2026-Q3")
D = Decimal


def event(kind, occurred_on=date(2026, 8, 1), days=365, reason="记录"):
    return CreditEventFact(1, CreditEventKind(kind), D("1"), reason, occurred_on, occurred_on + timedelta(days=days))


@pytest.mark.parametrize(
    ("_case", "score", "grade"),
    [
        ("full marks", "120.00", "AAA"),
        ("exactly 85", "85.00", "AAA"),
        ("just under 85", "84.99", "AA"),
        ("exactly 80", "80.00", "AA"),
        ("just under 80", "79.99", "A"),
        ("exactly 70", "70.00", "A"),
        ("just under 70", "69.99", "B"),
        ("exactly 60", "60.00", "B"),
        ("just under 60", "59.99", "C"),
        ("zero", "0.00", "C"),
    ],
)
def test_national_grades_are_absolute_bands_with_inclusive_minimums(_case, score, grade):
    assert absolute_grade(D(score), NATIONAL, has_bad_record=True) == grade


@pytest.mark.parametrize("pack", ["national", "shandong"])
@pytest.mark.parametrize(
    ("_case", "score", "bad_record", "grade"),
    [
        ("55 from inspection deductions alone is B (鲁建物字〔2019〕4号)", "55.00", False, "B"),
        ("55 with a bad record is C", "55.00", True, "C"),
        ("0 without a bad record is still B", "0.00", False, "B"),
        ("65 with a bad record is B", "65.00", True, "B"),
        ("85 with a bad record is AAA", "85.00", True, "AAA"),
    ],
)
def test_grade_c_needs_a_score_under_60_and_a_bad_record(_case, score, bad_record, grade, pack):
    assert absolute_grade(D(score), rule_pack(pack).credit, has_bad_record=bad_record) == grade


def test_only_bad_or_severe_events_valid_in_the_period_are_bad_records():
    assert has_bad_record([event("BAD")], Q3)
    assert has_bad_record([event("SEVERE")], Q3)
    assert not has_bad_record([event("GOOD")], Q3)
    assert not has_bad_record([event("BAD", date(2025, 6, 1))], Q3)
    assert not has_bad_record([], Q3)


def test_grading_a_firm_without_bad_record_never_black_lists_it_by_grade():
    grades = grade_all({"clean": D("55"), "recorded": D("55")}, NATIONAL, bad_records={"recorded"})

    assert grades == {"clean": "B", "recorded": "C"}
    assert listing_for(grades["clean"], [], Q3, NATIONAL).listing is Listing.NONE


@pytest.mark.parametrize(
    ("_case", "grade", "events", "listing"),
    [
        ("AAA without events is red", "AAA", [], Listing.RED),
        ("AAA with only good events is red", "AAA", [event("GOOD")], Listing.RED),
        ("AAA with a valid bad event is not red", "AAA", [event("BAD")], Listing.NONE),
        ("AAA with a bad event expired before the period is red", "AAA", [event("BAD", date(2025, 6, 1))], Listing.RED),
        ("AAA with a severe event is black", "AAA", [event("SEVERE")], Listing.BLACK),
        ("AA is on no list", "AA", [], Listing.NONE),
        ("AA with a bad event is on no list", "AA", [event("BAD")], Listing.NONE),
        ("A with a severe event is black", "A", [event("SEVERE")], Listing.BLACK),
        ("B is on no list", "B", [], Listing.NONE),
        ("C is black", "C", [], Listing.BLACK),
        ("severe event after the period does not count", "B", [event("SEVERE", date(2026, 10, 1))], Listing.NONE),
    ],
)
def test_red_and_black_lists_follow_grade_and_valid_events(_case, grade, events, listing):
    assert listing_for(grade, events, Q3, NATIONAL).listing is listing


def test_a_listing_gives_its_reasons():
    severe = event("SEVERE", date(2026, 8, 3), reason="擅自撤离小区")

    black = listing_for("C", [severe], Q3, NATIONAL)
    red = listing_for("AAA", [], Q3, NATIONAL)

    assert black.reasons == ("信用等级 C", "严重失信：擅自撤离小区（2026-08-03）")
    assert red.reasons == ("信用等级 AAA", "评价期内无不良信用记录")


@pytest.mark.parametrize(
    ("_case", "count", "quotas"),
    [
        ("nobody", 0, [0, 0, 0, 0]),
        ("one firm", 1, [0, 1, 0, 0]),
        ("three firms never exceed the count", 3, [1, 2, 0, 0]),
        ("five firms", 5, [1, 3, 1, 0]),
        ("seven firms", 7, [1, 4, 1, 1]),
        ("ten firms split 2/5/2/1", 10, [2, 5, 2, 1]),
        ("twenty firms", 20, [4, 10, 4, 2]),
    ],
)
def test_beijing_relative_quotas_follow_the_packs_proportions(_case, count, quotas):
    assert relative_quotas(count, BEIJING) == list(zip("ABCD", quotas, strict=True))


def test_beijing_grades_ten_firms_by_rank():
    scores = {f"firm{i}": D(100 - i) for i in range(10)}

    grades = relative_grades(scores, BEIJING)

    assert [grades[f"firm{i}"] for i in range(10)] == list("AABBBBBCCD")


def test_tied_firms_share_the_better_grade():
    scores = {f"firm{i}": D(100 - 5 * i) for i in range(10)} | {"firm7": D("70")}

    grades = relative_grades(scores, BEIJING)

    # quotas for ten: A 2, B 5, C 2, D 1; firm6 and firm7 tie at 70 across the B/C boundary
    assert [grades[f"firm{i}"] for i in range(10)] == list("AABBBBBBCD")


def test_a_tie_across_the_a_boundary_lifts_both_firms_to_a():
    scores = {f"firm{i}": D(100 - i) for i in range(10)} | {"firm2": D("99")}

    grades = relative_grades(scores, BEIJING)

    assert grades["firm1"] == grades["firm2"] == "A"


@pytest.mark.parametrize(
    ("_case", "scores", "grades"),
    [
        ("two firms 0.01 apart: too few to rank, both B", {"a": "90", "b": "89.99"}, {"a": "B", "b": "B"}),
        ("a single firm is B", {"a": "90"}, {"a": "B"}),
        ("nine firms are not ranked", {f"f{i}": str(90 - 10 * i) for i in range(9)},
         {f"f{i}": "B" for i in range(9)}),
    ],
)
def test_beijing_does_not_rank_a_cohort_below_its_minimum_size(_case, scores, grades):
    assert relative_grades({k: D(v) for k, v in scores.items()}, BEIJING) == grades


def test_a_0_01_gap_at_the_bottom_of_a_ranked_cohort_does_not_black_list_a_firm():
    # ten firms, the last two 0.01 apart: the boundary C/D needs a gap of at least 1 point
    scores = {f"firm{i}": D(100 - 5 * i) for i in range(9)} | {"firm9": D("59.99")}
    scores["firm8"] = D("60.00")

    grades = relative_grades(scores, BEIJING)

    assert grades["firm8"] == grades["firm9"] == "C"
    assert "D" not in grades.values()


def test_a_real_gap_at_the_bottom_still_grades_d():
    scores = {f"firm{i}": D(100 - 5 * i) for i in range(10)}

    assert relative_grades(scores, BEIJING)["firm9"] == "D"


def test_grading_follows_the_schemes_kind():
    scores = {"a": D("86"), "b": D("50")}

    assert grade_all(scores, NATIONAL, bad_records={"b"}) == {"a": "AAA", "b": "C"}
    assert grade_all(scores, NATIONAL) == {"a": "AAA", "b": "B"}
    # two firms are below Beijing's minimum cohort of 10: not ranked
    assert grade_all(scores, BEIJING) == {"a": "B", "b": "B"}


def test_beijing_lists_its_best_grade_red_and_its_worst_black():
    h2 = parse_period("2026-H2")

    assert listing_for("A", [], h2, BEIJING).listing is Listing.RED
    assert listing_for("D", [], h2, BEIJING).listing is Listing.BLACK
    assert listing_for("B", [], h2, BEIJING).listing is Listing.NONE


@given(st.lists(st.decimals(min_value=0, max_value=120, places=2), min_size=0, max_size=40))
def test_a_higher_score_never_gets_a_worse_relative_grade(values):
    scores = {f"firm{i}": v for i, v in enumerate(values)}
    order = {g.grade: rank for rank, g in enumerate(BEIJING.relative_shares)}

    grades = relative_grades(scores, BEIJING)

    assert set(grades) == set(scores)
    for a, score_a in scores.items():
        for b, score_b in scores.items():
            if score_a > score_b:
                assert order[grades[a]] <= order[grades[b]]
            if score_a == score_b:
                assert grades[a] == grades[b]
