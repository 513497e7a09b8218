"""Rule packs: the numbers of one jurisdiction's rules, as frozen values read from the shipped TOML files.

Rules take the values they need from a pack; no rule hard-codes a number that differs between cities.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from domain.calendar import CalendarPeriod


class DayCounting(StrEnum):
    CALENDAR = "CALENDAR"
    WORKING = "WORKING"


class DeadlineUnit(StrEnum):
    HOURS = "h"
    DAYS = "d"
    WORKING_DAYS = "wd"


@dataclass(frozen=True)
class Deadline:
    """A handling time limit: hours, calendar days or statutory working days."""

    amount: int
    unit: DeadlineUnit

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"


@dataclass(frozen=True)
class Threshold:
    """A share that must be reached: `> fraction` (inclusive=False) or `>= fraction` (inclusive=True)."""

    fraction: Fraction
    inclusive: bool

    def met(self, part: Decimal | int | Fraction, whole: Decimal | int | Fraction) -> bool:
        if whole == 0:
            return False
        share = Fraction(part) / Fraction(whole)
        return share >= self.fraction if self.inclusive else share > self.fraction

    def describe(self) -> str:
        return f"{'≥' if self.inclusive else '>'} {self.fraction}"


@dataclass(frozen=True)
class OwnersCommitteeRules:
    min_size: int
    max_size: int | None  # None: the law sets no maximum (京条例 art. 39 "五人以上单数")
    odd_size: bool
    small_compound_households: int
    small_area_m2: Decimal
    small_min_size: int
    max_term_years: int
    min_term_years: int
    first_meeting_days: int
    filing_days: int
    reelection_lead: CalendarPeriod
    reelection_below_seat_share: Fraction
    # Indicators (None where the jurisdiction has no such rule): 京条例 arts. 42, 43, 45
    street_filing_working_days: int | None = None
    chair_publication_days: int | None = None
    regular_meeting_interval: CalendarPeriod | None = None
    temporary_meeting_request_share: Fraction | None = None


@dataclass(frozen=True)
class ManagementCommitteeRules:
    min_size: int
    max_size: int | None
    odd_size: bool
    max_term_years: int
    min_owner_share: Fraction
    chair_from_residents_committee: bool
    vice_chair_owner_representative: bool = False  # 京条例 art. 54
    results_posting_working_days: int | None = None  # 京条例 art. 57: results stay posted 10 working days


@dataclass(frozen=True)
class MeetingRules:
    committee_notice_days: int
    assembly_notice_days: int
    other_notice_days: int
    committee_quorum: Threshold
    # share of ALL members agreeing for a committee decision (MAJORITY_OF_ALL_MEMBERS)
    committee_decision: Threshold
    assembly_participation: Threshold
    residents_quorum: Threshold
    minutes_signatures: str
    results_publication_days: int
    challenge_period: CalendarPeriod


@dataclass(frozen=True)
class ComplaintRules:
    day_counting: DayCounting
    acknowledge_hours: int
    return_visit_attempts: int
    deadlines: dict[str, Deadline]
    kpi_weights: dict[str, int]


@dataclass(frozen=True)
class GradeBand:
    grade: str
    min: Decimal
    requires_bad_record: bool = False


@dataclass(frozen=True)
class RelativeShare:
    grade: str
    share: Decimal


@dataclass(frozen=True)
class CreditScheme:
    period: str  # QUARTER | HALF_YEAR | YEAR
    grading: str  # ABSOLUTE | RELATIVE
    basic_base: Decimal
    party_organisation_bonus: Decimal
    on_time_weight: Decimal
    basic_cap: Decimal
    good_cap: Decimal
    unsatisfied_visit_penalty: Decimal
    event_validity: CalendarPeriod
    grades: tuple[GradeBand, ...]
    red_grades: tuple[str, ...]
    black_grades: tuple[str, ...]
    relative_shares: tuple[RelativeShare, ...]
    # NONE: one score over all the firm's compounds; HOUSEHOLDS: per-compound scores averaged by households
    compound_weighting: str = "NONE"
    # RELATIVE grading only (documented local choices, see scoring.relative_grades)
    relative_min_cohort: int = 1
    relative_small_cohort_grade: str = ""
    relative_tie_margin: Decimal = Decimal(0)


@dataclass(frozen=True)
class RulePack:
    name: str
    version: str
    title: str
    sources: tuple[str, ...]
    owners_committee: OwnersCommitteeRules
    management_committee: ManagementCommitteeRules
    meetings: MeetingRules
    complaints: ComplaintRules
    credit: CreditScheme

    @property
    def reference(self) -> str:
        """What a rule decision records as the pack it used."""
        return f"{self.name}@{self.version}"
