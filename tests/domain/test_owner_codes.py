"""One-time codes for owner sign-up: expiry, single use, hashed storage, wrong guesses; throttling of requests."""

from datetime import UTC, datetime, timedelta

import pytest

from domain.deliberation.rules import check_window
from domain.errors import ErrorCode, RuleViolation
from domain.owners.codes import (
    MAX_WRONG_GUESSES,
    SMS_CODE_LIFETIME,
    StoredCode,
    VerificationRequest,
    check_code,
    digest,
    matches,
    new_code,
    normalise,
)
from domain.owners.throttle import Buckets, LimitsThrottle

NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def stored(code: str, **changes) -> StoredCode:
    values = {"verification_id": "v1", "code_hash": digest("v1", code), "expires_at": NOW + SMS_CODE_LIFETIME,
              "used_at": None, "wrong_guesses": 0, **changes}
    return StoredCode(**values)


def code_of(error: pytest.ExceptionInfo) -> ErrorCode:
    return error.value.code


def test_a_fresh_code_opens_its_verification():
    check_code(stored("123456"), "123456", now=NOW)


def test_the_code_is_stored_only_as_a_digest_keyed_by_the_verification():
    assert digest("v1", "123456") != digest("v2", "123456")
    assert "123456" not in digest("v1", "123456")


@pytest.mark.parametrize(
    ("record", "given", "at", "code"),
    [
        (stored("123456"), "654321", NOW, ErrorCode.INVALID_CODE),
        (stored("123456"), "123456", NOW + SMS_CODE_LIFETIME, ErrorCode.CODE_EXPIRED),
        (stored("123456", used_at=NOW), "123456", NOW, ErrorCode.INVALID_CODE),
        (stored("123456", wrong_guesses=MAX_WRONG_GUESSES), "123456", NOW, ErrorCode.THROTTLED),
        (None, "123456", NOW, ErrorCode.INVALID_CODE),
    ],
    ids=["wrong", "expired", "used once already", "too many wrong guesses", "unknown verification"],
)
def test_a_code_is_refused_when(record, given, at, code):
    with pytest.raises(RuleViolation) as caught:
        check_code(record, given, now=at)
    assert code_of(caught) is code


def test_a_code_one_second_before_expiry_still_opens():
    check_code(stored("000042"), "000042", now=NOW + SMS_CODE_LIFETIME - timedelta(seconds=1))


def test_new_codes_are_six_digits():
    codes = {new_code() for _ in range(50)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 1


def test_matching_needs_name_id_number_and_recorded_phone():
    request = normalise(VerificationRequest(1, " 王芳 ", "11010519491231002x", "13800138000"))
    assert matches(request, name="王芳", id_number="11010519491231002X", phone="13800138000")
    assert not matches(request, name="王芳", id_number="110105194912310038", phone="13800138000")
    assert not matches(request, name="王芳", id_number="11010519491231002X", phone="13900139000")
    assert not matches(request, name="王方", id_number="11010519491231002X", phone="13800138000")
    assert not matches(request, name="王芳", id_number=None, phone="13800138000")


@pytest.mark.parametrize(("name", "id_number", "phone", "field"),
                         [("", "11010519491231002X", "13800138000", "name"),
                          ("王芳", "1101051949", "13800138000", "idNumber"),
                          ("王芳", "11010519491231002X", "0101234", "phone")])
def test_malformed_input_is_invalid(name, id_number, phone, field):
    with pytest.raises(RuleViolation) as caught:
        normalise(VerificationRequest(1, name, id_number, phone))
    assert code_of(caught) is ErrorCode.INVALID and caught.value.field == (field,)


async def test_the_throttle_refuses_the_sixth_request_for_one_phone_but_not_another_phone():
    throttle = LimitsThrottle(buckets=Buckets(per_phone="5/hour"))
    assert [await throttle.hit("per_phone", "13800138000") for _ in range(6)] == [True] * 5 + [False]
    assert await throttle.hit("per_phone", "13900139000")
    await throttle.reset()
    assert await throttle.hit("per_phone", "13800138000")


async def test_the_buckets_are_counted_apart():
    throttle = LimitsThrottle(buckets=Buckets(per_phone="1/hour", per_address="1/hour"))
    assert await throttle.hit("per_phone", "k")
    assert await throttle.hit("per_address", "k")
    assert not await throttle.hit("per_address", "k")


@pytest.mark.parametrize(("opens", "closes", "at", "ok"), [
    (NOW, NOW + timedelta(days=14), NOW, True),
    (NOW, NOW + timedelta(days=14), NOW - timedelta(seconds=1), False),
    (NOW, NOW + timedelta(days=14), NOW + timedelta(days=14), False),
    (None, None, NOW, True),
])
def test_a_written_consultation_takes_ballots_only_inside_its_window(opens, closes, at, ok):
    if ok:
        check_window(opens_at=opens, closes_at=closes, now=at)
    else:
        with pytest.raises(RuleViolation) as caught:
            check_window(opens_at=opens, closes_at=closes, now=at)
        assert code_of(caught) is ErrorCode.VOTING_CLOSED
