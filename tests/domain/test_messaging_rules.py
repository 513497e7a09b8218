from datetime import UTC, datetime, time, timedelta

import pytest

from domain.messaging.rules import (
    OutboxStatus,
    QuietHours,
    RetryPolicy,
    after_failure,
    backoff,
    end_of_quiet_hours,
    first_attempt_at,
    may_send,
)

POLICY = RetryPolicy(max_attempts=5, base=timedelta(seconds=30), cap=timedelta(minutes=5))
NIGHT = QuietHours(start=time(22, 0), end=time(8, 0))


@pytest.mark.parametrize(
    ("_case", "attempts", "expected"),
    [
        ("no failure yet waits nothing", 0, timedelta(0)),
        ("first failure waits the base", 1, timedelta(seconds=30)),
        ("second failure doubles", 2, timedelta(seconds=60)),
        ("third failure doubles again", 3, timedelta(seconds=120)),
        ("fifth failure is capped", 5, timedelta(minutes=5)),
        ("a huge count stays capped", 10_000, timedelta(minutes=5)),
    ],
)
def test_backoff_doubles_until_the_cap(_case, attempts, expected):
    assert backoff(attempts, POLICY) == expected


def test_backoff_never_shrinks():
    waits = [backoff(n, POLICY) for n in range(1, 30)]

    assert waits == sorted(waits)


@pytest.mark.parametrize(
    ("_case", "local", "quiet"),
    [
        ("late evening", time(23, 30), True),
        ("start is inside", time(22, 0), True),
        ("small hours", time(3, 0), True),
        ("end is outside", time(8, 0), False),
        ("midday", time(12, 0), False),
        ("just before start", time(21, 59), False),
    ],
)
def test_quiet_hours_wrap_midnight(_case, local, quiet):
    assert NIGHT.contains(local) is quiet


def test_equal_start_and_end_means_no_quiet_hours():
    assert not QuietHours(start=time(0, 0), end=time(0, 0)).contains(time(3, 0))


def test_a_message_at_23_beijing_waits_until_8_the_next_morning():
    now = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 Beijing

    assert end_of_quiet_hours(now, NIGHT) == datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # 08:00 Beijing


def test_a_message_at_3_beijing_waits_until_8_the_same_morning():
    now = datetime(2026, 3, 1, 19, 0, tzinfo=UTC)  # 03:00 Beijing on 2 March

    assert end_of_quiet_hours(now, NIGHT) == datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


def test_a_message_at_noon_goes_at_once():
    now = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)  # 12:00 Beijing

    assert end_of_quiet_hours(now, NIGHT) == now


def test_a_statutory_notice_ignores_quiet_hours():
    now = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)

    assert first_attempt_at(now, statutory=True, quiet=NIGHT) == now
    assert first_attempt_at(now, statutory=False, quiet=NIGHT) > now


def test_a_failure_is_retried_after_the_backoff():
    now = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)

    outcome = after_failure(attempts=2, now=now, statutory=False, permanent=False, policy=POLICY, quiet=NIGHT)

    assert outcome.status == OutboxStatus.PENDING
    assert outcome.next_attempt_at == now + timedelta(seconds=60)


def test_the_last_allowed_attempt_failing_marks_the_message_failed():
    now = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)

    outcome = after_failure(attempts=5, now=now, statutory=False, permanent=False, policy=POLICY, quiet=NIGHT)

    assert (outcome.status, outcome.next_attempt_at) == (OutboxStatus.FAILED, None)


def test_a_permanent_failure_is_not_retried():
    now = datetime(2026, 3, 1, 4, 0, tzinfo=UTC)

    outcome = after_failure(attempts=1, now=now, statutory=True, permanent=True, policy=POLICY, quiet=NIGHT)

    assert outcome.status == OutboxStatus.FAILED


def test_a_non_statutory_retry_falling_into_the_night_waits_for_morning():
    now = datetime(2026, 3, 1, 13, 59, 50, tzinfo=UTC)  # 21:59:50 Beijing, retry lands at 22:00:20

    outcome = after_failure(attempts=1, now=now, statutory=False, permanent=False, policy=POLICY, quiet=NIGHT)

    assert outcome.next_attempt_at == datetime(2026, 3, 2, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("_case", "statutory", "opted_out", "sent"),
    [
        ("ordinary message to a subscriber", False, False, True),
        ("ordinary message to someone who opted out", False, True, False),
        ("statutory notice to someone who opted out", True, True, True),
    ],
)
def test_opt_out_covers_only_non_statutory_messages(_case, statutory, opted_out, sent):
    assert may_send(statutory=statutory, opted_out=opted_out) is sent
