"""Reads and validates the shipped rule packs (packs/*.toml) once; a malformed pack fails at start-up."""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from domain.calendar import CalendarPeriod
from domain.rulepacks.model import (
    ComplaintRules,
    CreditScheme,
    DayCounting,
    Deadline,
    DeadlineUnit,
    GradeBand,
    ManagementCommitteeRules,
    MeetingRules,
    OwnersCommitteeRules,
    RelativeShare,
    RulePack,
    Threshold,
)

PACK_DIR = Path(__file__).with_name("packs")
URGENCIES = ("EMERGENCY", "UTILITY", "ORDINARY", "COMPLEX")
PERIODS = ("QUARTER", "HALF_YEAR", "YEAR")
GRADINGS = ("ABSOLUTE", "RELATIVE")
COMPOUND_WEIGHTINGS = ("NONE", "HOUSEHOLDS")
SIGNATURE_RULES = ("ALL_PRESENT", "MAJORITY_PRESENT")


class RulePackError(ValueError):
    """A pack file that does not hold a valid rule pack."""


def _int(section: dict[str, Any], key: str, *, minimum: int = 0) -> int:
    value = section.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise RulePackError(f"{key} must be an integer >= {minimum}, got {value!r}")
    return value


def _bool(section: dict[str, Any], key: str) -> bool:
    value = section.get(key)
    if not isinstance(value, bool):
        raise RulePackError(f"{key} must be true or false, got {value!r}")
    return value


def _period(section: dict[str, Any], key: str) -> CalendarPeriod:
    try:
        return CalendarPeriod.parse(section.get(key))
    except ValueError as exc:
        raise RulePackError(f"{key}: {exc}") from None


def _decimal(section: dict[str, Any], key: str) -> Decimal:
    return _to_decimal(section.get(key), key)


def _to_decimal(value: Any, key: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RulePackError(f"{key} must be a decimal string, got {value!r}") from None
    if not result.is_finite() or result < 0:
        raise RulePackError(f"{key} must be a non-negative decimal, got {value!r}")
    return result


def _fraction(value: Any, key: str) -> Fraction:
    try:
        result = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise RulePackError(f"{key} must be a fraction like '2/3', got {value!r}") from None
    if not 0 < result <= 1:
        raise RulePackError(f"{key} must lie in (0, 1], got {value!r}")
    return result


def _threshold(value: Any, key: str) -> Threshold:
    if not isinstance(value, dict) or not isinstance(value.get("inclusive"), bool):
        raise RulePackError(f"{key} must be {{ fraction = 'a/b', inclusive = bool }}, got {value!r}")
    return Threshold(_fraction(value.get("fraction"), key), value["inclusive"])


def _deadline(value: Any, key: str) -> Deadline:
    text = str(value)
    for unit in sorted(DeadlineUnit, key=lambda u: -len(u.value)):
        if text.endswith(unit.value) and text[: -len(unit.value)].isdigit():
            amount = int(text[: -len(unit.value)])
            if amount <= 0:
                break
            return Deadline(amount, unit)
    raise RulePackError(f"{key} must look like '2h', '7d' or '5wd', got {value!r}")


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    section = data.get(key)
    if not isinstance(section, dict):
        raise RulePackError(f"missing section [{key}]")
    return section


def _optional(section: dict[str, Any], key: str, read: Any) -> Any:
    """Keys added after a released version: absent means the rule does not apply in that version."""
    return read(section, key) if key in section else None


def _max_size(section: dict[str, Any]) -> int | None:
    return _optional(section, "max_size", lambda s, k: _int(s, k, minimum=1))


def _owners_committee(s: dict[str, Any]) -> OwnersCommitteeRules:
    rules = OwnersCommitteeRules(
        min_size=_int(s, "min_size", minimum=1),
        max_size=_max_size(s),
        odd_size=_bool(s, "odd_size"),
        small_compound_households=_int(s, "small_compound_households"),
        small_area_m2=_decimal(s, "small_area_m2"),
        small_min_size=_int(s, "small_min_size", minimum=1),
        max_term_years=_int(s, "max_term_years", minimum=1),
        min_term_years=_int(s, "min_term_years"),
        first_meeting_days=_int(s, "first_meeting_days", minimum=1),
        filing_days=_int(s, "filing_days", minimum=1),
        reelection_lead=_period(s, "reelection_lead"),
        reelection_below_seat_share=_fraction(s.get("reelection_below_seat_share"), "reelection_below_seat_share"),
        street_filing_working_days=_optional(s, "street_filing_working_days", lambda s, k: _int(s, k, minimum=1)),
        chair_publication_days=_optional(s, "chair_publication_days", lambda s, k: _int(s, k, minimum=1)),
        regular_meeting_interval=_optional(s, "regular_meeting_interval", _period),
        temporary_meeting_request_share=_optional(
            s, "temporary_meeting_request_share", lambda s, k: _fraction(s.get(k), k)
        ),
    )
    if not rules.small_min_size <= rules.min_size <= (rules.max_size or rules.min_size):
        raise RulePackError("owners_committee sizes must satisfy small_min_size <= min_size <= max_size")
    if rules.min_term_years > rules.max_term_years:
        raise RulePackError("owners_committee min_term_years exceeds max_term_years")
    return rules


def _management_committee(s: dict[str, Any]) -> ManagementCommitteeRules:
    rules = ManagementCommitteeRules(
        min_size=_int(s, "min_size", minimum=1),
        max_size=_max_size(s),
        odd_size=_bool(s, "odd_size"),
        max_term_years=_int(s, "max_term_years", minimum=1),
        min_owner_share=_fraction(s.get("min_owner_share"), "min_owner_share"),
        chair_from_residents_committee=_bool(s, "chair_from_residents_committee"),
        vice_chair_owner_representative=bool(_optional(s, "vice_chair_owner_representative", _bool)),
        results_posting_working_days=_optional(s, "results_posting_working_days", lambda s, k: _int(s, k, minimum=1)),
    )
    if rules.max_size is not None and rules.min_size > rules.max_size:
        raise RulePackError("management_committee min_size exceeds max_size")
    return rules


def _meetings(s: dict[str, Any]) -> MeetingRules:
    signatures = s.get("minutes_signatures")
    if signatures not in SIGNATURE_RULES:
        raise RulePackError(f"minutes_signatures must be one of {SIGNATURE_RULES}, got {signatures!r}")
    return MeetingRules(
        committee_notice_days=_int(s, "committee_notice_days"),
        assembly_notice_days=_int(s, "assembly_notice_days"),
        other_notice_days=_int(s, "other_notice_days"),
        committee_quorum=_threshold(s.get("committee_quorum"), "committee_quorum"),
        # Absent in 2026.1, whose code applied "> 1/2 of all members" everywhere.
        committee_decision=_threshold(s.get("committee_decision", {"fraction": "1/2", "inclusive": False}),
                                      "committee_decision"),
        assembly_participation=_threshold(s.get("assembly_participation"), "assembly_participation"),
        residents_quorum=_threshold(s.get("residents_quorum"), "residents_quorum"),
        minutes_signatures=signatures,
        results_publication_days=_int(s, "results_publication_days"),
        challenge_period=_period(s, "challenge_period"),
    )


def _complaints(s: dict[str, Any]) -> ComplaintRules:
    try:
        counting = DayCounting(s.get("day_counting"))
    except ValueError:
        raise RulePackError(f"day_counting must be CALENDAR or WORKING, got {s.get('day_counting')!r}") from None
    deadlines = s.get("deadlines")
    if not isinstance(deadlines, dict) or set(deadlines) != set(URGENCIES):
        raise RulePackError(f"deadlines must name exactly {URGENCIES}")
    weights = s.get("kpi_weights")
    if not isinstance(weights, dict) or not all(isinstance(v, int) and v >= 0 for v in weights.values()):
        raise RulePackError("kpi_weights must map KPI names to non-negative integers")
    # The pack's day counting is the unit of its day deadlines: WORKING packs count statutory working days ("wd"),
    # CALENDAR packs calendar days ("d"); a pack mixing them contradicts itself.
    day_unit = DeadlineUnit.WORKING_DAYS if counting is DayCounting.WORKING else DeadlineUnit.DAYS
    parsed = {u: _deadline(deadlines[u], f"deadlines.{u}") for u in URGENCIES}
    mixed = [u for u, d in parsed.items() if d.unit is not DeadlineUnit.HOURS and d.unit is not day_unit]
    if mixed:
        raise RulePackError(f"day_counting {counting} contradicts deadlines {mixed} (use '{day_unit.value}')")
    return ComplaintRules(
        day_counting=counting,
        acknowledge_hours=_int(s, "acknowledge_hours", minimum=1),
        return_visit_attempts=_int(s, "return_visit_attempts", minimum=1),
        deadlines=parsed,
        kpi_weights=dict(weights),
    )


def _credit(s: dict[str, Any]) -> CreditScheme:
    if s.get("period") not in PERIODS:
        raise RulePackError(f"credit.period must be one of {PERIODS}")
    if s.get("grading") not in GRADINGS:
        raise RulePackError(f"credit.grading must be one of {GRADINGS}")
    grades = tuple(
        GradeBand(str(g["grade"]), _to_decimal(g["min"], "grades.min"), bool(g.get("requires_bad_record", False)))
        for g in s.get("grades", [])
    )
    if not grades:
        raise RulePackError("credit.grades must not be empty")
    if s["grading"] == "ABSOLUTE" and [g.min for g in grades] != sorted((g.min for g in grades), reverse=True):
        raise RulePackError("credit.grades must be ordered from the highest minimum down")
    names = {g.grade for g in grades}
    shares = tuple(
        RelativeShare(str(r["grade"]), _to_decimal(r["share"], "relative_shares.share"))
        for r in s.get("relative_shares", [])
    )
    relative: dict[str, Any] = {}
    if s["grading"] == "RELATIVE":
        if not shares or sum(r.share for r in shares) != 1:
            raise RulePackError("relative grading needs relative_shares summing to 1")
        # Absent (packs released before 2026.2): every cohort is ranked and only equal scores tie.
        s = {"relative_min_cohort": 1, "relative_small_cohort_grade": shares[0].grade, "relative_tie_margin": "0"} | s
        relative = {
            "relative_min_cohort": _int(s, "relative_min_cohort", minimum=1),
            "relative_small_cohort_grade": str(s.get("relative_small_cohort_grade")),
            "relative_tie_margin": _decimal(s, "relative_tie_margin"),
        }
        if relative["relative_small_cohort_grade"] not in names:
            raise RulePackError("relative_small_cohort_grade must name a grade of the scheme")
    if all(g.requires_bad_record for g in grades):
        raise RulePackError("at least one grade must not require a bad record")
    red, black = tuple(s.get("red_grades", [])), tuple(s.get("black_grades", []))
    if not set(red) | set(black) | {r.grade for r in shares} <= names:
        raise RulePackError("red_grades, black_grades and relative_shares must name grades of the scheme")
    if s.get("compound_weighting", "NONE") not in COMPOUND_WEIGHTINGS:
        raise RulePackError(f"credit.compound_weighting must be one of {COMPOUND_WEIGHTINGS}")
    return CreditScheme(
        period=s["period"],
        grading=s["grading"],
        basic_base=_decimal(s, "basic_base"),
        party_organisation_bonus=_decimal(s, "party_organisation_bonus"),
        on_time_weight=_decimal(s, "on_time_weight"),
        basic_cap=_decimal(s, "basic_cap"),
        good_cap=_decimal(s, "good_cap"),
        unsatisfied_visit_penalty=_decimal(s, "unsatisfied_visit_penalty"),
        event_validity=_period(s, "event_validity"),
        grades=grades,
        red_grades=red,
        black_grades=black,
        relative_shares=shares,
        compound_weighting=s.get("compound_weighting", "NONE"),
        **relative,
    )


def parse_rule_pack(data: dict[str, Any]) -> RulePack:
    """Builds a RulePack from parsed TOML, or raises RulePackError naming what is wrong."""
    for key in ("name", "version", "title"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise RulePackError(f"{key} must be a non-empty string")
    return RulePack(
        name=data["name"],
        version=data["version"],
        title=data["title"],
        sources=tuple(data.get("sources", [])),
        owners_committee=_owners_committee(_section(data, "owners_committee")),
        management_committee=_management_committee(_section(data, "management_committee")),
        meetings=_meetings(_section(data, "meetings")),
        complaints=_complaints(_section(data, "complaints")),
        credit=_credit(_section(data, "credit")),
    )


def _version_key(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        raise RulePackError(f"version must look like 2026.2, got {version!r}") from None


def load_pack_dir(directory: Path) -> dict[str, dict[str, RulePack]]:
    """Every released version of every pack: packs/<name>/<version>.toml (a released file is never edited)."""
    versions: dict[str, dict[str, RulePack]] = {}
    for path in sorted(directory.glob("*/*.toml")):
        try:
            pack = parse_rule_pack(tomllib.loads(path.read_text(encoding="utf-8")))
        except (RulePackError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
            raise RulePackError(f"{path.parent.name}/{path.name}: {exc}") from exc
        if (pack.name, pack.version) != (path.parent.name, path.stem):
            raise RulePackError(f"{path.parent.name}/{path.name}: holds {pack.reference}, not the file's name@version")
        _version_key(pack.version)
        versions.setdefault(pack.name, {})[pack.version] = pack
    return versions


@cache
def released_packs() -> dict[str, dict[str, RulePack]]:
    """name -> version -> pack, loaded and validated once."""
    return load_pack_dir(PACK_DIR)


def latest(versions: dict[str, RulePack]) -> RulePack:
    return versions[max(versions, key=_version_key)]


def rule_packs() -> dict[str, RulePack]:
    """The current (newest) version of each pack by name: what new decisions use."""
    return {name: latest(versions) for name, versions in released_packs().items()}


def rule_pack(name: str) -> RulePack | None:
    """The current version of the named pack; a `name@version` reference resolves to that released version."""
    if "@" in name:
        return resolve_reference(name)
    versions = released_packs().get(name)
    return latest(versions) if versions else None


def resolve_reference(reference: str) -> RulePack | None:
    """The pack a decision recorded (`beijing@2026.1`): that released version, so that the decision is explained and
    recomputed with the numbers it was made with. A reference without a known version (data from before versions
    were kept) falls back to the pack's current version."""
    name, _, version = reference.partition("@")
    versions = released_packs().get(name)
    if not versions:
        return None
    return versions.get(version) or latest(versions)
