from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.deliberation.minutes import (
    PublishedLink,
    canonical,
    challenge_deadline,
    check_publishable,
    check_signer,
    content_hash,
    required_signatures,
    verify_chain,
)
from domain.deliberation.vocabulary import ItemResult
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.loader import rule_pack

AT = datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)


@contextmanager
def raises(code: ErrorCode):
    with pytest.raises(RuleViolation) as info:
        yield info
    assert info.value.code is code, info.value


def minutes(n: int) -> dict:
    return {
        "meetingId": f"meeting-{n}",
        "version": 1,
        "body": f"第 {n} 次会议纪要",
        "items": [{"title": "更换电梯", "result": ItemResult.PASSED, "agreeArea": Decimal("1234.50")}],
        "publishedAt": AT + timedelta(days=n),
        "signers": {"p2", "p1"},
    }


def chain(count: int) -> list[PublishedLink]:
    links, previous = [], None
    for n in range(count):
        content = minutes(n)
        digest = content_hash(content, previous)
        links.append(PublishedLink(f"m{n}", content, digest, previous))
        previous = digest
    return links


def test_the_canonical_form_ignores_key_order_and_keeps_decimals_exact():
    a = {"b": Decimal("1.10"), "a": "业主大会", "c": {"y": 1, "x": [True, None]}}
    b = {"c": {"x": [True, None], "y": 1}, "a": "业主大会", "b": Decimal("1.10")}

    assert canonical(a) == canonical(b)
    assert canonical(a) == '{"a":"业主大会","b":"1.10","c":{"x":[true,null],"y":1}}'.encode()


def test_the_canonical_form_writes_instants_in_utc():
    china = datetime(2026, 6, 1, 10, 0, tzinfo=timezone(timedelta(hours=8)))

    assert canonical({"at": china}) == canonical({"at": AT})


@pytest.mark.parametrize(
    ("_case", "value"),
    [("floats are inexact", 1.5), ("naive instants are ambiguous", datetime(2026, 1, 1)), ("objects", object())],
)
def test_values_without_a_canonical_form_are_refused(_case, value):
    with pytest.raises(ValueError):
        canonical({"x": value})


def test_the_hash_is_sha256_and_depends_on_content_and_predecessor():
    digest = content_hash(minutes(1), None)

    assert len(digest) == 64 and int(digest, 16) >= 0
    assert content_hash(minutes(1), None) == digest
    assert content_hash(minutes(2), None) != digest
    assert content_hash(minutes(1), "0" * 64) != digest


def test_an_untouched_chain_verifies_and_shows_its_newest_hash():
    links = chain(4)

    result = verify_chain(links)

    assert (result.valid, result.length, result.head_hash, result.broken_at) == (True, 4, links[-1].content_hash, None)


def test_an_empty_chain_is_valid():
    assert verify_chain([]).valid is True


def test_editing_published_content_breaks_the_chain_at_that_link():
    links = chain(4)
    links[1] = replace(links[1], content={**links[1].content, "body": "改写后的纪要"})

    result = verify_chain(links)

    assert (result.valid, result.broken_at) == (False, "m1")
    assert "篡改" in result.explanation


def test_rehashing_an_edited_link_still_breaks_the_next_link():
    links = chain(3)
    forged = {**links[1].content, "body": "改写"}
    links[1] = replace(links[1], content=forged, content_hash=content_hash(forged, links[1].previous_hash))

    assert verify_chain(links).broken_at == "m2"


def test_removing_a_link_breaks_the_chain():
    links = chain(3)

    assert verify_chain([links[0], links[2]]).broken_at == "m2"


@given(st.integers(min_value=0, max_value=5), st.data())
def test_any_single_edited_link_is_detected(count, data):
    links = chain(count + 1)
    index = data.draw(st.integers(min_value=0, max_value=count))
    links[index] = replace(links[index], content={**links[index].content, "version": 2})

    assert verify_chain(links).valid is False


# --- signatures ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "rule", "present", "required"),
    [("ALL_PRESENT", "ALL_PRESENT", 5, 5), ("MAJORITY_PRESENT of 5", "MAJORITY_PRESENT", 5, 3),
     ("MAJORITY_PRESENT of 4", "MAJORITY_PRESENT", 4, 3), ("nobody present", "MAJORITY_PRESENT", 0, 0)],
)
def test_the_rule_pack_says_how_many_attendees_must_sign(_case, rule, present, required):
    assert required_signatures(rule, present) == required


def test_the_national_pack_requires_every_attendee_to_sign():
    assert rule_pack("national").meetings.minutes_signatures == "ALL_PRESENT"


def test_only_an_attendee_may_sign_and_only_once():
    check_signer("p1", attendees={"p1", "p2"}, signed=set())

    with raises(ErrorCode.NOT_AN_ATTENDEE):
        check_signer("p9", attendees={"p1", "p2"}, signed=set())
    with raises(ErrorCode.ALREADY_SIGNED):
        check_signer("p1", attendees={"p1", "p2"}, signed={"p1"})


def test_minutes_missing_a_signature_cannot_be_published():
    with raises(ErrorCode.MISSING_SIGNATURES) as info:
        check_publishable(attendees={"p1", "p2", "p3"}, signed={"p1", "p2"}, rule="ALL_PRESENT")

    assert "须 3 人签署，现有 2 人签署" in info.value.message


def test_minutes_signed_by_a_majority_may_be_published_where_the_pack_allows_it():
    check_publishable(attendees={"p1", "p2", "p3"}, signed={"p1", "p2"}, rule="MAJORITY_PRESENT")
    check_publishable(attendees={"p1", "p2", "p3"}, signed={"p1", "p2", "p3"}, rule="ALL_PRESENT")


@pytest.mark.parametrize(
    ("_case", "published_at", "deadline"),
    [
        ("区分所有权解释 art. 12: one year", datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc), date(2027, 6, 1)),
        ("民法典 arts. 201-202: the corresponding date, across a leap day",
         datetime(2027, 6, 1, 2, 0, tzinfo=timezone.utc), date(2028, 6, 1)),
        ("a year from 1 March before a leap day ends on 1 March", datetime(2027, 3, 1, 2, 0, tzinfo=timezone.utc),
         date(2028, 3, 1)),
        ("29 February has no corresponding date: the month's last day", datetime(2028, 2, 29, 2, 0,
                                                                                  tzinfo=timezone.utc),
         date(2029, 2, 28)),
        ("late evening UTC is the next day in China", datetime(2026, 6, 1, 20, 0, tzinfo=timezone.utc),
         date(2027, 6, 2)),
    ],
)
def test_the_challenge_deadline_is_a_year_after_publication_in_china_time(_case, published_at, deadline):
    assert challenge_deadline(published_at, rule_pack("national").meetings.challenge_period) == deadline
