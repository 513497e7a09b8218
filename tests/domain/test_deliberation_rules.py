from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import pytest

from domain.accounts.rules import Role as AccountRole
from domain.accounts.rules import Scope, Viewer
from domain.deliberation.rules import (
    AGENDA_TRANSITIONS,
    TASK_TRANSITIONS,
    TRANSITIONS,
    agenda_transition,
    available_actions,
    check_ballot,
    check_correction,
    check_drafter,
    check_decision_rule,
    check_four_parties,
    check_notice_elapsed,
    check_notice_issued_at,
    check_quorum,
    earliest_start,
    may_manage,
    minutes_transition,
    notice_days,
    quorum,
    require_manage_or_vote,
    results_due_on,
    task_transition,
    transition,
)
from domain.deliberation.vocabulary import (
    AgendaAction,
    AgendaStatus,
    Choice,
    DecisionRule,
    JointMatter,
    MeetingAction,
    MeetingKind,
    MeetingStatus,
    MinutesAction,
    MinutesStatus,
    Party,
    TaskAction,
    TaskStatus,
)
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.loader import rule_pack

NATIONAL = rule_pack("national").meetings
SHANDONG = rule_pack("shandong").meetings
NOW = datetime(2026, 5, 20, 9, 0, tzinfo=timezone.utc)
MEMBERS = [f"m{i}" for i in range(1, 6)]


@contextmanager
def raises(code: ErrorCode):
    with pytest.raises(RuleViolation) as info:
        yield info
    assert info.value.code is code, info.value


# --- lifecycle ---------------------------------------------------------------------------------------------

LEGAL = [(s, a, t) for s, actions in TRANSITIONS.items() for a, t in actions.items()]
ILLEGAL = [(s, a) for s in MeetingStatus for a in MeetingAction if a not in TRANSITIONS[s]]


@pytest.mark.parametrize(("_case", "state", "action", "target"), [(f"{s}-{a}", s, a, t) for s, a, t in LEGAL])
def test_a_meeting_moves_along_its_transition_table(_case, state, action, target):
    assert transition(state, action) is target


@pytest.mark.parametrize(("_case", "state", "action"), [(f"{s}-{a}", s, a) for s, a in ILLEGAL])
def test_a_move_outside_the_table_is_an_invalid_transition(_case, state, action):
    with raises(ErrorCode.INVALID_TRANSITION):
        transition(state, action)


def test_the_lifecycle_runs_draft_to_minutes_published():
    state = MeetingStatus.DRAFT
    for action in (MeetingAction.ISSUE_NOTICE, MeetingAction.OPEN, MeetingAction.CLOSE, MeetingAction.PUBLISH_MINUTES):
        state = transition(state, action)

    assert state is MeetingStatus.MINUTES_PUBLISHED


@pytest.mark.parametrize("state", list(MeetingStatus))
def test_available_actions_are_the_tables_actions_for_a_manager_and_none_for_others(state):
    assert available_actions(state, may_manage=True) == tuple(TRANSITIONS[state])
    assert available_actions(state, may_manage=False) == ()


def test_a_session_cannot_be_cancelled_once_open():
    assert MeetingAction.CANCEL not in available_actions(MeetingStatus.IN_SESSION, may_manage=True)


def test_an_item_not_in_the_notice_cannot_be_put_to_the_vote():
    with raises(ErrorCode.INVALID_TRANSITION):
        agenda_transition(AgendaStatus.DRAFT, AgendaAction.OPEN_VOTING)


def test_an_item_goes_from_notice_through_voting_to_decided():
    state = AgendaStatus.DRAFT
    for action in (AgendaAction.NOTICE, AgendaAction.OPEN_VOTING, AgendaAction.CLOSE_VOTING):
        state = agenda_transition(state, action)

    assert state is AgendaStatus.DECIDED
    assert AGENDA_TRANSITIONS[AgendaStatus.DECIDED] == {}


@pytest.mark.parametrize("action", list(MinutesAction))
def test_published_minutes_accept_no_action(action):
    with raises(ErrorCode.INVALID_TRANSITION):
        minutes_transition(MinutesStatus.PUBLISHED, action)


@pytest.mark.parametrize(
    ("_case", "state", "action", "target"),
    [
        ("open task completed", TaskStatus.OPEN, TaskAction.COMPLETE, TaskStatus.DONE),
        ("open task cancelled", TaskStatus.OPEN, TaskAction.CANCEL, TaskStatus.CANCELLED),
    ],
)
def test_a_follow_up_task_ends_done_or_cancelled(_case, state, action, target):
    assert task_transition(state, action) is target


@pytest.mark.parametrize("state", [TaskStatus.DONE, TaskStatus.CANCELLED])
def test_a_finished_task_does_not_reopen(state):
    assert TASK_TRANSITIONS[state] == {}
    with raises(ErrorCode.INVALID_TRANSITION):
        task_transition(state, TaskAction.COMPLETE)


# --- notice ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "kind", "days"),
    [
        ("指导规则 art. 39: owners' committee 7 days", MeetingKind.OWNERS_COMMITTEE, 7),
        ("京条例 物管会 as committee 7 days", MeetingKind.PROPERTY_MANAGEMENT_COMMITTEE, 7),
        ("物业管理条例 art. 14: assembly 15 days", MeetingKind.OWNERS_ASSEMBLY, 15),
        ("policy: four-party 3 days", MeetingKind.FOUR_PARTY_JOINT, 3),
        ("policy: heart-to-heart 3 days", MeetingKind.HEART_TO_HEART, 3),
    ],
)
def test_the_notice_period_comes_from_the_rule_pack(_case, kind, days):
    assert notice_days(kind, NATIONAL) == days
    assert earliest_start(NOW, kind, NATIONAL) == NOW + timedelta(days=days)


@pytest.mark.parametrize(
    ("_case", "kind", "elapsed"),
    [
        ("committee exactly 7 days", MeetingKind.OWNERS_COMMITTEE, timedelta(days=7)),
        ("assembly exactly 15 days", MeetingKind.OWNERS_ASSEMBLY, timedelta(days=15)),
        ("assembly 20 days", MeetingKind.OWNERS_ASSEMBLY, timedelta(days=20)),
    ],
)
def test_a_meeting_may_open_once_the_notice_period_has_elapsed(_case, kind, elapsed):
    check_notice_elapsed(NOW - elapsed, kind, NATIONAL, now=NOW)


@pytest.mark.parametrize(
    ("_case", "kind", "elapsed"),
    [
        ("committee one second short of 7 days", MeetingKind.OWNERS_COMMITTEE, timedelta(days=7, seconds=-1)),
        ("assembly 14 days", MeetingKind.OWNERS_ASSEMBLY, timedelta(days=14)),
    ],
)
def test_opening_before_the_notice_period_ends_is_refused(_case, kind, elapsed):
    with raises(ErrorCode.NOTICE_PERIOD_NOT_ELAPSED):
        check_notice_elapsed(NOW - elapsed, kind, NATIONAL, now=NOW)


def test_a_meeting_without_a_notice_cannot_open():
    with raises(ErrorCode.NOTICE_PERIOD_NOT_ELAPSED):
        check_notice_elapsed(None, MeetingKind.HEART_TO_HEART, NATIONAL, now=NOW)


@pytest.mark.parametrize(
    ("_case", "closed_at", "due"),
    [
        ("指导规则: results public within 3 days", datetime(2026, 5, 20, 2, 0, tzinfo=timezone.utc), date(2026, 5, 23)),
        ("closing late evening UTC is the next day in China", datetime(2026, 5, 20, 17, 0, tzinfo=timezone.utc),
         date(2026, 5, 24)),
    ],
)
def test_decisions_are_due_for_publication_within_the_packs_days(_case, closed_at, due):
    assert results_due_on(closed_at, NATIONAL) == due


def test_a_notice_time_without_its_offset_is_invalid():
    with raises(ErrorCode.INVALID) as info:
        check_notice_issued_at(datetime(2026, 5, 1, 9, 0), now=NOW)

    assert info.value.field == ("issuedAt",)


def test_a_notice_may_be_recorded_late_but_not_dated_in_the_future():
    check_notice_issued_at(NOW - timedelta(days=3), now=NOW)
    check_notice_issued_at(NOW, now=NOW)

    with raises(ErrorCode.INVALID):
        check_notice_issued_at(NOW + timedelta(seconds=1), now=NOW)


# --- quorum ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("_case", "rules", "members", "present", "met", "required"),
    [
        ("national > 1/2: 3 of 5", NATIONAL, 5, 3, True, 3),
        ("national > 1/2: 2 of 5", NATIONAL, 5, 2, False, 3),
        ("national > 1/2: exactly half of 6 is not enough", NATIONAL, 6, 3, False, 4),
        ("national > 1/2: 4 of 6", NATIONAL, 6, 4, True, 4),
        ("鲁条例 >= 2/3: 3 of 5 is not enough", SHANDONG, 5, 3, False, 4),
        ("鲁条例 >= 2/3: 4 of 5", SHANDONG, 5, 4, True, 4),
        ("鲁条例 >= 2/3: exactly 4 of 6", SHANDONG, 6, 4, True, 4),
    ],
)
def test_committee_quorum_follows_the_rule_pack(_case, rules, members, present, met, required):
    ids = [f"m{i}" for i in range(members)]

    result = quorum(MeetingKind.OWNERS_COMMITTEE, members=ids, owner_members=(), present=ids[:present], rules=rules)

    assert (result.met, result.present, result.required) == (met, present, required)
    assert f"应到 {members} 人，实到 {present} 人" in result.explanation


def test_people_present_who_are_not_members_do_not_count_towards_quorum():
    result = quorum(
        MeetingKind.OWNERS_COMMITTEE, members=MEMBERS, owner_members=(), present=["m1", "m2", "x", "y"], rules=NATIONAL
    )

    assert (result.met, result.present) == (False, 2)
    with raises(ErrorCode.QUORUM_NOT_MET):
        check_quorum(result)


@pytest.mark.parametrize(
    ("_case", "present", "met"),
    [
        ("京条例 art. 57: 4 of 7 members and 3 of 4 owners", ["o1", "o2", "o3", "s1"], True),
        ("京条例 art. 57: 4 of 7 members but only 2 of 4 owners", ["o1", "o2", "s1", "s2"], False),
        ("京条例 art. 57: 3 of 4 owners but only 3 of 7 members", ["o1", "o2", "o3"], False),
    ],
)
def test_a_property_management_committee_needs_a_double_quorum(_case, present, met):
    owners = ["o1", "o2", "o3", "o4"]
    members = [*owners, "s1", "s2", "s3"]

    result = quorum(
        MeetingKind.PROPERTY_MANAGEMENT_COMMITTEE, members=members, owner_members=owners, present=present,
        rules=NATIONAL,
    )

    assert result.met is met
    assert "业主代表应到 4 人" in result.explanation


@pytest.mark.parametrize(("_case", "present", "met"), [("居民议事会 > 1/2: 2 of 4", 2, False), ("3 of 4", 3, True)])
def test_a_residents_deliberation_needs_more_than_half_of_its_members(_case, present, met):
    members = ["r1", "r2", "r3", "r4"]

    result = quorum(
        MeetingKind.RESIDENTS_DELIBERATION, members=members, owner_members=(), present=members[:present], rules=NATIONAL
    )

    assert result.met is met


def test_an_owners_assembly_opens_without_a_head_quorum_because_art_278_counts_per_item():
    result = quorum(MeetingKind.OWNERS_ASSEMBLY, members=(), owner_members=(), present=[], rules=NATIONAL)

    assert result.met is True
    assert "民法典第278条" in result.explanation


def test_a_joint_meeting_needs_somebody_present():
    empty = quorum(MeetingKind.JOINT_CONFERENCE, members=(), owner_members=(), present=[], rules=NATIONAL)
    one = quorum(MeetingKind.JOINT_CONFERENCE, members=(), owner_members=(), present=["p"], rules=NATIONAL)

    assert (empty.met, one.met) == (False, True)


def test_a_four_party_meeting_with_all_four_parties_may_open():
    check_four_parties(
        MeetingKind.FOUR_PARTY_JOINT,
        [Party.PARTY_ORGANISATION, Party.RESIDENTS_COMMITTEE, Party.OWNERS_COMMITTEE, Party.PROPERTY_FIRM, Party.OWNER],
    )


def test_a_four_party_meeting_without_the_firm_names_the_missing_party():
    with raises(ErrorCode.MISSING_PARTY) as info:
        check_four_parties(
            MeetingKind.FOUR_PARTY_JOINT, [Party.PARTY_ORGANISATION, Party.RESIDENTS_COMMITTEE, Party.OWNERS_COMMITTEE]
        )

    assert "物业服务企业" in info.value.message


def test_other_meetings_do_not_need_the_four_parties():
    check_four_parties(MeetingKind.HEART_TO_HEART, [Party.OWNER])


# --- decision rules ------------------------------------------------------------------------------------------

A = MeetingKind.OWNERS_ASSEMBLY
R = DecisionRule
M = JointMatter


@pytest.mark.parametrize(
    ("_case", "kind", "rule", "matter"),
    [
        ("art. 278 (5): using the fund is ordinary", A, R.OWNERS_ORDINARY, M.USE_MAINTENANCE_FUND),
        ("art. 278 (6): raising the fund is major", A, R.OWNERS_MAJOR, M.RAISE_MAINTENANCE_FUND),
        ("art. 278 (7): rebuilding is major", A, R.OWNERS_MAJOR, M.REBUILD),
        ("art. 278 (8): changing common parts is major", A, R.OWNERS_MAJOR, M.CHANGE_COMMON_PARTS),
        ("art. 278 (4): hiring a firm is ordinary", A, R.OWNERS_ORDINARY, M.HIRE_OR_DISMISS_MANAGER),
        ("指导规则 art. 40: committee by all members", MeetingKind.OWNERS_COMMITTEE, R.MAJORITY_OF_ALL_MEMBERS, None),
        ("four-party consensus", MeetingKind.FOUR_PARTY_JOINT, R.CONSENSUS, None),
        ("joint conference majority of present", MeetingKind.JOINT_CONFERENCE, R.MAJORITY_OF_PRESENT, None),
    ],
)
def test_a_rule_that_fits_its_meeting_and_matter_is_accepted(_case, kind, rule, matter):
    check_decision_rule(kind, rule, matter)


@pytest.mark.parametrize(
    ("_case", "kind", "rule", "matter"),
    [
        ("art. 278: raising the fund is not ordinary", A, R.OWNERS_ORDINARY, M.RAISE_MAINTENANCE_FUND),
        ("art. 278: rebuilding is not ordinary", A, R.OWNERS_ORDINARY, M.REBUILD),
        ("art. 278: changing common parts is not ordinary", A, R.OWNERS_ORDINARY, M.CHANGE_COMMON_PARTS),
        ("art. 278: using the fund is not major", A, R.OWNERS_MAJOR, M.USE_MAINTENANCE_FUND),
        ("assembly item without its matter", A, R.OWNERS_ORDINARY, None),
        ("assembly item under a head-count rule", A, R.MAJORITY_OF_PRESENT, M.ELECT_COMMITTEE),
        ("owners' rule outside an assembly", MeetingKind.FOUR_PARTY_JOINT, R.OWNERS_ORDINARY, M.ELECT_COMMITTEE),
        ("matter outside an assembly", MeetingKind.FOUR_PARTY_JOINT, R.CONSENSUS, M.REBUILD),
        ("committee by present only", MeetingKind.OWNERS_COMMITTEE, R.MAJORITY_OF_PRESENT, None),
    ],
)
def test_a_rule_that_does_not_fit_is_a_rule_mismatch(_case, kind, rule, matter):
    with raises(ErrorCode.RULE_MISMATCH):
        check_decision_rule(kind, rule, matter)


# --- ballots -------------------------------------------------------------------------------------------------


def ballot(**overrides):
    values = dict(
        item_status=AgendaStatus.VOTING,
        kind=MeetingKind.OWNERS_ASSEMBLY,
        eligible=True,
        already_voted=False,
        proxy_authorisation=None,
    )
    check_ballot(**{**values, **overrides})


@pytest.mark.parametrize(
    ("_case", "overrides", "code"),
    [
        ("voting not yet open", {"item_status": AgendaStatus.NOTICED}, ErrorCode.VOTING_CLOSED),
        ("voting closed", {"item_status": AgendaStatus.DECIDED}, ErrorCode.VOTING_CLOSED),
        ("not a seat holder", {"eligible": False}, ErrorCode.NOT_ELIGIBLE),
        ("one ballot per seat", {"already_voted": True}, ErrorCode.ALREADY_VOTED),
        ("指导规则: no proxies in committee", {"kind": MeetingKind.OWNERS_COMMITTEE, "proxy_authorisation": "委托书"},
         ErrorCode.NOT_ELIGIBLE),
        ("a proxy without authorisation", {"proxy_authorisation": "  "}, ErrorCode.INVALID),
    ],
)
def test_a_ballot_outside_the_rules_is_refused(_case, overrides, code):
    with raises(code):
        ballot(**overrides)


def test_an_owner_may_vote_by_proxy_with_a_written_authorisation():
    ballot(proxy_authorisation="书面委托书 2026-05-01")


@pytest.mark.parametrize(
    ("_case", "status", "reason", "new", "code"),
    [
        ("closed", AgendaStatus.DECIDED, "录入错误", Choice.OPPOSE, ErrorCode.VOTING_CLOSED),
        ("no reason", AgendaStatus.VOTING, " ", Choice.OPPOSE, ErrorCode.INVALID),
        ("same choice", AgendaStatus.VOTING, "录入错误", Choice.AGREE, ErrorCode.INVALID),
    ],
)
def test_a_correction_needs_open_voting_a_reason_and_a_change(_case, status, reason, new, code):
    with raises(code):
        check_correction(item_status=status, old=Choice.AGREE, new=new, reason=reason)


def test_a_correction_with_a_reason_during_voting_is_accepted():
    check_correction(item_status=AgendaStatus.VOTING, old=Choice.AGREE, new=Choice.OPPOSE, reason="纸质选票录入错误")


# --- who manages a meeting -----------------------------------------------------------------------------------

COMPOUND = Scope(street_id=1, community_id=2, compound_id=3)


@pytest.mark.parametrize(
    ("_case", "viewer", "allowed"),
    [
        ("centre staff everywhere", Viewer(1, "c", frozenset({AccountRole.CENTRE_STAFF})), True),
        ("street staff of the street", Viewer(1, "s", frozenset({AccountRole.STREET_STAFF}), street_id=1), True),
        ("street staff of another street", Viewer(1, "s", frozenset({AccountRole.STREET_STAFF}), street_id=9), False),
        ("committee member of the compound",
         Viewer(1, "m", frozenset({AccountRole.COMMITTEE_MEMBER}), person_id=5, compound_ids=frozenset({3})), True),
        ("committee member elsewhere",
         Viewer(1, "m", frozenset({AccountRole.COMMITTEE_MEMBER}), person_id=5, compound_ids=frozenset({4})), False),
        ("an owner", Viewer(1, "o", frozenset({AccountRole.OWNER}), person_id=5), False),
    ],
)
def test_staff_of_the_territory_and_the_compounds_committee_manage_its_meetings(_case, viewer, allowed):
    assert may_manage(viewer, COMPOUND) is allowed


def test_the_recorder_or_staff_draft_the_minutes():
    recorder = Viewer(1, "r", frozenset({AccountRole.COMMITTEE_MEMBER}), person_id=5)
    other = Viewer(2, "o", frozenset({AccountRole.COMMITTEE_MEMBER}), person_id=6)
    staff = Viewer(3, "s", frozenset({AccountRole.STREET_STAFF}), street_id=1)

    check_drafter(recorder, COMPOUND, recorder_id=5)
    check_drafter(staff, COMPOUND, recorder_id=5)
    with raises(ErrorCode.FORBIDDEN):
        check_drafter(other, COMPOUND, recorder_id=5)


def test_a_member_of_the_convening_body_manages_its_meetings():
    member = Viewer(1, "m", frozenset({AccountRole.COMMITTEE_MEMBER}), person_id=5)

    assert may_manage(member, COMPOUND, convener_member=True) is True
    assert may_manage(member, COMPOUND, convener_member=False) is False


def test_an_owner_may_cast_only_their_own_ballot():
    owner = Viewer(1, "o", frozenset({AccountRole.OWNER}), person_id=5)

    require_manage_or_vote(owner, COMPOUND, voter_id=5)
    with raises(ErrorCode.FORBIDDEN):
        require_manage_or_vote(owner, COMPOUND, voter_id=6)
