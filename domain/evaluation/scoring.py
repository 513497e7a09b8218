"""Credit scoring of property firms (信用评价): the scheme's formula, event validity, grades and the red/black lists.

Pure functions over plain values; every number comes from the rule pack's credit scheme. Scores are kept to two
decimals, rounded half up (四舍五入) as published scores are.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.periods import Period
from domain.rulepacks.model import CreditScheme

TWO_PLACES = Decimal("0.01")
ZERO = Decimal("0.00")
K = TypeVar("K", bound=Hashable)


class CreditEventKind(StrEnum):
    GOOD = "GOOD"  # 良好信用信息
    BAD = "BAD"  # 不良信用信息
    SEVERE = "SEVERE"  # 严重失信信息


class Listing(StrEnum):
    RED = "RED"  # 红榜
    BLACK = "BLACK"  # 黑榜
    NONE = "NONE"


def two_places(value: Decimal | Fraction | int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _check_amount(value: Decimal, field_name: str) -> None:
    if not value.is_finite() or value < 0 or value != value.quantize(TWO_PLACES):
        raise RuleViolation(
            ErrorCode.INVALID,
            "分值须为非负数且最多两位小数",
            field_name,
            en="points must be non-negative with at most two decimals",
        )


@dataclass(frozen=True)
class CreditEventFact:
    id: int
    kind: CreditEventKind
    points: Decimal
    reason: str
    occurred_on: date
    valid_until: date  # the last day on which the event counts


@dataclass(frozen=True)
class InspectionFact:
    id: int
    compound_id: int
    inspected_on: date
    deduction: Decimal  # the sum of its findings' deductions


@dataclass(frozen=True)
class ServiceFigures:
    """Work orders dispatched to the firm in the period and their outcomes (from the complaints area)."""

    dispatched: int = 0
    resolved_on_time: int = 0
    unsatisfied_return_visits: int = 0


@dataclass(frozen=True)
class CompoundRecords:
    compound_id: int
    households: int
    inspections: tuple[InspectionFact, ...] = ()


@dataclass(frozen=True)
class FirmRecords:
    has_party_organisation: bool
    figures: ServiceFigures
    events: tuple[CreditEventFact, ...] = ()
    compounds: tuple[CompoundRecords, ...] = ()


@dataclass(frozen=True)
class CreditScore:
    """A firm's score with its components and the records that produced them."""

    basic: Decimal
    good: Decimal
    bad: Decimal
    score: Decimal
    on_time_rate: Decimal
    inspection_deductions: Decimal
    event_deductions: Decimal
    return_visit_deductions: Decimal
    inspection_ids: tuple[int, ...] = ()
    event_ids: tuple[int, ...] = ()
    figures: ServiceFigures = field(default_factory=ServiceFigures)

    def components(self) -> tuple[tuple[str, Decimal], ...]:
        return (
            ("basic", self.basic),
            ("good", self.good),
            ("bad", self.bad),
            ("inspectionDeductions", self.inspection_deductions),
            ("eventDeductions", self.event_deductions),
            ("returnVisitDeductions", self.return_visit_deductions),
        )


def check_credit_event(kind: CreditEventKind, points: Decimal, occurred_on: date, valid_until: date) -> None:
    _check_amount(points, "points")
    if valid_until < occurred_on:
        raise RuleViolation(
            ErrorCode.INVALID,
            "有效期不能早于发生日期",
            "validUntil",
            en="validUntil must not be before occurredOn",
        )


def default_valid_until(occurred_on: date, scheme: CreditScheme) -> date:
    # 烟台 2022: credit information counts for one year (the pack's event_validity); 民法典 arts. 201–202: counting
    # starts the next day and a year ends on the corresponding date (2027-03-01 -> 2028-03-01).
    return scheme.event_validity.last_day_from(occurred_on)


def valid_in(event: CreditEventFact, period: Period) -> bool:
    """An event counts in a period when its validity window [occurred_on, valid_until] overlaps it."""
    return event.occurred_on < period.end and event.valid_until >= period.start


def _check_figures(figures: ServiceFigures) -> None:
    if (
        min(figures.dispatched, figures.resolved_on_time, figures.unsatisfied_return_visits) < 0
        or figures.resolved_on_time > figures.dispatched
    ):
        raise RuleViolation(
            ErrorCode.INVALID,
            "工单数据无效：按时办结数不能超过派单数",
            "figures",
            en="invalid order figures: on-time resolutions exceed dispatched orders",
        )


def _on_time_rate(figures: ServiceFigures) -> Fraction:
    # A firm that was sent no orders has nothing late: the rate is 1.
    return Fraction(figures.resolved_on_time, figures.dispatched) if figures.dispatched else Fraction(1)


def credit_score(
    *,
    has_party_organisation: bool,
    figures: ServiceFigures,
    events: Sequence[CreditEventFact],
    inspections: Sequence[InspectionFact],
    period: Period,
    scheme: CreditScheme,
) -> CreditScore:
    """score = max(0, basic + good − bad) (鲁建物字〔2019〕4号 shape).

    basic = base + Party organisation bonus + weight × on-time rate, at most basic_cap;
    good = GOOD events valid in the period, at most good_cap;
    bad = inspection deductions in the period + BAD and SEVERE events valid in the period
          + penalty × unsatisfied return visits.
    """
    _check_figures(figures)
    rate = _on_time_rate(figures)
    bonus = scheme.party_organisation_bonus if has_party_organisation else Decimal(0)
    basic_raw = Fraction(scheme.basic_base + bonus) + Fraction(scheme.on_time_weight) * rate
    basic = min(two_places(scheme.basic_cap), two_places(basic_raw))
    counted_events = sorted((e for e in events if valid_in(e, period)), key=lambda e: (e.occurred_on, e.id))
    good = min(
        two_places(scheme.good_cap),
        two_places(sum((e.points for e in counted_events if e.kind is CreditEventKind.GOOD), ZERO)),
    )
    counted_inspections = sorted((i for i in inspections if period.contains(i.inspected_on)), key=lambda i: i.id)
    inspection_deductions = two_places(sum((i.deduction for i in counted_inspections), ZERO))
    event_deductions = two_places(sum((e.points for e in counted_events if e.kind is not CreditEventKind.GOOD), ZERO))
    visit_deductions = two_places(scheme.unsatisfied_visit_penalty * figures.unsatisfied_return_visits)
    bad = inspection_deductions + event_deductions + visit_deductions
    return CreditScore(
        basic=basic,
        good=good,
        bad=bad,
        score=max(ZERO, basic + good - bad),
        on_time_rate=rate_places(rate),
        inspection_deductions=inspection_deductions,
        event_deductions=event_deductions,
        return_visit_deductions=visit_deductions,
        inspection_ids=tuple(i.id for i in counted_inspections),
        event_ids=tuple(e.id for e in counted_events),
        figures=figures,
    )


def rate_places(rate: Fraction) -> Decimal:
    return (Decimal(rate.numerator) / Decimal(rate.denominator)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def household_weighted(parts: Sequence[tuple[Decimal, int]]) -> Decimal:
    """Σ(value × households) / Σ households, two decimals; an unweighted mean when no compound has households."""
    if not parts:
        return ZERO
    if any(households < 0 for _, households in parts):
        raise RuleViolation(ErrorCode.INVALID, "户数不能为负", "households", en="households must not be negative")
    total = sum(households for _, households in parts)
    if total == 0:
        return two_places(Fraction(sum((v for v, _ in parts), ZERO)) / len(parts))
    return two_places(sum((Fraction(v) * h for v, h in parts), Fraction(0)) / total)


def firm_credit_score(records: FirmRecords, period: Period, scheme: CreditScheme) -> CreditScore:
    """A firm's score for the period; under a HOUSEHOLDS scheme (Beijing 2025) a firm serving several compounds
    is scored per compound and averaged by households, firm-wide records counting at every compound."""
    def score_over(inspections: Sequence[InspectionFact]) -> CreditScore:
        return credit_score(
            has_party_organisation=records.has_party_organisation,
            figures=records.figures,
            events=records.events,
            inspections=inspections,
            period=period,
            scheme=scheme,
        )

    overall = score_over(tuple(i for c in records.compounds for i in c.inspections))
    if scheme.compound_weighting != "HOUSEHOLDS" or len(records.compounds) < 2:
        return overall
    per_compound = [(score_over(c.inspections), c.households) for c in records.compounds]

    def weighted(attribute: str) -> Decimal:
        return household_weighted([(getattr(s, attribute), h) for s, h in per_compound])

    return CreditScore(
        basic=weighted("basic"),
        good=weighted("good"),
        bad=weighted("bad"),
        score=weighted("score"),
        on_time_rate=overall.on_time_rate,
        inspection_deductions=weighted("inspection_deductions"),
        event_deductions=weighted("event_deductions"),
        return_visit_deductions=weighted("return_visit_deductions"),
        inspection_ids=overall.inspection_ids,
        event_ids=overall.event_ids,
        figures=records.figures,
    )


def absolute_grade(score: Decimal, scheme: CreditScheme, *, has_bad_record: bool = False) -> str:
    """The first band (highest minimum first) whose minimum the score reaches: AAA ≥ 85, AA ≥ 80, ...

    A band that requires a bad record (鲁建物字〔2019〕4号: C is "< 60 with a 不良 record") is skipped for a firm
    without one, which then takes the lowest band that does not (B: "60–70, or < 60 with no 不良 record").
    """
    bands = [b for b in scheme.grades if has_bad_record or not b.requires_bad_record]
    for band in bands:
        if score >= band.min:
            return band.grade
    return bands[-1].grade


def has_bad_record(events: Sequence[CreditEventFact], period: Period) -> bool:
    """A 不良 (BAD or SEVERE) credit record valid in the period; inspection deductions alone are not one."""
    return any(e.kind is not CreditEventKind.GOOD and valid_in(e, period) for e in events)


def relative_quotas(count: int, scheme: CreditScheme) -> list[tuple[str, int]]:
    """How many ranked firms get each grade: share × count rounded half up, best grade first, never more than
    are left; the remainder falls to the last grade (Beijing 2025: A/B/C/D by rank)."""
    quotas: list[tuple[str, int]] = []
    left = count
    for position, share in enumerate(scheme.relative_shares):
        if position == len(scheme.relative_shares) - 1:
            quota = left
        else:
            quota = min(left, int((share.share * count).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        quotas.append((share.grade, quota))
        left -= quota
    return quotas


def relative_grades(scores: Mapping[K, Decimal], scheme: CreditScheme) -> dict[K, str]:
    """Grades by rank within the cohort (the firms of the district scored under the same scheme).

    Beijing 2025 grades "按比例" but publishes neither the shares nor a procedure for ties or small cohorts
    (legal-rules §8.5), so two documented local choices in the pack keep rank from black-listing a firm on
    noise: a cohort smaller than `relative_min_cohort` is not ranked (every firm gets
    `relative_small_cohort_grade`), and a grade boundary only falls where the next firm scores at least
    `relative_tie_margin` below the one above it; closer firms share the better grade.
    """
    if len(scores) < scheme.relative_min_cohort:
        return {key: scheme.relative_small_cohort_grade for key in scores}
    ranked = sorted(scores.items(), key=lambda item: (-item[1], str(item[0])))
    slots = [grade for grade, quota in relative_quotas(len(ranked), scheme) for _ in range(quota)]
    grades: dict[K, str] = {}
    previous: tuple[Decimal, str] | None = None
    for (key, score), slot in zip(ranked, slots, strict=True):
        if previous is not None and previous[0] - score < scheme.relative_tie_margin:
            slot = previous[1]
        grades[key] = slot
        previous = (score, slot)
    return grades


def grade_all(
    scores: Mapping[K, Decimal], scheme: CreditScheme, *, bad_records: Collection[K] = frozenset()
) -> dict[K, str]:
    if scheme.grading == "RELATIVE":
        return relative_grades(scores, scheme)
    return {key: absolute_grade(score, scheme, has_bad_record=key in bad_records) for key, score in scores.items()}


@dataclass(frozen=True)
class ListingDecision:
    listing: Listing
    reasons: tuple[str, ...]


def listing_for(
    grade: str, events: Sequence[CreditEventFact], period: Period, scheme: CreditScheme
) -> ListingDecision:
    """RED: a red grade and no BAD or SEVERE event valid in the period.
    BLACK: any SEVERE event valid in the period, or a black grade."""
    valid = sorted((e for e in events if valid_in(e, period)), key=lambda e: (e.occurred_on, e.id))
    severe = [e for e in valid if e.kind is CreditEventKind.SEVERE]
    bad = [e for e in valid if e.kind is not CreditEventKind.GOOD]
    if severe or grade in scheme.black_grades:
        reasons = [f"严重失信：{e.reason}（{e.occurred_on.isoformat()}）" for e in severe]
        if grade in scheme.black_grades:
            reasons.insert(0, f"信用等级 {grade}")
        return ListingDecision(Listing.BLACK, tuple(reasons))
    if grade in scheme.red_grades and not bad:
        return ListingDecision(Listing.RED, (f"信用等级 {grade}", "评价期内无不良信用记录"))
    if grade in scheme.red_grades:
        return ListingDecision(
            Listing.NONE, tuple(f"不良信用记录：{e.reason}（{e.occurred_on.isoformat()}）" for e in bad)
        )
    return ListingDecision(Listing.NONE, ())
