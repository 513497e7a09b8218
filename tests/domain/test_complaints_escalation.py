from datetime import UTC, datetime

import pytest

from domain.complaints.escalation import Rung, check_escalation, next_rung
from domain.complaints.numbering import complaint_number, numbering_year, parse_complaint_number
from domain.errors import ErrorCode, RuleViolation


@pytest.mark.parametrize(
    ("_case", "current", "expected"),
    [
        ("_case a firm whistles to the community", Rung.FIRM, Rung.COMMUNITY),
        ("_case a community to the street", Rung.COMMUNITY, Rung.STREET),
        ("_case a street to the district centre", Rung.STREET, Rung.DISTRICT),
        ("_case the district centre is the top", Rung.DISTRICT, None),
    ],
)
def test_automatic_escalation_climbs_one_rung(_case: str, current: Rung, expected: Rung | None) -> None:
    assert next_rung(current) == expected


@pytest.mark.parametrize(
    ("_case", "current", "target", "reason", "field"),
    [
        ("_case sideways", Rung.COMMUNITY, Rung.COMMUNITY, "久拖不决", ("toBodyId",)),
        ("_case downwards", Rung.STREET, Rung.FIRM, "久拖不决", ("toBodyId",)),
        ("_case to a body that is not on the ladder", Rung.FIRM, None, "久拖不决", ("toBodyId",)),
        ("_case without a reason", Rung.FIRM, Rung.STREET, " ", ("reason",)),
    ],
)
def test_an_escalation_must_go_up_with_a_reason(
    _case: str, current: Rung, target: Rung | None, reason: str, field: tuple[str, ...]
) -> None:
    with pytest.raises(RuleViolation) as raised:
        check_escalation(current=current, target=target, reason=reason)

    assert (raised.value.code, raised.value.field) == (ErrorCode.INVALID, field)


def test_an_escalation_may_skip_rungs() -> None:
    check_escalation(current=Rung.FIRM, target=Rung.DISTRICT, reason="涉及多部门")


def test_order_numbers_are_year_and_six_digit_sequence() -> None:
    assert complaint_number(2026, 123) == "TS-2026-000123"
    assert parse_complaint_number("ts-2026-000123") == (2026, 123)
    assert parse_complaint_number("12345-2026") is None


def test_the_numbering_year_is_the_local_year() -> None:
    # 2026-12-31 16:30 UTC is already New Year's Day in Beijing
    assert numbering_year(datetime(2026, 12, 31, 16, 30, tzinfo=UTC)) == 2027
