"""Who reads what: the pure part of the read policies and of the personal-data rule, without a database."""

from __future__ import annotations

import pytest
from tortoise.expressions import Q

from domain.access.personal_data import FULL, HIDDEN, Disclosure, PersonFacts, disclosure
from domain.access.policies import NOTHING, READ_POLICIES, Policy, reads_every_row
from domain.access.reach import Audience, Grant, grants
from domain.accounts.rules import Role, Viewer
from domain.committees.models import ReserveListing
from domain.geography.models import Compound, Person, Unit

ALL = frozenset(Audience)
ANONYMOUS = Viewer.anonymous()


def viewer(role: Role, **anchors: int) -> Viewer:
    return Viewer(account_id=1, username="u", roles=frozenset({role}), **anchors)


CENTRE = viewer(Role.CENTRE_STAFF)
STREET = viewer(Role.STREET_STAFF, street_id=3)
COMMUNITY = viewer(Role.COMMUNITY_STAFF, community_id=7)
FIRM = viewer(Role.FIRM_STAFF, firm_id=5)
OWNER = viewer(Role.OWNER, person_id=11)


@pytest.mark.parametrize(
    ("_case", "who", "admitted", "expected"),
    [
        ("anonymous callers are granted nothing", ANONYMOUS, ALL, ()),
        ("centre staff reach everything", CENTRE, frozenset({Audience.CENTRE}), (Grant(Audience.CENTRE, None),)),
        ("street staff from their street", STREET, ALL, (Grant(Audience.STREET, 3),)),
        ("community staff from their community", COMMUNITY, ALL, (Grant(Audience.COMMUNITY, 7),)),
        ("firm staff from their firm", FIRM, ALL, (Grant(Audience.FIRM, 5),)),
        ("an owner from themself", OWNER, ALL, (Grant(Audience.SELF, 11),)),
        ("street staff of a type without street reach get nothing", STREET,
         frozenset({Audience.CENTRE, Audience.SELF}), ()),
        ("firm staff of a type without firm reach get nothing", FIRM,
         frozenset({Audience.CENTRE, Audience.STREET}), ()),
        ("a scoped role without its anchor gets nothing", viewer(Role.STREET_STAFF), ALL, ()),
        ("street staff linked to a person also reach as themself", viewer(Role.STREET_STAFF, street_id=3, person_id=4),
         ALL, (Grant(Audience.STREET, 3), Grant(Audience.SELF, 4))),
    ],
)
def test_grants_follow_role_and_anchor(_case, who, admitted, expected):
    assert grants(who, admitted) == expected


def _flatten(q: Q) -> set[tuple[str, object]]:
    found = {(k, v) for k, v in q.filters.items()}
    for child in q.children:
        found |= _flatten(child)
    return found


def test_a_public_policy_filters_nothing_even_for_anonymous_callers():
    assert READ_POLICIES[Compound].condition(ANONYMOUS).filters == {}
    assert READ_POLICIES[Compound].condition(ANONYMOUS).children == ()


@pytest.mark.parametrize("model", [m for m, p in READ_POLICIES.items()
                                   if not p.anonymous and not getattr(p, "partly_public", None)],
                         ids=lambda m: m.__name__)
def test_every_non_public_policy_gives_anonymous_callers_nothing(model):
    assert READ_POLICIES[model].condition(ANONYMOUS) is NOTHING


@pytest.mark.parametrize("model", [m for m, p in READ_POLICIES.items() if not getattr(p, "addressed_only", None)],
                         ids=lambda m: m.__name__)
def test_centre_staff_read_every_type_unfiltered(model):
    condition = READ_POLICIES[model].condition(CENTRE)

    assert condition.filters == {} and condition.children == ()


@pytest.mark.parametrize(
    ("_case", "model", "who", "expected"),
    [
        ("anyone reads every compound", Compound, ANONYMOUS, True),
        ("centre staff read every unit", Unit, CENTRE, True),
        ("street staff read their street's units only", Unit, STREET, False),
        ("anonymous callers read no unit", Unit, ANONYMOUS, False),
    ],
)
def test_a_viewer_reads_every_row_only_where_the_condition_is_no_condition(_case, model, who, expected):
    assert reads_every_row(model, who) is expected


def test_centre_staff_do_not_read_every_notification():
    from domain.notifications.models import Notification

    assert reads_every_row(Notification, CENTRE) is False


def test_only_the_notice_board_is_partly_public_and_only_notifications_are_addressed_only():
    partly = {m.__name__ for m, p in READ_POLICIES.items() if getattr(p, "partly_public", None)}
    addressed = {m.__name__ for m, p in READ_POLICIES.items() if getattr(p, "addressed_only", None)}

    assert (partly, addressed) == ({"Disclosure", "Attachment"}, {"Notification"})


def test_street_staff_read_units_of_their_street_only():
    assert _flatten(READ_POLICIES[Unit].condition(STREET)) == {("compound__street_id", 3)}


def test_community_staff_read_negative_listings_of_their_community_only():
    assert _flatten(READ_POLICIES[ReserveListing].condition(COMMUNITY)) == {("compound__community_id", 7)}


def test_units_are_hidden_from_firms():
    assert READ_POLICIES[Unit].condition(FIRM) is NOTHING


def test_an_owner_reaches_units_as_themself_only():
    assert grants(OWNER, READ_POLICIES[Unit].audiences) == (Grant(Audience.SELF, 11),)


def test_firm_staff_never_reach_negative_listings():
    assert READ_POLICIES[ReserveListing].condition(FIRM) is NOTHING


def test_an_owner_reads_their_own_listing():
    assert _flatten(READ_POLICIES[ReserveListing].condition(OWNER)) == {("person_id", 11)}


def test_a_person_reaches_person_records_as_themself_and_firms_as_their_firm():
    audiences = READ_POLICIES[Person].audiences

    assert grants(OWNER, audiences) == (Grant(Audience.SELF, 11),)
    assert grants(FIRM, audiences) == (Grant(Audience.FIRM, 5),)


def test_roles_of_a_policy_are_derived_from_its_locators():
    policy = Policy(street=lambda s: Q(street_id=s))

    assert policy.roles == {Role.CENTRE_ADMIN, Role.CENTRE_STAFF, Role.STREET_STAFF}


def test_a_policy_without_locators_admits_only_the_centre():
    assert Policy().condition(STREET) is NOTHING
    assert Policy().condition(OWNER) is NOTHING


FACTS = PersonFacts(person_id=20, street_ids=frozenset({3}), community_ids=frozenset({7}),
                    handling_firm_ids=frozenset({5}))
ELSEWHERE = PersonFacts(person_id=21, street_ids=frozenset({4}), community_ids=frozenset({8}))


@pytest.mark.parametrize(
    ("_case", "who", "facts", "expected"),
    [
        ("the person themself", viewer(Role.OWNER, person_id=20), FACTS, FULL),
        ("centre staff", CENTRE, ELSEWHERE, FULL),
        ("street staff where the person belongs", STREET, FACTS, FULL),
        ("street staff of another street", STREET, ELSEWHERE, HIDDEN),
        ("community staff where the person belongs", COMMUNITY, FACTS, FULL),
        ("community staff of another community", COMMUNITY, ELSEWHERE, HIDDEN),
        ("the firm handling the person's complaint: phone only", FIRM, FACTS, Disclosure(phone=True, id_number=False)),
        ("another firm", viewer(Role.FIRM_STAFF, firm_id=6), FACTS, HIDDEN),
        ("another owner", OWNER, FACTS, HIDDEN),
        ("anonymous callers", ANONYMOUS, FACTS, HIDDEN),
        ("street staff without a street", viewer(Role.STREET_STAFF), FACTS, HIDDEN),
        ("a committee member who is not the person", viewer(Role.COMMITTEE_MEMBER, person_id=99), FACTS, HIDDEN),
    ],
)
def test_personal_data_is_disclosed_by_jurisdiction(_case, who, facts, expected):
    assert disclosure(who, facts) == expected
