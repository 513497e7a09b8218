"""Invariants of the tallies, checked by hypothesis over random compounds and ballots."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from domain.deliberation.tally import Ballot, UnitHolding, committee_tally, owners_tally, seat_of, seats
from domain.deliberation.vocabulary import Choice, DecisionRule
from domain.rulepacks.loader import rule_pack

PARTICIPATION = rule_pack("national").meetings.assembly_participation
OWNERS = [f"o{i}" for i in range(8)] + ["dev"]

areas = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
holdings = st.lists(
    st.tuples(areas, st.frozensets(st.sampled_from(OWNERS), min_size=1, max_size=3)), min_size=1, max_size=12
).map(lambda rows: [UnitHolding(f"u{i:02}", a, owners) for i, (a, owners) in enumerate(rows)])
ballots = st.lists(st.builds(Ballot, st.sampled_from([*OWNERS, "stranger"]), st.sampled_from(Choice)), max_size=30)
owners_rules = st.sampled_from([DecisionRule.OWNERS_ORDINARY, DecisionRule.OWNERS_MAJOR])
head_rules = st.sampled_from([r for r in DecisionRule if not r.name.startswith("OWNERS")])


@given(holdings)
def test_every_unit_and_every_owner_sits_in_exactly_one_seat(units):
    result = seats(units, developer_ids={"dev"})

    unit_ids = [u for s in result for u in s.unit_ids]
    assert sorted(unit_ids) == sorted(u.unit_id for u in units)
    for owner in {o for u in units for o in u.owner_ids}:
        assert sum(owner in s.owner_ids for s in result) == 1
    assert sum(s.area for s in result) == sum(u.area for u in units)


@given(holdings, ballots, owners_rules)
def test_a_seat_is_never_counted_twice(units, cast, rule):
    all_seats = seats(units, developer_ids={"dev"})

    result = owners_tally(rule, all_seats, cast, participation=PARTICIPATION)

    voted = {s.key: s for b in cast if (s := seat_of(b.voter_id, all_seats)) is not None}
    assert result.participating_voters == len(voted) <= result.eligible_voters
    assert result.participating_area == sum((s.area for s in voted.values()), Decimal(0))
    assert result.agree_voters + result.oppose_voters + result.abstain_voters == result.participating_voters
    assert result.agree_area <= result.participating_area <= result.eligible_area
    assert result.agree_area + result.oppose_area + result.abstain_area == result.participating_area


@given(holdings, ballots, owners_rules, st.sampled_from(OWNERS))
def test_adding_an_agree_ballot_never_turns_an_owners_pass_into_a_fail(units, cast, rule, voter):
    all_seats = seats(units, developer_ids={"dev"})

    before = owners_tally(rule, all_seats, cast, participation=PARTICIPATION)
    after = owners_tally(rule, all_seats, [*cast, Ballot(voter, Choice.AGREE)], participation=PARTICIPATION)

    assert not (before.passed and not after.passed)
    assert after.participating_voters >= before.participating_voters


@given(ballots, head_rules, st.sampled_from(OWNERS), st.integers(min_value=0, max_value=len(OWNERS)))
def test_adding_an_agree_ballot_never_turns_a_committee_pass_into_a_fail(cast, rule, voter, present):
    members = OWNERS[:-1]

    before = committee_tally(rule, eligible=members, present=OWNERS[:present], ballots=cast)
    more = [*cast, Ballot(voter, Choice.AGREE)]
    after = committee_tally(rule, eligible=members, present=OWNERS[:present], ballots=more)

    assert not (before.passed and not after.passed)


@given(holdings, ballots, owners_rules)
def test_a_tally_is_reproducible_from_the_same_ballots(units, cast, rule):
    first = owners_tally(rule, seats(units), cast, participation=PARTICIPATION)
    second = owners_tally(rule, seats(list(reversed(units))), cast, participation=PARTICIPATION)

    assert first == second
