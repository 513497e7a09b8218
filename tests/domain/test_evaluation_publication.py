import dataclasses
import hashlib
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.evaluation.publication import (
    PublicationContent,
    PublishedEntry,
    StoredPublication,
    canonical_form,
    content_hash,
    verify_chain,
)
from domain.evaluation.scoring import Listing

RED = PublishedEntry("91370100MA3C5EXA2B", "泉城物业", Decimal("88.5"), "AAA", Listing.RED, ("信用等级 AAA",))
BLACK = PublishedEntry("91370100MA3C5EXB0C", "历下物业", Decimal("55.00"), "C", Listing.BLACK, ("信用等级 C",))
SHANGHAI_TIME = timezone(timedelta(hours=8))


def content(period="2026-Q3", previous=None, entries=(RED, BLACK)):
    return PublicationContent(
        scope="street:1",
        period=period,
        scheme="national@2026.1",
        published_at=datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI_TIME),
        previous_hash=previous,
        entries=tuple(entries),
    )


def chain(*periods):
    stored, previous = [], None
    for period in periods:
        c = content(period, previous)
        previous = content_hash(c)
        stored.append(StoredPublication(c, previous))
    return stored


def test_the_canonical_form_is_compact_sorted_json_in_utc():
    text = canonical_form(content(entries=(RED,)))

    assert text == (
        '{"entries":[{"creditCode":"91370100MA3C5EXA2B","grade":"AAA","listing":"RED","name":"泉城物业",'
        '"reasons":["信用等级 AAA"],"score":"88.50"}],"period":"2026-Q3","previousHash":null,'
        '"publishedAt":"2026-10-08T02:00:00Z","scheme":"national@2026.1","scope":"street:1"}'
    )
    assert content_hash(content(entries=(RED,))) == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_hash_does_not_depend_on_entry_order_or_time_zone_of_the_instant():
    reordered = content(entries=(BLACK, RED))
    in_utc = dataclasses.replace(content(), published_at=datetime(2026, 10, 8, 2, 0, tzinfo=UTC))

    assert content_hash(reordered) == content_hash(content()) == content_hash(in_utc)


@pytest.mark.parametrize(
    ("_case", "change"),
    [
        ("score", lambda e: dataclasses.replace(e, score=Decimal("88.51"))),
        ("grade", lambda e: dataclasses.replace(e, grade="AA")),
        ("listing", lambda e: dataclasses.replace(e, listing=Listing.NONE)),
        ("reasons", lambda e: dataclasses.replace(e, reasons=())),
        ("name", lambda e: dataclasses.replace(e, name="泉城物业有限公司")),
    ],
)
def test_any_change_to_an_entry_changes_the_hash(_case, change):
    assert content_hash(content(entries=(change(RED), BLACK))) != content_hash(content())


def test_an_unbroken_chain_verifies():
    result = verify_chain(chain("2026-Q1", "2026-Q2", "2026-Q3"))

    assert (result.valid, result.checked, result.broken_period) == (True, 3, None)


def test_an_empty_chain_verifies():
    assert verify_chain([]).valid


def test_an_edited_published_row_breaks_the_chain_at_its_publication():
    stored = chain("2026-Q1", "2026-Q2", "2026-Q3")
    edited = dataclasses.replace(stored[1].content, entries=(dataclasses.replace(BLACK, grade="B"), RED))
    stored[1] = StoredPublication(edited, stored[1].content_hash)

    result = verify_chain(stored)

    assert (result.valid, result.broken_period) == (False, "2026-Q2")
    assert result.problem == "content does not match its stored hash"


def test_a_rehashed_publication_breaks_the_link_to_its_successor():
    stored = chain("2026-Q1", "2026-Q2", "2026-Q3")
    edited = dataclasses.replace(stored[1].content, entries=(RED,))
    stored[1] = StoredPublication(edited, content_hash(edited))

    result = verify_chain(stored)

    assert (result.valid, result.broken_period) == (False, "2026-Q3")
    assert result.problem == "previous hash does not match the preceding publication"


def test_a_removed_publication_breaks_the_chain():
    stored = chain("2026-Q1", "2026-Q2", "2026-Q3")

    result = verify_chain([stored[0], stored[2]])

    assert (result.valid, result.broken_period) == (False, "2026-Q3")


def test_an_instant_without_time_zone_is_refused():
    with pytest.raises(ValueError):
        canonical_form(dataclasses.replace(content(), published_at=datetime(2026, 10, 8)))


@given(st.lists(st.decimals(min_value=0, max_value=120, places=2), min_size=1, max_size=8), st.randoms())
def test_the_hash_of_a_list_is_the_same_however_its_entries_are_shuffled(scores, rnd):
    entries = [
        PublishedEntry(f"CODE{i:03d}", f"物业{i}", s, "B", Listing.NONE, ()) for i, s in enumerate(scores)
    ]
    shuffled = entries[:]
    rnd.shuffle(shuffled)

    assert content_hash(content(entries=entries)) == content_hash(content(entries=shuffled))
