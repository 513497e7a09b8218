"""Head-count decision rules of committee and joint meetings."""

import pytest

from domain.deliberation.tally import Ballot, committee_tally
from domain.deliberation.vocabulary import Choice, DecisionRule

AGREE, OPPOSE, ABSTAIN = Choice.AGREE, Choice.OPPOSE, Choice.ABSTAIN
R = DecisionRule
MEMBERS = [f"m{i}" for i in range(1, 8)]  # seven members


def tally(rule, present: int, *choices: Choice):
    ballots = [Ballot(f"m{i}", c) for i, c in enumerate(choices, start=1)]
    return committee_tally(rule, eligible=MEMBERS, present=MEMBERS[:present], ballots=ballots)


@pytest.mark.parametrize(
    ("_case", "rule", "present", "choices", "passed"),
    [
        ("指导规则 art. 40: 4 of 7 members agree", R.MAJORITY_OF_ALL_MEMBERS, 5, [AGREE] * 4 + [OPPOSE], True),
        ("指导规则 art. 40: 3 of 7 members is not a majority of all", R.MAJORITY_OF_ALL_MEMBERS, 4,
         [AGREE] * 3 + [OPPOSE], False),
        ("majority of present: 3 of 5 present", R.MAJORITY_OF_PRESENT, 5, [AGREE] * 3 + [OPPOSE, ABSTAIN], True),
        ("majority of present: exactly half of 4 fails", R.MAJORITY_OF_PRESENT, 4, [AGREE, AGREE, OPPOSE, ABSTAIN],
         False),
        ("two thirds of present: exactly 4 of 6", R.TWO_THIRDS_OF_PRESENT, 6, [AGREE] * 4 + [OPPOSE] * 2, True),
        ("two thirds of present: 3 of 5 falls short", R.TWO_THIRDS_OF_PRESENT, 5, [AGREE] * 3 + [OPPOSE] * 2, False),
        ("consensus: no opposition, abstentions allowed", R.CONSENSUS, 3, [AGREE, AGREE, ABSTAIN], True),
        ("consensus: one opposition blocks", R.CONSENSUS, 3, [AGREE, AGREE, OPPOSE], False),
        ("consensus: nobody agreeing is no decision", R.CONSENSUS, 2, [ABSTAIN, ABSTAIN], False),
        ("no ballots", R.MAJORITY_OF_PRESENT, 5, [], False),
    ],
)
def test_committee_decisions_follow_their_rule(_case, rule, present, choices, passed):
    result = tally(rule, present, *choices)

    assert result.passed is passed
    assert ("结论：通过" in result.explanation) is passed


def test_a_committee_tally_reports_head_counts_and_no_area():
    result = tally(R.MAJORITY_OF_ALL_MEMBERS, 6, AGREE, AGREE, AGREE, AGREE, OPPOSE, ABSTAIN)

    assert (result.eligible_voters, result.participating_voters) == (7, 6)
    assert (result.agree_voters, result.oppose_voters, result.abstain_voters) == (4, 1, 1)
    assert (result.eligible_area, result.participating_area, result.agree_area) == (None, None, None)
    assert "有表决权 7 人，出席 6 人，投票 6 人" in result.explanation
    assert "须同意人数占全体成员 > 1/2（4/7，57.14%）" in result.explanation


def test_ballots_of_non_members_and_repeated_ballots_are_not_counted():
    ballots = [Ballot("m1", AGREE), Ballot("m1", OPPOSE), Ballot("guest", OPPOSE)]

    result = committee_tally(R.CONSENSUS, eligible=MEMBERS, present=["m1", "guest"], ballots=ballots)

    assert (result.participating_voters, result.agree_voters, result.oppose_voters) == (1, 1, 0)
    assert result.passed is True


def test_a_committee_tally_refuses_an_owners_rule():
    with pytest.raises(ValueError):
        committee_tally(R.OWNERS_MAJOR, eligible=MEMBERS, present=MEMBERS, ballots=[])


def test_a_tally_survives_a_round_trip_through_json_unchanged():
    import json
    from decimal import Decimal

    from domain.deliberation.tally import Tally

    original = Tally(R.OWNERS_MAJOR, 3, 2, 2, 0, 0, Decimal("300.50"), Decimal("200.25"), Decimal("200.25"),
                     True, True, "说明")

    assert Tally.from_dict(json.loads(json.dumps(original.as_dict()))) == original
    assert original.as_dict()["eligible_area"] == "300.50"
