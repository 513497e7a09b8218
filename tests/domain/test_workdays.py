import tomllib
from datetime import date

import pytest

from domain.workdays import (
    SHIPPED,
    ScheduleError,
    add_working_days,
    is_known_year,
    is_working_day,
    parse_schedule,
    schedule,
    use_holiday_dir,
)

SPRING_2027 = """
year = 2027
source = "国务院办公厅关于2027年部分节假日安排的通知 (test data, not the real notice)"
days_off = ["2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10",
            "2027-02-11"]
working_weekends = ["2027-02-13"]
"""


@pytest.fixture
def operator_dir(tmp_path):
    yield tmp_path
    use_holiday_dir(None)


def test_every_shipped_schedule_names_its_state_council_source():
    for path in sorted(SHIPPED.glob("*.toml")):
        loaded = parse_schedule(tomllib.loads(path.read_text(encoding="utf-8")), year=int(path.stem))
        assert "国务院办公厅" in loaded.source


def test_the_2026_file_agrees_with_chinese_calendar_on_every_day():
    import chinese_calendar

    day = date(2026, 1, 1)
    loaded = schedule(2026)
    while day.year == 2026:
        assert loaded.is_working_day(day) is chinese_calendar.is_workday(day), day
        day = date.fromordinal(day.toordinal() + 1)


def test_years_without_a_schedule_are_unknown_and_counted_provisionally():
    assert is_known_year(2025) and is_known_year(2026)
    assert not is_known_year(2027)

    counted = add_working_days(date(2027, 1, 29), 5)

    assert counted.provisional and counted.unknown_years == (2027,)


def test_an_operator_file_for_2027_makes_spring_festival_deadlines_definitive(operator_dir):
    (operator_dir / "2027.toml").write_text(SPRING_2027, encoding="utf-8")
    use_holiday_dir(operator_dir)

    # Thu 4 Feb + 5 working days: 5-11 Feb off, Fri 12, Sat 13 (make-up), Mon 15, Tue 16, Wed 17
    counted = add_working_days(date(2027, 2, 4), 5)

    assert not is_working_day(date(2027, 1, 1))
    assert counted.last_day == date(2027, 2, 17)
    assert not counted.provisional


@pytest.mark.parametrize(
    ("_case", "text", "message"),
    [
        ("_case the wrong year", 'year = 2028\nsource = "x"', "year must be 2027"),
        ("_case no source", "year = 2027", "source"),
        ("_case a date of another year", 'year = 2027\nsource = "x"\ndays_off = ["2026-12-31"]', "2027"),
        ("_case a weekday as a working weekend", 'year = 2027\nsource = "x"\nworking_weekends = ["2027-02-01"]',
         "Saturdays or Sundays"),
    ],
)
def test_a_malformed_schedule_is_refused(_case, text, message):
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(tomllib.loads(text), year=2027)
