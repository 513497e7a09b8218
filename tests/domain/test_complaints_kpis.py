from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.complaints.kpis import (
    ComplaintKpis,
    DispatchFacts,
    OrderFacts,
    ResolutionFacts,
    VisitFacts,
    compute_kpis,
    p90,
    weighted_score,
)
from domain.complaints.rules import Satisfaction
from domain.rulepacks import rule_pack

START = datetime(2026, 10, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)
BEFORE = START - timedelta(days=3)
LIMIT = rule_pack("national").complaints.acknowledge_hours  # type: ignore[union-attr]


def at(day: int, hour: int = 0) -> datetime:
    return START + timedelta(days=day - 1, hours=hour)


def kpis(**facts: object) -> ComplaintKpis:
    given_facts = {"orders": [], "dispatches": [], "resolutions": [], "visits": []} | facts
    return compute_kpis(**given_facts, start=START, end=END)  # type: ignore[arg-type]


def test_received_and_closed_count_orders_whose_instant_falls_in_the_period() -> None:
    orders = [
        OrderFacts(1, at(1), at(3), 0),
        OrderFacts(2, BEFORE, at(2), 0),  # closed in, received before
        OrderFacts(3, at(5), None, 0),
        OrderFacts(4, at(30), END, 0),  # closed exactly at the end: outside [start, end)
    ]

    result = kpis(orders=orders)

    assert (result.received, result.closed) == (3, 2)


def test_response_rate_counts_acknowledgements_within_the_packs_limit() -> None:
    dispatches = [
        DispatchFacts(1, at(1), at(1) + timedelta(hours=LIMIT), LIMIT),  # on the limit: in time
        DispatchFacts(2, at(2), at(2) + timedelta(hours=LIMIT, minutes=1), LIMIT),  # late
        DispatchFacts(3, at(3), None, LIMIT),  # never signed for
        DispatchFacts(4, at(4), at(4, 2), LIMIT),
        DispatchFacts(5, BEFORE, BEFORE + timedelta(hours=1), LIMIT),  # dispatched outside the period
    ]

    assert kpis(dispatches=dispatches).response_rate == Fraction(2, 4)


def test_on_time_rate_counts_resolutions_at_or_before_the_deadline() -> None:
    resolutions = [
        ResolutionFacts(1, at(3), at(3)),
        ResolutionFacts(2, at(4), at(3)),
        ResolutionFacts(3, at(5), at(9)),
        ResolutionFacts(4, BEFORE, at(9)),
    ]

    assert kpis(resolutions=resolutions).on_time_rate == Fraction(2, 3)


def test_resolution_satisfaction_and_reopen_rates_count_reached_return_visits() -> None:
    orders = [OrderFacts(1, at(1), None, 1), OrderFacts(2, at(1), None, 0), OrderFacts(3, at(1), None, 0)]
    visits = [
        VisitFacts(1, at(5), True, False, Satisfaction.UNSATISFIED),
        VisitFacts(1, at(9), True, True, Satisfaction.SATISFIED),
        VisitFacts(2, at(6), True, True, Satisfaction.BASICALLY_SATISFIED),
        VisitFacts(3, at(6), True, True, Satisfaction.UNSATISFIED),
        VisitFacts(3, at(7), False, None, None),  # unreached: not a return visit for the rates
        VisitFacts(2, BEFORE, True, False, Satisfaction.UNSATISFIED),  # outside the period
    ]

    result = kpis(orders=orders, visits=visits)

    # 4 reached visits: solved 3, (basically) satisfied 2; orders visited 3, of which 1 was ever reopened
    assert result.resolution_rate == Fraction(3, 4)
    assert result.satisfaction_rate == Fraction(2, 4)
    assert result.reopen_rate == Fraction(1, 3)


def test_mean_and_p90_hours_run_from_receipt_to_closure() -> None:
    hours_to_close = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]
    orders = [
        OrderFacts(n, at(1), at(1) + timedelta(hours=h), 0) for n, h in enumerate(hours_to_close, start=1)
    ]

    result = kpis(orders=orders)

    assert result.mean_hours_to_close == Fraction(60)
    # nearest rank: ceil(0.9 * 11) = 10th value
    assert result.p90_hours_to_close == Fraction(100)


def test_fractions_of_an_hour_are_kept_exactly() -> None:
    orders = [OrderFacts(1, at(1), at(1) + timedelta(minutes=90), 0)]

    assert kpis(orders=orders).mean_hours_to_close == Fraction(3, 2)


def test_rates_without_a_denominator_are_none() -> None:
    result = kpis()

    assert result == ComplaintKpis(0, 0, None, None, None, None, None, None, None)


@pytest.mark.parametrize(
    ("_case", "values", "expected"),
    [
        ("_case one value", [Fraction(5)], Fraction(5)),
        ("_case ten values take the ninth", [Fraction(n) for n in range(1, 11)], Fraction(9)),
        ("_case unordered input", [Fraction(3), Fraction(1), Fraction(2)], Fraction(3)),
        ("_case nothing", [], None),
    ],
)
def test_p90_is_the_nearest_rank(_case: str, values: list[Fraction], expected: Fraction | None) -> None:
    assert p90(values) == expected


def test_the_weighted_score_uses_the_packs_weights() -> None:
    weights = rule_pack("national").complaints.kpi_weights  # type: ignore[union-attr]
    result = ComplaintKpis(0, 0, Fraction(1), Fraction(1, 2), Fraction(0), None, None, None, None)

    # 30/35/35: (30 * 1 + 35 * 1/2 + 35 * 0) / 100
    assert weights == {"response": 30, "resolution": 35, "satisfaction": 35}
    assert weighted_score(result, weights) == Fraction(95, 200)


def test_the_weighted_score_skips_missing_rates() -> None:
    result = ComplaintKpis(0, 0, Fraction(1, 2), None, None, None, None, None, None)

    assert weighted_score(result, {"response": 30, "resolution": 35, "satisfaction": 35}) == Fraction(1, 2)
    assert weighted_score(ComplaintKpis(0, 0, None, None, None, None, None, None, None), {"response": 1}) is None


visit_strategy = st.builds(
    VisitFacts,
    complaint_id=st.integers(1, 5),
    visited_at=st.datetimes(min_value=datetime(2026, 9, 1), max_value=datetime(2026, 12, 1), timezones=st.just(UTC)),
    reached=st.booleans(),
    solved=st.one_of(st.none(), st.booleans()),
    satisfaction=st.one_of(st.none(), st.sampled_from(list(Satisfaction))),
)


@given(st.lists(visit_strategy, max_size=30))
def test_rates_always_lie_between_zero_and_one(visits: list[VisitFacts]) -> None:
    orders = [OrderFacts(n, START, None, n % 2) for n in range(1, 6)]

    result = kpis(orders=orders, visits=visits)

    for value in (result.resolution_rate, result.satisfaction_rate, result.reopen_rate):
        assert value is None or 0 <= value <= 1
