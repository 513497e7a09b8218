"""The statutory working-day calendar: holidays and make-up working days (调休) per year, as data.

The State Council publishes each year's schedule in the preceding November. A year's schedule comes from a file
`domain/holidays/<year>.toml` (or one in the operator's directory, `TONGXIN_HOLIDAYS_DIR`, which wins), and for
2004–2025 from chinese-calendar 1.11, which transcribes the notices. A year with neither is *unknown*: days in it
are counted Monday–Friday only provisionally, and every deadline that crosses it says so (`WorkingDays.provisional`),
so that nothing automatic (escalation) acts on a date that a holiday may still move.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import chinese_calendar

SHIPPED = Path(__file__).with_name("holidays")
_extra_dirs: list[Path] = []
# chinese-calendar 1.11 holds the notices for these years; later years need a file.
LIBRARY_YEARS = range(2004, 2026)


class ScheduleError(ValueError):
    """A holiday file that does not hold a valid schedule."""


@dataclass(frozen=True)
class Schedule:
    year: int
    source: str
    days_off: frozenset[date]
    working_weekends: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        return day in self.working_weekends or (day.weekday() < 5 and day not in self.days_off)


def parse_schedule(data: dict, *, year: int) -> Schedule:
    if data.get("year") != year:
        raise ScheduleError(f"year must be {year}, got {data.get('year')!r}")
    if not isinstance(data.get("source"), str) or not data["source"].strip():
        raise ScheduleError("source must name the State Council notice")
    try:
        off = frozenset(date.fromisoformat(d) for d in data.get("days_off", []))
        on = frozenset(date.fromisoformat(d) for d in data.get("working_weekends", []))
    except (TypeError, ValueError) as exc:
        raise ScheduleError(f"dates must be YYYY-MM-DD: {exc}") from None
    if any(d.year != year for d in off | on):
        raise ScheduleError(f"every date must lie in {year}")
    if any(d.weekday() < 5 for d in on):
        raise ScheduleError("working_weekends must be Saturdays or Sundays")
    return Schedule(year, data["source"].strip(), off, on)


def use_holiday_dir(path: str | Path | None) -> None:
    """The operator's directory of `<year>.toml` files, read before the shipped ones (set at start-up)."""
    _extra_dirs.clear()
    if path:
        _extra_dirs.append(Path(path))
    schedule.cache_clear()


@cache
def schedule(year: int) -> Schedule | None:
    for directory in (*_extra_dirs, SHIPPED):
        path = directory / f"{year}.toml"
        if path.is_file():
            try:
                return parse_schedule(tomllib.loads(path.read_text(encoding="utf-8")), year=year)
            except (ScheduleError, tomllib.TOMLDecodeError) as exc:
                raise ScheduleError(f"{path}: {exc}") from exc
    return None


def is_known_year(year: int) -> bool:
    return year in LIBRARY_YEARS or schedule(year) is not None


def is_working_day(day: date) -> bool:
    """Whether `day` is a statutory working day; Monday–Friday in an unknown year (see `add_working_days`)."""
    loaded = schedule(day.year)
    if loaded is not None:
        return loaded.is_working_day(day)
    if day.year in LIBRARY_YEARS:
        return bool(chinese_calendar.is_workday(day))
    return day.weekday() < 5


@dataclass(frozen=True)
class WorkingDays:
    last_day: date
    provisional: bool  # some day counted lies in a year whose schedule is not loaded
    unknown_years: tuple[int, ...] = ()


def add_working_days(start: date, amount: int) -> WorkingDays:
    """The `amount`-th working day after `start` (the start day itself is not counted, as for legal periods)."""
    day, counted = start, 0
    while counted < amount:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    unknown = tuple(y for y in range(start.year, day.year + 1) if not is_known_year(y))
    return WorkingDays(day, bool(unknown), unknown)
