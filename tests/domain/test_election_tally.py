"""Elections at an owners' assembly (民法典 art. 278) on hand-computed cases."""

from decimal import Decimal

import pytest

from domain.deliberation.election import ElectionBallot, check_selection, decide_election, election_figures
from domain.deliberation.tally import Seat
from domain.deliberation.vocabulary import DecisionRule
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.loader import rule_pack

PARTICIPATION = rule_pack("national").meetings.assembly_participation
ORDINARY = DecisionRule.OWNERS_ORDINARY


def seats(*areas: str) -> list[Seat]:
    return [Seat(f"s{i}", (f"s{i}",), frozenset({f"o{i}"}), Decimal(a)) for i, a in enumerate(areas, start=1)]


def elect(all_seats, marks: dict[str, str], *, seats_open: int, candidates="ABCDEFG"):
    """`marks`: seat number -> the candidates it marks, e.g. {"1": "AB"}."""
    ballots = [ElectionBallot(f"s{k}", frozenset(v)) for k, v in marks.items()]
    eligible, participating, votes = election_figures(all_seats, ballots, list(candidates))
    return decide_election(ORDINARY, seats=seats_open, eligible=eligible, participating=participating, votes=votes,
                           participation=PARTICIPATION)


def test_a_candidate_with_most_heads_but_not_half_the_area_is_not_elected():
    # Areas 50+50+50+50+150+150 = 500. X: s1-s4 = 4/6 heads but 200/500 area (40%) -> not elected.
    # Y: s1, s5, s6 = 3/6 heads (exactly half is not more than half) with 350/500 area -> not elected either.
    result = elect(seats("50", "50", "50", "50", "150", "150"),
                   {"1": "XY", "2": "X", "3": "X", "4": "X", "5": "Y", "6": "Y"}, seats_open=2, candidates="XY")
    assert result.participation_met
    assert result.elected == ()
    by_id = {c.candidate_id: c for c in result.candidates}
    assert (by_id["X"].votes.voters, by_id["X"].votes.area) == (4, Decimal(200))
    assert (by_id["Y"].votes.voters, by_id["Y"].votes.area) == (3, Decimal(350))
    assert result.open_seats == 2


def test_a_tie_for_the_last_seat_leaves_it_open_for_a_run_off():
    result = elect(seats("100", "100", "100", "100"), {"1": "AB", "2": "AB", "3": "AB", "4": ""}, seats_open=1)
    assert result.elected == ()
    assert result.run_off == ("A", "B")
    assert "须再次表决" in result.explanation


def test_tied_candidates_who_all_fit_are_all_elected():
    result = elect(seats("100", "100", "100", "100"), {"1": "AB", "2": "AB", "3": "AB", "4": ""}, seats_open=2)
    assert result.elected == ("A", "B")
    assert result.run_off == ()


def test_more_qualifiers_than_seats_elects_the_best_ranked():
    # Five equal seats, two places: A 5 heads, B 4, C 3 all exceed half (2.5) of heads and area.
    result = elect(seats(*["80"] * 5), {"1": "ABC", "2": "ABC", "3": "ABC", "4": "AB", "5": "A"}, seats_open=2)
    assert result.elected == ("A", "B")
    c = next(r for r in result.candidates if r.candidate_id == "C")
    assert c.qualified and not c.elected and c.rank == 3


def test_equal_heads_are_ranked_by_area():
    result = elect(seats("100", "100", "100", "90", "90"), {"1": "A", "2": "A", "3": "AB", "4": "B", "5": "B"},
                   seats_open=1, candidates="AB")
    # A: 3 heads, 300 area; B: 3 heads, 280 area; both > half of 5 heads and 480/2 = 240 area.
    assert result.elected == ("A",)
    assert result.run_off == ()


def test_no_one_is_elected_without_two_thirds_participation():
    result = elect(seats(*["100"] * 6), {"1": "A", "2": "A", "3": "A"}, seats_open=1)
    assert not result.participation_met
    assert result.elected == ()


def test_a_firm_choice_elects_the_one_option_meeting_the_thresholds_or_none():
    chosen = elect(seats(*["100"] * 5), {"1": "F", "2": "F", "3": "F", "4": "G", "5": "G"}, seats_open=1,
                   candidates="FG")
    assert chosen.elected == ("F",)
    split = elect(seats(*["100"] * 5), {"1": "F", "2": "F", "3": "G", "4": "G", "5": "H"}, seats_open=1,
                  candidates="FGH")
    assert split.elected == ()


def test_a_blank_ballot_participates_but_elects_no_one():
    result = elect(seats("100", "100", "100"), {"1": "A", "2": "A", "3": ""}, seats_open=1)
    assert result.participating.voters == 3
    assert result.elected == ("A",)


def test_five_seats_from_seven_candidates():
    marks = {str(i): "ABCDE" if i <= 6 else "FG" for i in range(1, 10)}
    marks.update({"7": "ABCFG", "8": "FG", "9": "DE"})
    result = elect(seats(*["100"] * 9), marks, seats_open=5)
    assert set(result.elected) == {"A", "B", "C", "D", "E"}
    assert result.open_seats == 0


@pytest.mark.parametrize(
    ("chosen", "code"),
    [(["A", "B", "C"], ErrorCode.TOO_MANY_SELECTIONS), (["Z"], ErrorCode.NOT_FOUND), (["A", "A"], ErrorCode.INVALID)],
)
def test_a_ballot_marks_at_most_max_selections_known_candidates(chosen, code):
    with pytest.raises(RuleViolation) as caught:
        check_selection(chosen, known=["A", "B", "C"], max_selections=2)
    assert caught.value.code is code


def test_a_ballot_within_limits_is_accepted():
    check_selection(["A", "C"], known=["A", "B", "C"], max_selections=2)
