"""The lifecycle of owners' bodies and cross-appointments, under each shipped pack."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.committees.appointments import check_cross_appointment
from domain.committees.lifecycle import (
    SYSTEM_ACTIONS,
    TRANSITIONS,
    ReelectionReason,
    available_actions,
    check_filing,
    check_seat_end,
    derived_status,
    filing_deadline,
    first_meeting_deadline,
    is_filing_overdue,
    is_first_meeting_overdue,
    reelection_due,
    seats_ending_with_ownership,
    transition,
)
from domain.committees.values import (
    QUALITY_SUPERVISOR,
    Action,
    Basis,
    CommitteeKind,
    Post,
    PostBody,
    SeatEndReason,
    Status,
    Term,
)
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks import rule_pack

PACKS = ("national", "beijing", "shanghai", "shandong")
ELECTED = date(2026, 3, 1)
ENDS = date(2031, 2, 28)


def term(status: Status = Status.PREPARING, **changes) -> Term:
    return Term(**{"status": status, "elected_on": ELECTED, "term_ends_on": ENDS, **changes})


def outcome(call) -> object:
    try:
        return call()
    except RuleViolation as violation:
        return violation.code


@pytest.mark.parametrize(
    "_case, status, action, today, expected",
    [
        ("指导规则 art. 35: filing (备案) makes an elected committee active", Status.PREPARING, Action.FILE,
         date(2026, 3, 20), Status.ACTIVE),
        ("an active committee is filed once", Status.ACTIVE, Action.FILE, date(2026, 3, 20),
         ErrorCode.INVALID_TRANSITION),
        ("a committee may be dissolved while preparing", Status.PREPARING, Action.DISSOLVE, date(2026, 3, 20),
         Status.DISSOLVED),
        ("a committee may be dissolved while active", Status.ACTIVE, Action.DISSOLVE, date(2027, 1, 1),
         Status.DISSOLVED),
        ("指导规则 art. 32: a committee expires after its term end", Status.ACTIVE, Action.EXPIRE, date(2031, 3, 1),
         Status.EXPIRED),
        ("指导规则 art. 32: not before its term end", Status.ACTIVE, Action.EXPIRE, ENDS, ErrorCode.INVALID_TRANSITION),
        ("a dissolved committee stays dissolved", Status.DISSOLVED, Action.FILE, date(2026, 3, 20),
         ErrorCode.INVALID_TRANSITION),
        ("an expired committee is not dissolved again", Status.EXPIRED, Action.DISSOLVE, date(2032, 1, 1),
         ErrorCode.INVALID_TRANSITION),
        ("a committee past its term end is not filed", Status.PREPARING, Action.FILE, date(2031, 3, 1),
         ErrorCode.INVALID_TRANSITION),
    ],
)
def test_transitions_follow_the_table(_case, status, action, today, expected):
    assert outcome(lambda: transition(term(status), action, today=today)) == expected


@pytest.mark.parametrize(
    "_case, status, today, expected",
    [
        ("指导规则 art. 32: in office on the last day of the term", Status.ACTIVE, ENDS, Status.ACTIVE),
        ("指导规则 art. 32: expired the day after the term end", Status.ACTIVE, ENDS + timedelta(days=1), Status.EXPIRED),
        ("an unfiled committee also expires", Status.PREPARING, date(2032, 1, 1), Status.EXPIRED),
        ("a dissolved committee stays dissolved after its term end", Status.DISSOLVED, date(2032, 1, 1),
         Status.DISSOLVED),
    ],
)
def test_status_is_derived_from_the_term_end(_case, status, today, expected):
    assert derived_status(term(status), today=today) == expected


def test_a_viewer_who_may_not_manage_sees_no_actions():
    assert available_actions(term(), today=ELECTED, may_manage=False) == []


def test_an_elected_committee_may_be_filed_or_dissolved():
    assert available_actions(term(), today=ELECTED, may_manage=True) == [Action.FILE, Action.DISSOLVE]


@pytest.mark.parametrize(
    "_case, filed_on, today, expected",
    [
        ("指导规则 art. 35: filed on the election day", ELECTED, ELECTED, None),
        ("a filing date before the election", date(2026, 2, 1), ELECTED, ErrorCode.INVALID),
        ("a filing date in the future", date(2026, 3, 10), date(2026, 3, 5), ErrorCode.INVALID),
        ("指导规则 art. 35: a late filing is recorded, and shows as late", date(2026, 5, 1), date(2026, 5, 2), None),
    ],
)
def test_a_filing_date_lies_between_election_and_today(_case, filed_on, today, expected):
    assert outcome(lambda: check_filing(term(), filed_on, today=today)) == expected


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize(
    "_case, days_after, filed, met, filing_overdue, meeting_overdue",
    [
        ("指导规则 arts. 33, 35: on the last day neither is overdue", None, False, False, False, False),
        ("指导规则 art. 33: the first meeting is overdue the day after its deadline", "meeting+1", False, False, False,
         True),
        ("指导规则 art. 35: filing is overdue the day after its deadline", "filing+1", False, False, True, True),
        ("a filed committee that met is never overdue", "filing+1", True, True, False, False),
    ],
)
def test_filing_and_first_meeting_deadlines_come_from_the_pack(
    _case, days_after, filed, met, filing_overdue, meeting_overdue, pack
):
    rules = rule_pack(pack)
    base = term(filed_on=ELECTED if filed else None, first_meeting_on=ELECTED if met else None)
    filing, meeting = filing_deadline(base, rules), first_meeting_deadline(base, rules)
    today = {None: meeting, "meeting+1": meeting + timedelta(days=1), "filing+1": filing + timedelta(days=1)}[
        days_after
    ]

    assert filing == ELECTED + timedelta(days=rules.owners_committee.filing_days)
    assert meeting == ELECTED + timedelta(days=rules.owners_committee.first_meeting_days)
    assert is_filing_overdue(base, rules, today=today) is filing_overdue
    assert is_first_meeting_overdue(base, rules, today=today) is meeting_overdue


@pytest.mark.parametrize("pack", PACKS)
@pytest.mark.parametrize(
    "_case, filled, seats, before_window, status, expected",
    [
        ("指导规则 art. 42: a full committee far from its term end", 7, 7, 400, Status.ACTIVE, ()),
        ("指导规则 art. 42: fewer than half the seats filled", 3, 7, 400, Status.ACTIVE,
         (ReelectionReason.SEATS_BELOW_SHARE,)),
        ("指导规则 art. 42: exactly half is not below half", 3, 6, 400, Status.ACTIVE, ()),
        ("指导规则 art. 42: the day before the lead time starts", 7, 7, 1, Status.ACTIVE, ()),
        ("指导规则 art. 42: inside the lead time before the term end", 7, 7, 0, Status.ACTIVE,
         (ReelectionReason.TERM_ENDING,)),
        ("both reasons at once", 2, 7, 0, Status.ACTIVE,
         (ReelectionReason.SEATS_BELOW_SHARE, ReelectionReason.TERM_ENDING)),
        ("a dissolved committee is not re-elected", 1, 7, 0, Status.DISSOLVED, ()),
    ],
)
def test_reelection_is_due_below_half_the_seats_or_inside_the_lead_time(
    _case, filled, seats, before_window, status, expected, pack
):
    rules = rule_pack(pack)
    window_opens = rules.owners_committee.reelection_lead.first_day_before(ENDS)
    today = window_opens - timedelta(days=before_window)

    due = reelection_due(term(status), filled=filled, seats=seats, pack=rules, today=today)

    assert due.reasons == expected
    assert bool(due) is bool(expected)


@pytest.mark.parametrize(
    "_case, ended_on, reason, on, status, today, expected",
    [
        ("指导规则 art. 37: a member resigns", None, SeatEndReason.RESIGNED, date(2027, 1, 1), Status.ACTIVE,
         date(2027, 1, 2), None),
        ("指导规则 art. 37: the assembly removes a member", None, SeatEndReason.REMOVED, date(2027, 1, 1),
         Status.ACTIVE, date(2027, 1, 1), None),
        ("指导规则 art. 37: a member who sold their unit", None, SeatEndReason.CEASED_TO_BE_OWNER, date(2027, 1, 1),
         Status.ACTIVE, date(2027, 1, 1), None),
        ("a seat ends once", date(2026, 12, 1), SeatEndReason.RESIGNED, date(2027, 1, 1), Status.ACTIVE,
         date(2027, 1, 1), ErrorCode.INVALID_TRANSITION),
        ("a seat does not end in the future", None, SeatEndReason.RESIGNED, date(2027, 2, 1), Status.ACTIVE,
         date(2027, 1, 1), ErrorCode.INVALID),
        ("a seat does not end before it started", None, SeatEndReason.RESIGNED, date(2026, 1, 1), Status.ACTIVE,
         date(2027, 1, 1), ErrorCode.INVALID),
        ("term end is not a member change", None, SeatEndReason.TERM_ENDED, date(2027, 1, 1), Status.ACTIVE,
         date(2027, 1, 1), ErrorCode.INVALID),
        ("no member changes on a dissolved committee", None, SeatEndReason.RESIGNED, date(2027, 1, 1),
         Status.DISSOLVED, date(2027, 1, 1), ErrorCode.INVALID_TRANSITION),
    ],
)
def test_a_seat_ends_by_resignation_removal_or_loss_of_ownership(_case, ended_on, reason, on, status, today, expected):
    code = outcome(
        lambda: check_seat_end(term(status), started_on=ELECTED, ended_on=ended_on, on=on, reason=reason, today=today)
    )

    assert code == expected


def test_owners_committee_seats_end_when_the_holder_no_longer_owns_a_unit():
    holders = {1: True, 2: False, 3: True, 4: False}

    assert seats_ending_with_ownership(CommitteeKind.OWNERS_COMMITTEE, holders) == [2, 4]
    assert seats_ending_with_ownership(CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE, holders) == []


OC_SEAT = Post(1, PostBody.OWNERS_COMMITTEE, "MEMBER", compound_id=10)
MC_SEAT = Post(1, PostBody.PROPERTY_MANAGEMENT_COMMITTEE, "MEMBER", compound_id=10)
RC_POST = Post(1, PostBody.RESIDENTS_COMMITTEE, "MEMBER")
PARTY_POST = Post(1, PostBody.COMMUNITY_PARTY_ORGANISATION, "PART_TIME_MEMBER")
FIRM_HEAD = Post(1, PostBody.PROPERTY_FIRM, "PROJECT_MANAGER", paid=True, firm_id=7, compound_id=10)
FIRM_QS = Post(1, PostBody.PROPERTY_FIRM, QUALITY_SUPERVISOR, paid=False, firm_id=7, compound_id=10)
FIRM_QS_PAID = Post(1, PostBody.PROPERTY_FIRM, QUALITY_SUPERVISOR, paid=True, firm_id=7, compound_id=10)
OTHER_FIRM_QS_PAID = Post(1, PostBody.PROPERTY_FIRM, QUALITY_SUPERVISOR, paid=True, firm_id=8)
E = Basis.ELECTED_BY_OWNERS_ASSEMBLY


@pytest.mark.parametrize(
    "_case, home, concurrent, basis, owned, expected",
    [
        ("双向进入: a 两委 member elected to the owners' committee", RC_POST, OC_SEAT, E, {10}, None),
        ("双向进入 通过法定程序: an appointed owners'-committee seat", RC_POST, OC_SEAT, Basis.APPOINTED, {10},
         ErrorCode.NOT_ELECTED),
        ("双向进入 通过法定程序: a recommended owners'-committee seat", PARTY_POST, OC_SEAT, Basis.RECOMMENDED, {10},
         ErrorCode.NOT_ELECTED),
        ("指导规则 art. 31: a 两委 member who owns no unit here", RC_POST, OC_SEAT, E, {11}, ErrorCode.NOT_AN_OWNER),
        ("京条例 art. 53: a residents' committee member sits on the 物管会 ex officio", RC_POST, MC_SEAT,
         Basis.EX_OFFICIO, set(), None),
        ("交叉任职: an owners'-committee member as the firm's unpaid quality supervisor", OC_SEAT, FIRM_QS,
         Basis.APPOINTED, {10}, None),
        ("交叉任职: a residents'-committee member as quality supervisor", RC_POST, FIRM_QS_PAID, Basis.APPOINTED,
         set(), None),
        ("京条例 art. 39: an owners'-committee member paid by the serving firm", OC_SEAT, FIRM_QS_PAID,
         Basis.APPOINTED, {10}, ErrorCode.CONFLICT_OF_INTEREST),
        ("京条例 art. 39: the firm's project manager elected to the owners' committee", FIRM_HEAD, OC_SEAT, E, {10},
         ErrorCode.CONFLICT_OF_INTEREST),
        ("a paid post at a firm that does not serve the compound", OC_SEAT, OTHER_FIRM_QS_PAID, Basis.APPOINTED,
         {10}, None),
        ("兼职委员: a firm's Party-member head in the community Party organisation", FIRM_HEAD, PARTY_POST,
         Basis.RECOMMENDED, set(), None),
        ("兼职委员: an owners'-committee Party member in the community Party organisation", OC_SEAT, PARTY_POST,
         Basis.RECOMMENDED, {10}, None),
        ("a cross-appointment joins two posts of one person", RC_POST, Post(2, PostBody.OWNERS_COMMITTEE, "MEMBER",
         compound_id=10), E, {10}, ErrorCode.NOT_SAME_PERSON),
        ("a post is not cross-appointed with itself", RC_POST, RC_POST, Basis.APPOINTED, set(), ErrorCode.INVALID),
    ],
)
def test_cross_appointments_are_lawful_only_through_the_legal_procedure(_case, home, concurrent, basis, owned, expected):
    code = outcome(
        lambda: check_cross_appointment(
            home, concurrent, basis, owned_compound_ids=frozenset(owned), serving_firm_by_compound={10: 7}
        )
    )

    assert code == expected


terms = st.builds(
    Term,
    status=st.sampled_from(list(Status)),
    elected_on=st.just(ELECTED),
    term_ends_on=st.dates(date(2026, 3, 2), date(2031, 3, 1)),
)


@given(t=terms, today=st.dates(date(2026, 3, 1), date(2035, 1, 1)))
def test_available_actions_are_exactly_the_viewer_transitions_that_succeed(t, today):
    actions = available_actions(t, today=today, may_manage=True)

    for action in Action:
        succeeded = not isinstance(outcome(lambda: transition(t, action, today=today)), ErrorCode)
        assert (action in actions) is (succeeded and action not in SYSTEM_ACTIONS)


@given(t=terms, today=st.dates(date(2026, 3, 1), date(2035, 1, 1)), later=st.integers(0, 2000))
def test_an_expired_or_dissolved_body_never_returns_to_office(t, today, later):
    status = derived_status(t, today=today)

    if status in (Status.EXPIRED, Status.DISSOLVED):
        assert derived_status(t, today=today + timedelta(days=later)) == status
        assert TRANSITIONS[status] == {}
    if today > t.term_ends_on:
        assert status not in (Status.PREPARING, Status.ACTIVE)
