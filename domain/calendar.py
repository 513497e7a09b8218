"""The calendar the rules speak in: dates are Beijing dates (Asia/Shanghai), instants are stored in UTC."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


def local_date(instant: datetime) -> date:
    """The calendar day in Beijing: between 16:00 and 24:00 UTC it is already the next day there."""
    return instant.astimezone(LOCAL).date()


class PeriodUnit(StrEnum):
    DAYS = "d"
    MONTHS = "m"
    YEARS = "y"


@dataclass(frozen=True)
class CalendarPeriod:
    """A legal period in days, months or years, counted as 民法典 arts. 200–202 count them."""

    amount: int
    unit: PeriodUnit

    def __str__(self) -> str:
        return f"{self.amount}{self.unit.value}"

    @classmethod
    def parse(cls, text: str) -> CalendarPeriod:
        """'365d', '6m', '1y'; raises ValueError otherwise."""
        text = str(text).strip()
        unit = next((u for u in PeriodUnit if text.endswith(u.value)), None)
        if unit is None or not text[:-1].isdigit() or int(text[:-1]) <= 0:
            raise ValueError(f"a period looks like '15d', '6m' or '1y', got {text!r}")
        return cls(int(text[:-1]), unit)

    def last_day_from(self, start: date) -> date:
        """The last day of the period that begins with the event on `start`.

        民法典 art. 201: the day of the event is not counted, counting starts the next day; art. 202: a period in
        months or years ends on the corresponding date of the final month, or on its last day when that month has
        no corresponding date. So one year from 2027-06-01 ends 2028-06-01, from 2028-02-29 ends 2029-02-28.
        """
        if self.unit is PeriodUnit.DAYS:
            return start + timedelta(days=self.amount)
        months = self.amount * (12 if self.unit is PeriodUnit.YEARS else 1)
        return add_months(start, months)

    def first_day_before(self, end: date) -> date:
        """The day that lies this period before `end` (the corresponding date counted backwards)."""
        if self.unit is PeriodUnit.DAYS:
            return end - timedelta(days=self.amount)
        return add_months(end, -self.amount * (12 if self.unit is PeriodUnit.YEARS else 1))


def add_months(day: date, months: int) -> date:
    """The corresponding date `months` later (or earlier); the month's last day when it has none (民法典 art. 202)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
