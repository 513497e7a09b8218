"""The calendar the rules speak in: dates are Beijing dates (Asia/Shanghai), instants are stored in UTC."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


def local_date(instant: datetime) -> date:
    """The calendar day in Beijing: between 16:00 and 24:00 UTC it is already the next day there."""
    return instant.astimezone(LOCAL).date()
