"""Invariants of the structure rules and the audit chain, as hypothesis properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from domain.audit.rules import GENESIS, AuditRecord, chain_hash, first_broken_link
from domain.errors import RuleViolation
from domain.firms.rules import ContractStatus, contract_status, make_credit_code, normalise_credit_code, periods_overlap
from domain.geography.rules import mask_id_number, mask_phone, normalise_id_number, normalise_phone

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))
birthdays = st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31))
# County codes python-stdnum accepts for every birth year from 1900 (many codes are valid only for some years).
regions = st.sampled_from(["110105", "110101", "110108", "310104"])


def id_number(region: str, born: date, serial: int) -> str:
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


@given(mobiles, st.sampled_from(["", "+86", "+86 "]), st.booleans())
def test_normalising_a_mobile_number_is_idempotent_and_strips_decoration(mobile, prefix, spaced):
    decorated = prefix + (f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}" if spaced else mobile)

    assert normalise_phone(decorated) == mobile
    assert normalise_phone(normalise_phone(decorated)) == mobile


@given(mobiles)
def test_a_masked_mobile_keeps_its_length_and_hides_the_middle_four(mobile):
    masked = mask_phone(mobile)

    assert len(masked) == len(mobile)
    assert masked[:3] == mobile[:3] and masked[-4:] == mobile[-4:]
    assert masked[3:7] == "****"


@given(regions, birthdays, st.integers(min_value=0, max_value=999))
def test_every_id_number_with_its_check_character_is_valid(region, born, serial):
    number = id_number(region, born, serial)

    assert normalise_id_number(number) == number
    assert mask_id_number(number) == number[:6] + "********" + number[-4:]


@given(regions, birthdays, st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=17),
       st.sampled_from("0123456789X"))
def test_changing_any_one_character_of_an_id_number_invalidates_it(region, born, serial, position, replacement):
    number = id_number(region, born, serial)
    changed = number[:position] + replacement + number[position + 1:]
    if changed == number:
        return

    with pytest.raises(RuleViolation):
        normalise_id_number(changed)


@given(st.integers(min_value=0, max_value=10**9 - 1), st.sampled_from(["110105", "370100", "440300"]))
def test_made_credit_codes_validate_and_any_other_check_character_does_not(serial, region):
    code = make_credit_code(serial, region=region)

    assert normalise_credit_code(code) == code
    for other in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        if other != code[-1]:
            with pytest.raises(RuleViolation):
                normalise_credit_code(code[:-1] + other)


@given(days, days, days, days)
def test_overlap_is_symmetric_and_matches_a_shared_day(a1, a2, b1, b2):
    (a_start, a_end), (b_start, b_end) = sorted((a1, a2)), sorted((b1, b2))
    shared = max(a_start, b_start) <= min(a_end, b_end)

    assert periods_overlap(a_start, a_end, b_start, b_end) is shared
    assert periods_overlap(b_start, b_end, a_start, a_end) is shared


@given(days, st.integers(min_value=1, max_value=3000), days, st.one_of(st.none(), days))
def test_a_contract_is_active_exactly_between_its_dates_until_terminated(starts_on, length, today, terminated_on):
    ends_on = starts_on + timedelta(days=length)

    status = contract_status(starts_on=starts_on, ends_on=ends_on, terminated_on=terminated_on, today=today)

    live = terminated_on is None or today < terminated_on
    assert (status is ContractStatus.ACTIVE) == (live and starts_on <= today <= ends_on)
    assert (status is ContractStatus.TERMINATED) == (not live)


NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
records = st.builds(
    AuditRecord,
    at=st.integers(min_value=0, max_value=10**6).map(lambda s: NOW + timedelta(seconds=s)),
    actor_id=st.one_of(st.none(), st.integers(min_value=1, max_value=1000)),
    actor_username=st.one_of(st.none(), st.text(min_size=1, max_size=10)),
    action=st.sampled_from(["createStreet", "registerUnits", "login"]),
    entity_type=st.sampled_from(["Street", "Compound", "Account"]),
    entity_id=st.integers(min_value=1, max_value=10**6).map(str),
    summary=st.text(max_size=30),
)


def chained(rows: list[AuditRecord]) -> list[tuple[AuditRecord, str, str]]:
    out, previous = [], GENESIS
    for record in rows:
        digest = chain_hash(previous, record)
        out.append((record, previous, digest))
        previous = digest
    return out


@given(st.lists(records, min_size=1, max_size=8), st.data())
def test_rewriting_any_summary_breaks_the_chain_exactly_there(rows, data):
    chain = chained(rows)
    index = data.draw(st.integers(min_value=0, max_value=len(chain) - 1))
    record, previous, digest = chain[index]
    forged = data.draw(st.text(max_size=30).filter(lambda s: s != record.summary))
    chain[index] = (replace(record, summary=forged), previous, digest)

    assert first_broken_link(chained(rows)) is None
    assert first_broken_link(chain) == index
