import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.periods import parse_period
from domain.evaluation.scoring import (
    CompoundRecords,
    CreditEventFact,
    CreditEventKind,
    FirmRecords,
    InspectionFact,
    ServiceFigures,
    check_credit_event,
    credit_score,
    default_valid_until,
    firm_credit_score,
    household_weighted,
    valid_in,
)
from domain.rulepacks.loader import rule_pack

NATIONAL = rule_pack("national").credit
BEIJING = rule_pack("beijing").credit
Q3 = parse_period("2026-Q3")
D = Decimal


def event(id, kind, points, occurred_on=date(2026, 8, 1), valid_until=None, reason="记录"):
    return CreditEventFact(
        id, CreditEventKind(kind), D(points), reason, occurred_on, valid_until or occurred_on + timedelta(days=365)
    )


def inspection(id, deduction, inspected_on=date(2026, 8, 15), compound_id=1):
    return InspectionFact(id, compound_id, inspected_on, D(deduction))


def score(*, party=False, figures=ServiceFigures(), events=(), inspections=(), scheme=NATIONAL, period=Q3):
    return credit_score(
        has_party_organisation=party,
        figures=figures,
        events=events,
        inspections=inspections,
        period=period,
        scheme=scheme,
    )


@pytest.mark.parametrize(
    ("_case", "party", "figures", "basic"),
    [
        ("no orders counts as fully on time", False, ServiceFigures(), "70.00"),
        ("party organisation adds ten", True, ServiceFigures(), "80.00"),
        ("nine of ten on time", True, ServiceFigures(10, 9, 0), "79.00"),
        ("none on time", False, ServiceFigures(4, 0, 0), "60.00"),
        ("two thirds on time is rounded", False, ServiceFigures(3, 2, 0), "66.67"),
        ("one third on time is rounded", False, ServiceFigures(3, 1, 0), "63.33"),
        ("a half rounds up, not to even", False, ServiceFigures(16, 1, 0), "60.63"),
    ],
)
def test_the_basic_score_is_sixty_plus_party_bonus_plus_ten_times_the_on_time_rate(_case, party, figures, basic):
    result = score(party=party, figures=figures)

    assert result.basic == D(basic)
    assert result.score == D(basic)


def test_the_basic_score_is_capped_by_the_scheme():
    generous = dataclasses.replace(NATIONAL, basic_base=D("65"))

    result = score(party=True, scheme=generous)

    assert result.basic == D("80.00")


def test_hand_computed_national_score_keeps_its_components_and_evidence():
    records = dict(
        party=True,
        figures=ServiceFigures(dispatched=10, resolved_on_time=9, unsatisfied_return_visits=1),
        events=(event(1, "GOOD", "3"), event(2, "GOOD", "2"), event(3, "BAD", "1.25", date(2026, 2, 1))),
        inspections=(inspection(10, "1.50"), inspection(11, "4", date(2026, 6, 30))),
    )

    result = score(**records)

    # basic 60 + 10 + 10 × 0.9 = 79; good 5; bad 1.50 + 1.25 + 2 × 1 = 4.75
    assert (result.basic, result.good, result.bad, result.score) == (D("79.00"), D("5.00"), D("4.75"), D("79.25"))
    assert (result.inspection_deductions, result.event_deductions, result.return_visit_deductions) == (
        D("1.50"),
        D("1.25"),
        D("2.00"),
    )
    assert result.on_time_rate == D("0.9000")
    assert result.inspection_ids == (10,)
    assert result.event_ids == (3, 1, 2)
    assert dict(result.components())["bad"] == D("4.75")


def test_good_events_count_at_most_forty():
    result = score(events=(event(1, "GOOD", "30"), event(2, "GOOD", "15")))

    assert result.good == D("40.00")
    assert result.score == D("110.00")


def test_the_score_is_never_below_zero():
    result = score(inspections=(inspection(1, "90"),), events=(event(2, "SEVERE", "20"),))

    assert result.bad == D("110.00")
    assert result.score == D("0.00")


def test_on_time_orders_exceeding_dispatched_orders_are_invalid():
    with pytest.raises(RuleViolation) as raised:
        score(figures=ServiceFigures(dispatched=2, resolved_on_time=3))

    assert raised.value.code is ErrorCode.INVALID


@pytest.mark.parametrize(
    ("_case", "occurred_on", "valid_until", "counts"),
    [
        ("valid through the period's first day", date(2025, 7, 1), date(2026, 7, 1), True),
        ("expired the day before the period", date(2025, 6, 30), date(2026, 6, 30), False),
        ("occurred on the period's last day", date(2026, 9, 30), date(2027, 9, 30), True),
        ("occurred the day after the period", date(2026, 10, 1), date(2027, 10, 1), False),
        ("short validity inside the period", date(2026, 8, 1), date(2026, 8, 2), True),
        ("spans the whole period", date(2026, 1, 1), date(2027, 1, 1), True),
    ],
)
def test_an_event_counts_when_its_validity_window_overlaps_the_period(_case, occurred_on, valid_until, counts):
    assert valid_in(event(1, "BAD", "5", occurred_on, valid_until), Q3) is counts
    assert (score(events=(event(1, "BAD", "5", occurred_on, valid_until),)).bad == D("5.00")) is counts


@pytest.mark.parametrize(
    ("_case", "occurred_on", "valid_until"),
    [
        ("ordinary year", date(2026, 3, 1), date(2027, 3, 1)),
        ("民法典 arts. 201-202: 1 March to 1 March across a leap day", date(2027, 3, 1), date(2028, 3, 1)),
        ("the corresponding date across a leap day", date(2027, 6, 1), date(2028, 6, 1)),
        ("29 February ends on 28 February", date(2028, 2, 29), date(2029, 2, 28)),
    ],
)
def test_an_event_is_valid_for_the_schemes_year_by_default(_case, occurred_on, valid_until):
    assert default_valid_until(occurred_on, NATIONAL) == valid_until


@pytest.mark.parametrize(
    ("_case", "points", "valid_until", "field"),
    [
        ("negative points", "-1", date(2026, 9, 1), ("points",)),
        ("three decimals", "1.005", date(2026, 9, 1), ("points",)),
        ("validity ends before the event", "1", date(2026, 7, 31), ("validUntil",)),
    ],
)
def test_an_impossible_credit_event_is_invalid(_case, points, valid_until, field):
    with pytest.raises(RuleViolation) as raised:
        check_credit_event(CreditEventKind.BAD, D(points), date(2026, 8, 1), valid_until)

    assert (raised.value.code, raised.value.field) == (ErrorCode.INVALID, field)


@pytest.mark.parametrize(
    ("_case", "parts", "expected"),
    [
        ("one compound", [(D("90"), 300)], "90.00"),
        ("larger compound weighs more", [(D("90"), 1000), (D("60"), 500)], "80.00"),
        ("repeating result is rounded", [(D("90"), 100), (D("85"), 200)], "86.67"),
        ("no households falls back to the mean", [(D("90"), 0), (D("81"), 0)], "85.50"),
    ],
)
def test_a_household_weighted_average_weighs_each_compound_by_households(_case, parts, expected):
    assert household_weighted(parts) == D(expected)


def test_beijing_scores_a_multi_compound_firm_as_the_household_weighted_average_of_its_compounds():
    records = FirmRecords(
        has_party_organisation=True,
        figures=ServiceFigures(),
        compounds=(
            CompoundRecords(compound_id=1, households=1000),
            CompoundRecords(compound_id=2, households=500, inspections=(inspection(7, "30", compound_id=2),)),
        ),
    )
    h2 = parse_period("2026-H2")

    beijing = firm_credit_score(records, h2, BEIJING)
    national = firm_credit_score(records, h2, dataclasses.replace(BEIJING, compound_weighting="NONE"))

    # compound 1: 80; compound 2: 80 − 30 = 50; (80 × 1000 + 50 × 500) / 1500 = 70
    assert beijing.score == D("70.00")
    assert beijing.inspection_ids == (7,)
    assert national.score == D("50.00")


amounts = st.decimals(min_value=0, max_value=60, places=2)
event_kinds = st.sampled_from(list(CreditEventKind))
events_strategy = st.lists(
    st.builds(
        lambda i, kind, points, offset: event(i, kind, points, date(2026, 1, 1) + timedelta(days=offset)),
        st.integers(1, 10_000),
        event_kinds,
        amounts,
        st.integers(0, 400),
    ),
    max_size=6,
)
figures_strategy = st.integers(0, 50).flatmap(
    lambda n: st.builds(ServiceFigures, st.just(n), st.integers(0, n), st.integers(0, 10))
)


@given(
    party=st.booleans(),
    figures=figures_strategy,
    events=events_strategy,
    deductions=st.lists(amounts, max_size=4),
    extra=amounts,
)
def test_adding_a_good_event_never_lowers_a_score(party, figures, events, deductions, extra):
    inspections = tuple(inspection(i, d) for i, d in enumerate(deductions))
    before = score(party=party, figures=figures, events=tuple(events), inspections=inspections)

    after = score(
        party=party, figures=figures, events=(*events, event(99_999, "GOOD", extra)), inspections=inspections
    )

    assert after.score >= before.score


@given(
    party=st.booleans(),
    figures=figures_strategy,
    events=events_strategy,
    deductions=st.lists(amounts, max_size=4),
    extra=amounts,
    kind=st.sampled_from([CreditEventKind.BAD, CreditEventKind.SEVERE]),
)
def test_adding_a_bad_event_never_raises_a_score(party, figures, events, deductions, extra, kind):
    inspections = tuple(inspection(i, d) for i, d in enumerate(deductions))
    before = score(party=party, figures=figures, events=tuple(events), inspections=inspections)

    after = score(party=party, figures=figures, events=(*events, event(99_999, kind, extra)), inspections=inspections)

    assert after.score <= before.score


@given(party=st.booleans(), figures=figures_strategy, events=events_strategy, deductions=st.lists(amounts, max_size=4))
def test_a_score_is_never_below_zero_and_has_two_decimals(party, figures, events, deductions):
    inspections = tuple(inspection(i, d) for i, d in enumerate(deductions))

    result = score(party=party, figures=figures, events=tuple(events), inspections=inspections)

    assert result.score >= 0
    assert result.score == result.score.quantize(D("0.01"))
    assert result.basic <= NATIONAL.basic_cap
    assert result.good <= NATIONAL.good_cap


@given(st.lists(st.tuples(st.decimals(min_value=0, max_value=120, places=2), st.integers(0, 5000)), min_size=1,
                max_size=8))
def test_a_household_weighted_score_lies_between_its_compounds_scores(parts):
    result = household_weighted(parts)

    assert min(v for v, _ in parts) <= result <= max(v for v, _ in parts)
