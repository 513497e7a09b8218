"""Owners' joint decisions (民法典 art. 278) over hand-computed cases; seats by head (区分所有权解释 art. 9)."""

from decimal import Decimal

import pytest

from domain.deliberation.tally import Ballot, Scope, UnitHolding, owners_tally, percent, seat_of, seats
from domain.deliberation.vocabulary import Choice, DecisionRule
from domain.rulepacks.loader import rule_pack

PARTICIPATION = rule_pack("national").meetings.assembly_participation
AGREE, OPPOSE, ABSTAIN = Choice.AGREE, Choice.OPPOSE, Choice.ABSTAIN
ORDINARY, MAJOR = DecisionRule.OWNERS_ORDINARY, DecisionRule.OWNERS_MAJOR


def units(*areas: str) -> list[UnitHolding]:
    """One owner per unit: unit uN is owned by oN."""
    return [UnitHolding(f"u{i}", Decimal(a), frozenset({f"o{i}"})) for i, a in enumerate(areas, start=1)]


def votes(*choices: Choice | None) -> list[Ballot]:
    """Ballot of owner oN for each non-None choice, in order."""
    return [Ballot(f"o{i}", c) for i, c in enumerate(choices, start=1) if c is not None]


def tally(rule, holdings, ballots, **kw):
    return owners_tally(rule, seats(holdings, **kw), ballots, participation=PARTICIPATION)


@pytest.mark.parametrize(
    ("_case", "areas", "choices", "rule", "participation_met", "passed"),
    [
        ("art. 278: participation exactly 2/3 by head and area", ["1"] * 3, [AGREE, AGREE, None], ORDINARY, True, True),
        ("art. 278: participation exactly 2/3 with Decimal areas", ["0.5", "1.5", "1.00"], [AGREE, AGREE, None],
         ORDINARY, True, True),
        ("art. 278: 2/3 by head but area just short", ["100", "100", "100.01"], [AGREE, AGREE, None], ORDINARY,
         False, False),
        ("art. 278: 2/3 by area but heads short", ["10", "10", "10", "70"], [AGREE, None, None, AGREE], ORDINARY,
         False, False),
        ("art. 278: ordinary exactly 1/2 agree fails", ["1"] * 6, [AGREE, AGREE, OPPOSE, OPPOSE, None, None],
         ORDINARY, True, False),
        ("art. 278: ordinary just over 1/2 passes", ["1"] * 3, [AGREE, AGREE, OPPOSE], ORDINARY, True, True),
        ("art. 278: major exactly 3/4 passes", ["1"] * 4, [AGREE, AGREE, AGREE, OPPOSE], MAJOR, True, True),
        ("art. 278: major just under 3/4 by area fails", ["1", "1", "1", "1.01"], [AGREE, AGREE, AGREE, OPPOSE],
         MAJOR, True, False),
        ("art. 278: ordinary passes where major fails", ["1"] * 3, [AGREE, AGREE, OPPOSE], MAJOR, True, False),
        ("art. 278: heads agree but area does not", ["10", "10", "50"], [AGREE, AGREE, OPPOSE], ORDINARY, True, False),
        ("art. 278: abstention participates without agreeing", ["1"] * 3, [AGREE, ABSTAIN, None], ORDINARY,
         True, False),
        ("art. 278: abstention counts towards participation", ["1"] * 3, [AGREE, AGREE, ABSTAIN], ORDINARY,
         True, True),
        ("art. 278: abstentions can block a major matter", ["1"] * 4, [AGREE, AGREE, ABSTAIN, AGREE], MAJOR,
         True, True),
        ("art. 278: two abstentions block a major matter", ["1"] * 4, [AGREE, AGREE, ABSTAIN, ABSTAIN], MAJOR,
         True, False),
        ("no ballots", ["1"] * 3, [None, None, None], ORDINARY, False, False),
    ],
)
def test_owners_decisions_follow_art_278(_case, areas, choices, rule, participation_met, passed):
    result = tally(rule, units(*areas), votes(*choices))

    assert (result.participation_met, result.passed) == (participation_met, passed)
    assert ("结论：通过" in result.explanation) is passed


def test_a_tally_reports_every_figure_exactly():
    result = tally(ORDINARY, units("89.50", "60.25", "120.00", "75.75"), votes(AGREE, OPPOSE, ABSTAIN, None))

    assert (result.eligible_voters, result.participating_voters) == (4, 3)
    assert (result.agree_voters, result.oppose_voters, result.abstain_voters) == (1, 1, 1)
    assert (result.eligible_area, result.participating_area, result.agree_area) == (
        Decimal("345.50"),
        Decimal("269.75"),
        Decimal("89.50"),
    )
    assert (result.oppose_area, result.abstain_area) == (Decimal("60.25"), Decimal("120.00"))
    assert (result.participation_met, result.passed) == (True, False)  # 3/4 heads, 269.75/345.50 of area; 1/3 agree
    assert "参与表决 3 人（75.00%）、面积 269.75㎡（78.08%）" in result.explanation
    assert "同意 1 人（占参与人数 33.33%）、面积 89.50㎡（占参与面积 33.18%）" in result.explanation


def test_participation_fails_when_one_of_the_two_measures_falls_short():
    result = tally(ORDINARY, units("10", "10", "10", "100"), votes(AGREE, AGREE, AGREE, None))

    assert result.participating_voters == 3  # 3/4 of heads
    assert result.participating_area == Decimal("30")  # 30/130 of area
    assert result.participation_met is False
    assert "面积未达到" in result.explanation


def test_all_units_still_held_by_the_developer_count_as_one_seat():
    developer_units = [UnitHolding(f"d{i}", Decimal("100"), frozenset({"dev"})) for i in range(5)]
    buyers = [UnitHolding(f"b{i}", Decimal("100"), frozenset({f"o{i}"})) for i in range(1, 4)]

    result = seats([*developer_units, *buyers], developer_ids={"dev"})

    assert len(result) == 4
    developer_seat = seat_of("dev", result)
    assert developer_seat.area == Decimal("500") and len(developer_seat.unit_ids) == 5


def test_several_developer_entities_still_count_as_one_seat():
    holdings = [
        UnitHolding("d1", Decimal("80"), frozenset({"dev-a"})),
        UnitHolding("d2", Decimal("90"), frozenset({"dev-b"})),
        UnitHolding("u1", Decimal("70"), frozenset({"o1"})),
    ]

    result = seats(holdings, developer_ids={"dev-a", "dev-b"})

    assert [s.area for s in result] == [Decimal("170"), Decimal("70")]


def test_the_developer_seat_weighs_by_area_but_counts_once_by_head():
    developer_units = [UnitHolding(f"d{i}", Decimal("100"), frozenset({"dev"})) for i in range(5)]
    buyers = [UnitHolding(f"b{i}", Decimal("100"), frozenset({f"o{i}"})) for i in range(1, 4)]
    holdings = [*developer_units, *buyers]

    buyers_only = tally(ORDINARY, holdings, [Ballot(f"o{i}", AGREE) for i in range(1, 4)], developer_ids={"dev"})
    developer_and_one = tally(ORDINARY, holdings, [Ballot("dev", AGREE), Ballot("o1", AGREE)], developer_ids={"dev"})

    # 3 of 4 seats but 300 of 800 m²; then 2 of 4 seats but 600 of 800 m².
    assert (buyers_only.participating_voters, buyers_only.participating_area) == (3, Decimal("300"))
    assert (developer_and_one.participating_voters, developer_and_one.participating_area) == (2, Decimal("600"))
    assert buyers_only.participation_met is False and developer_and_one.participation_met is False


def test_a_buyer_of_several_units_counts_once_with_the_sum_of_their_areas():
    holdings = [
        UnitHolding("u1", Decimal("50.5"), frozenset({"buyer"})),
        UnitHolding("u2", Decimal("60.25"), frozenset({"buyer"})),
        UnitHolding("u3", Decimal("70"), frozenset({"o3"})),
    ]

    result = tally(ORDINARY, holdings, [Ballot("buyer", AGREE), Ballot("o3", OPPOSE)])

    assert result.eligible_voters == 2
    assert result.agree_area == Decimal("110.75")
    assert result.passed is False  # 1 of 2 heads agree: not > 1/2


def test_co_owners_of_a_unit_cast_one_ballot_between_them():
    holdings = [
        UnitHolding("u1", Decimal("100"), frozenset({"wife", "husband"})),
        UnitHolding("u2", Decimal("100"), frozenset({"o2"})),
        UnitHolding("u3", Decimal("100"), frozenset({"o3"})),
    ]

    result = tally(ORDINARY, holdings, [Ballot("wife", AGREE), Ballot("husband", OPPOSE), Ballot("o2", AGREE)])

    assert (result.eligible_voters, result.participating_voters) == (3, 2)
    assert (result.agree_voters, result.oppose_voters) == (2, 0)  # the first ballot of the seat stands
    assert result.passed is True


def test_units_linked_through_a_shared_co_owner_form_one_seat():
    holdings = [
        UnitHolding("u1", Decimal("1"), frozenset({"a"})),
        UnitHolding("u2", Decimal("1"), frozenset({"a", "b"})),
        UnitHolding("u3", Decimal("1"), frozenset({"b"})),
        UnitHolding("u4", Decimal("1"), frozenset({"c"})),
    ]

    result = seats(holdings)

    assert [(s.key, s.unit_ids, s.area) for s in result] == [
        ("u1", ("u1", "u2", "u3"), Decimal("3")),
        ("u4", ("u4",), Decimal("1")),
    ]


def test_a_ballot_of_someone_without_a_seat_is_not_counted():
    result = tally(ORDINARY, units("1", "1", "1"), [*votes(AGREE, AGREE), Ballot("stranger", OPPOSE)])

    assert (result.participating_voters, result.oppose_voters) == (2, 0)


def test_voting_scoped_to_a_building_counts_only_its_units():
    holdings = [
        UnitHolding("a1", Decimal("100"), frozenset({"o1"}), "A", "A-1"),
        UnitHolding("a2", Decimal("100"), frozenset({"o2"}), "A", "A-2"),
        UnitHolding("a3", Decimal("100"), frozenset({"o3"}), "A", "A-2"),
        UnitHolding("b1", Decimal("100"), frozenset({"o1"}), "B", "B-1"),
        UnitHolding("b2", Decimal("100"), frozenset({"o4"}), "B", "B-1"),
    ]

    building = tally(ORDINARY, holdings, votes(AGREE, AGREE), scope=Scope(building_id="A"))
    entrance = seats(holdings, scope=Scope(building_id="A", entrance_id="A-2"))

    assert (building.eligible_voters, building.eligible_area) == (3, Decimal("300"))
    assert building.passed is True
    assert [s.key for s in entrance] == ["a2", "a3"]


def test_the_explanation_names_the_rule_and_the_legal_source():
    result = tally(MAJOR, units("1", "1", "1", "1"), votes(AGREE, AGREE, AGREE, OPPOSE))

    assert "重大事项（民法典第278条第2款）" in result.explanation
    assert "区分所有权解释第9条" in result.explanation
    assert "须均 ≥ 3/4" in result.explanation


@pytest.mark.parametrize(("_case", "part", "whole", "text"), [("2/3", 2, 3, "66.67%"), ("none", 0, 0, "—")])
def test_percentages_in_explanations_are_rounded_for_people_only(_case, part, whole, text):
    assert percent(part, whole) == text


def test_an_owners_tally_refuses_a_head_count_rule():
    with pytest.raises(ValueError):
        owners_tally(DecisionRule.CONSENSUS, (), (), participation=PARTICIPATION)


def _developer_case():
    """Six buyers of 100 m² each and four developer units of 100 m² (区分所有权解释 art. 9: the developer's unsold
    units count as one seat with their whole area), the developer represented by person "rep"."""
    buyers = [UnitHolding(f"u{i}", Decimal("100"), frozenset({f"b{i}"})) for i in range(1, 7)]
    held = [UnitHolding(f"d{i}", Decimal("100"), frozenset({"developer"}), representative_ids=frozenset({"rep"}))
            for i in range(1, 5)]
    return seats([*buyers, *held], developer_ids={"developer"})


def test_the_developers_held_units_are_one_seat_with_their_whole_area():
    all_seats = _developer_case()

    developer = [s for s in all_seats if "developer" in s.owner_ids]
    assert len(all_seats) == 7
    assert [(len(s.unit_ids), s.area, s.voter_ids) for s in developer] == [
        (4, Decimal("400"), frozenset({"developer", "rep"}))]


def test_six_buyers_alone_cannot_reach_two_thirds_of_the_area():
    ballots = [Ballot(f"b{i}", Choice.AGREE) for i in range(1, 7)]

    tally = owners_tally(DecisionRule.OWNERS_ORDINARY, _developer_case(), ballots, participation=PARTICIPATION)

    # 6 of 7 heads (>= 2/3) but 600 of 1000 m² (< 2/3): participation fails
    assert (tally.participating_voters, tally.participating_area) == (6, Decimal("600"))
    assert not tally.participation_met and not tally.passed


def test_the_developers_representative_casts_one_ballot_for_the_whole_held_area():
    all_seats = _developer_case()
    ballots = [Ballot(f"b{i}", Choice.AGREE) for i in range(1, 7)] + [Ballot("rep", Choice.AGREE)]

    tally = owners_tally(DecisionRule.OWNERS_ORDINARY, all_seats, ballots, participation=PARTICIPATION)

    assert seat_of("rep", all_seats).area == Decimal("400")
    assert (tally.eligible_voters, tally.participating_voters, tally.agree_voters) == (7, 7, 7)
    assert (tally.eligible_area, tally.agree_area) == (Decimal("1000"), Decimal("1000"))
    assert tally.passed


def test_a_representative_who_also_buys_a_unit_keeps_two_separate_seats():
    own = UnitHolding("u9", Decimal("90"), frozenset({"rep"}))
    held = UnitHolding("d1", Decimal("100"), frozenset({"developer"}), representative_ids=frozenset({"rep"}))

    all_seats = seats([own, held], developer_ids={"developer"})

    assert len(all_seats) == 2
    assert seat_of("rep", all_seats).unit_ids == ("u9",)
