from datetime import UTC, date, datetime

import pytest

from domain.calendar import local_date


@pytest.mark.parametrize("_case, instant, day", [
    ("_case morning in Beijing is the same day", datetime(2026, 11, 21, 1, 0, tzinfo=UTC), date(2026, 11, 21)),
    ("_case 15:59 UTC is still 23:59 in Beijing", datetime(2026, 11, 21, 15, 59, tzinfo=UTC), date(2026, 11, 21)),
    ("_case 16:00 UTC is already tomorrow in Beijing", datetime(2026, 11, 21, 16, 0, tzinfo=UTC), date(2026, 11, 22)),
])
def test_rules_count_days_in_beijing(_case, instant, day):
    assert local_date(instant) == day
