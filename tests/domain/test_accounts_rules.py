"""Pure rules of accounts and the audit chain: jurisdiction, personal data, tokens, passwords, hash links."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.accounts.rules import (
    Role,
    Scope,
    Viewer,
    check_new_password,
    check_role_anchor,
    hash_token,
    in_jurisdiction,
    may_read_personal_data,
    new_token,
    require_jurisdiction,
    token_expiry,
)
from domain.audit.rules import GENESIS, AuditRecord, canonical, chain_hash, first_broken_link
from domain.errors import ErrorCode, RuleViolation

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HOME = Scope(street_id=1, community_id=10, compound_id=100)
ELSEWHERE = Scope(street_id=2, community_id=20, compound_id=200)
SAME_STREET_OTHER_COMMUNITY = Scope(street_id=1, community_id=11, compound_id=110)


def viewer(*roles: Role, **anchors: int) -> Viewer:
    return Viewer(account_id=1, username="someone", roles=frozenset(roles), **anchors)


ANONYMOUS = Viewer.anonymous()
ADMIN = viewer(Role.CENTRE_ADMIN)
CENTRE_STAFF = viewer(Role.CENTRE_STAFF)
STREET_STAFF = viewer(Role.STREET_STAFF, street_id=1)
COMMUNITY_STAFF = viewer(Role.COMMUNITY_STAFF, street_id=1, community_id=10)
FIRM_STAFF = viewer(Role.FIRM_STAFF, firm_id=5)
OWNER = viewer(Role.OWNER, person_id=42)
COMMITTEE_MEMBER = viewer(Role.COMMITTEE_MEMBER, person_id=43)
STREET_STAFF_WITHOUT_STREET = viewer(Role.STREET_STAFF)


@pytest.mark.parametrize(
    ("_case", "who", "scope", "inside"),
    [
        ("centre admin anywhere", ADMIN, ELSEWHERE, True),
        ("centre admin where nothing is anchored", ADMIN, Scope(), True),
        ("centre staff anywhere", CENTRE_STAFF, ELSEWHERE, True),
        ("street staff in their street", STREET_STAFF, HOME, True),
        ("street staff in another community of their street", STREET_STAFF, SAME_STREET_OTHER_COMMUNITY, True),
        ("street staff in another street", STREET_STAFF, ELSEWHERE, False),
        ("street staff where nothing is anchored", STREET_STAFF, Scope(), False),
        ("street staff without a street", STREET_STAFF_WITHOUT_STREET, Scope(), False),
        ("community staff in their community", COMMUNITY_STAFF, HOME, True),
        ("community staff in a neighbouring community", COMMUNITY_STAFF, SAME_STREET_OTHER_COMMUNITY, False),
        ("community staff in another street", COMMUNITY_STAFF, ELSEWHERE, False),
        ("firm staff", FIRM_STAFF, Scope(firm_id=5), False),
        ("owner", OWNER, HOME, False),
        ("committee member", COMMITTEE_MEMBER, HOME, False),
        ("anonymous", ANONYMOUS, HOME, False),
    ],
)
def test_jurisdiction_follows_role_and_territory(_case, who, scope, inside):
    assert in_jurisdiction(who, scope) is inside


def test_acting_outside_the_jurisdiction_is_forbidden():
    with pytest.raises(RuleViolation) as caught:
        require_jurisdiction(STREET_STAFF, ELSEWHERE)

    assert caught.value.code is ErrorCode.FORBIDDEN
    assert caught.value.field is None
    assert caught.value.message_en == "Outside your jurisdiction"


def test_acting_inside_the_jurisdiction_passes():
    require_jurisdiction(STREET_STAFF, HOME)


@pytest.mark.parametrize(
    ("_case", "who", "scope", "may_read"),
    [
        ("centre admin", ADMIN, Scope(person_id=1), True),
        ("centre staff", CENTRE_STAFF, Scope(person_id=1), True),
        ("street staff, person without territory", STREET_STAFF, Scope(person_id=1), True),
        ("street staff inside their street", STREET_STAFF, replace(HOME, person_id=1), True),
        ("street staff outside their street", STREET_STAFF, replace(ELSEWHERE, person_id=1), False),
        ("community staff inside their community", COMMUNITY_STAFF, replace(HOME, person_id=1), True),
        ("community staff in a neighbouring community", COMMUNITY_STAFF,
         replace(SAME_STREET_OTHER_COMMUNITY, person_id=1), False),
        ("community staff without a scope", COMMUNITY_STAFF, None, True),
        ("firm staff", FIRM_STAFF, Scope(person_id=1), False),
        ("owner reading someone else", OWNER, Scope(person_id=1), False),
        ("owner reading themself", OWNER, Scope(person_id=42), True),
        ("committee member reading themself", COMMITTEE_MEMBER, Scope(person_id=43), True),
        ("committee member reading someone else", COMMITTEE_MEMBER, Scope(person_id=42), False),
        ("anonymous", ANONYMOUS, Scope(person_id=1), False),
        ("anonymous without a scope", ANONYMOUS, None, False),
        ("anonymous is nobody in particular", ANONYMOUS, Scope(person_id=None), False),
    ],
)
def test_personal_data_is_readable_by_staff_and_by_the_person_themself(_case, who, scope, may_read):
    assert may_read_personal_data(who, scope) is may_read


def test_anonymous_viewers_are_not_authenticated_and_hold_no_role():
    assert not ANONYMOUS.is_authenticated
    assert not ANONYMOUS.has_any(frozenset(Role))
    assert not ANONYMOUS.is_centre
    assert ADMIN.is_authenticated and ADMIN.is_centre


# --- tokens and passwords ------------------------------------------------------------------------------------------

def test_a_new_token_is_stored_only_as_its_sha256_digest():
    token, digest = new_token()

    assert digest == hashlib.sha256(token.encode()).hexdigest()
    assert digest == hash_token(token)
    assert token not in digest
    assert len(token) >= 40


def test_new_tokens_are_unique():
    assert len({new_token()[0] for _ in range(100)}) == 100


def test_hashing_a_token_is_deterministic_and_sensitive_to_every_character():
    assert hash_token("abc") == hash_token("abc")
    assert hash_token("abc") != hash_token("abd")
    assert len(hash_token("")) == 64


def test_a_token_expires_twelve_hours_after_issue():
    assert token_expiry(NOW) == NOW + timedelta(hours=12)


@pytest.mark.parametrize(("_case", "password"), [("empty", ""), ("seven characters", "1234567")])
def test_short_passwords_are_invalid(_case, password):
    with pytest.raises(RuleViolation) as caught:
        check_new_password(password)

    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID, ("password",))


def test_a_password_of_eight_characters_is_enough():
    check_new_password("12345678")


NO_ANCHORS = {"street_id": None, "community_id": None, "firm_id": None, "person_id": None}


@pytest.mark.parametrize(
    ("_case", "roles", "anchors"),
    [
        ("centre admin needs no anchor", {Role.CENTRE_ADMIN}, {}),
        ("centre staff needs no anchor", {Role.CENTRE_STAFF}, {}),
        ("street staff with a street", {Role.STREET_STAFF}, {"street_id": 1}),
        ("community staff with a community", {Role.COMMUNITY_STAFF}, {"community_id": 1}),
        ("firm staff with a firm", {Role.FIRM_STAFF}, {"firm_id": 1}),
        ("owner with a person", {Role.OWNER}, {"person_id": 1}),
        ("owner and committee member with a person", {Role.OWNER, Role.COMMITTEE_MEMBER}, {"person_id": 1}),
    ],
)
def test_roles_with_their_anchor_are_accepted(_case, roles, anchors):
    check_role_anchor(frozenset(roles), **{**NO_ANCHORS, **anchors})


@pytest.mark.parametrize(
    ("_case", "roles", "anchors", "field"),
    [
        ("no role", set(), {}, "roles"),
        ("street staff without a street", {Role.STREET_STAFF}, {"community_id": 1}, "streetId"),
        ("community staff without a community", {Role.COMMUNITY_STAFF}, {"street_id": 1}, "communityId"),
        ("firm staff without a firm", {Role.FIRM_STAFF}, {}, "firmId"),
        ("owner without a person", {Role.OWNER}, {}, "personId"),
        ("committee member without a person", {Role.COMMITTEE_MEMBER}, {}, "personId"),
    ],
)
def test_roles_without_their_anchor_are_invalid(_case, roles, anchors, field):
    with pytest.raises(RuleViolation) as caught:
        check_role_anchor(frozenset(roles), **{**NO_ANCHORS, **anchors})

    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID, (field,))


# --- the audit chain -----------------------------------------------------------------------------------------------

def record(n: int) -> AuditRecord:
    return AuditRecord(at=NOW + timedelta(minutes=n), actor_id=1, actor_username="admin", action="createStreet",
                       entity_type="Street", entity_id=str(n), summary=f"创建街道 {n}")


def chain(length: int) -> list[tuple[AuditRecord, str, str]]:
    rows, previous = [], GENESIS
    for n in range(length):
        digest = chain_hash(previous, record(n))
        rows.append((record(n), previous, digest))
        previous = digest
    return rows


def test_an_empty_chain_is_intact():
    assert first_broken_link([]) is None


def test_an_untouched_chain_is_intact():
    assert first_broken_link(chain(5)) is None


def test_the_first_event_links_to_the_genesis_hash():
    rows = chain(1)

    assert rows[0][1] == GENESIS == "0" * 64


def test_the_hash_covers_the_previous_hash_and_the_canonical_record():
    expected = hashlib.sha256((GENESIS + canonical(record(0))).encode()).hexdigest()

    assert chain_hash(GENESIS, record(0)) == expected
    assert chain_hash("1" * 64, record(0)) != expected


def test_the_canonical_form_keeps_chinese_text_and_sorts_keys():
    text = canonical(record(3))

    assert "创建街道 3" in text
    assert text.index('"action"') < text.index('"summary"')


def rewrite(rows, index, **changes):
    rows = list(rows)
    rec, previous, digest = rows[index]
    rows[index] = (replace(rec, **changes), previous, digest)
    return rows


@pytest.mark.parametrize(
    ("_case", "tamper", "broken_at"),
    [
        ("summary of the first event rewritten", lambda rows: rewrite(rows, 0, summary="改"), 0),
        ("actor of a middle event rewritten", lambda rows: rewrite(rows, 2, actor_username="mallory"), 2),
        ("time of the last event moved", lambda rows: rewrite(rows, 4, at=NOW), 4),
        ("a middle event deleted", lambda rows: rows[:2] + rows[3:], 2),
        ("two events swapped", lambda rows: [rows[0], rows[2], rows[1], *rows[3:]], 1),
        ("first event's previous hash not genesis", lambda rows: [(rows[0][0], "f" * 64, rows[0][2]), *rows[1:]], 0),
        ("stored hash replaced", lambda rows: [*rows[:3], (rows[3][0], rows[3][1], "e" * 64), rows[4]], 3),
    ],
)
def test_the_first_broken_link_is_found(_case, tamper, broken_at):
    assert first_broken_link(tamper(chain(5))) == broken_at


def test_a_whole_rewritten_chain_is_internally_consistent_so_the_head_hash_must_leave_the_database():
    original = chain(3)
    forged, previous = [], GENESIS
    for rec, _, _ in original:
        rec = replace(rec, summary="伪造")
        digest = chain_hash(previous, rec)
        forged.append((rec, previous, digest))
        previous = digest

    assert first_broken_link(forged) is None
    assert forged[-1][2] != original[-1][2]
