from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.complaints.rules import (
    TRANSITIONS,
    Action,
    Capability,
    Intake,
    ReturnVisit,
    Satisfaction,
    Status,
    authorize,
    available_actions,
    blocked_actions,
    check_extension,
    check_intake,
    check_rejection,
    close_action,
    is_overdue,
    return_visit_action,
    transition,
)
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks import rule_pack

S, A = Status, Action
NOW = datetime(2026, 10, 9, 2, 0, tzinfo=UTC)
NATIONAL = rule_pack("national").complaints  # type: ignore[union-attr]

# Written out by hand from the issue, not derived from TRANSITIONS, so that the table is checked against it.
ALLOWED = [
    ("_case accepting a received order", S.RECEIVED, A.ACCEPT, S.ACCEPTED),
    ("_case rejecting a received order", S.RECEIVED, A.REJECT, S.REJECTED),
    ("_case merging a received duplicate", S.RECEIVED, A.MERGE, S.CLOSED),
    ("_case a received original absorbs a duplicate", S.RECEIVED, A.ABSORB_DUPLICATE, S.RECEIVED),
    ("_case dispatching an accepted order", S.ACCEPTED, A.DISPATCH, S.DISPATCHED),
    ("_case merging an accepted duplicate", S.ACCEPTED, A.MERGE, S.CLOSED),
    ("_case an accepted original absorbs a duplicate", S.ACCEPTED, A.ABSORB_DUPLICATE, S.ACCEPTED),
    ("_case the handler signs for a dispatched order", S.DISPATCHED, A.ACKNOWLEDGE, S.IN_PROGRESS),
    ("_case extending a dispatched order", S.DISPATCHED, A.EXTEND, S.DISPATCHED),
    ("_case escalating a dispatched order", S.DISPATCHED, A.ESCALATE, S.DISPATCHED),
    ("_case a co-handler reports on a dispatched order", S.DISPATCHED, A.REPORT, S.DISPATCHED),
    ("_case merging a dispatched duplicate", S.DISPATCHED, A.MERGE, S.CLOSED),
    ("_case a dispatched original absorbs a duplicate", S.DISPATCHED, A.ABSORB_DUPLICATE, S.DISPATCHED),
    ("_case resolving an order in progress", S.IN_PROGRESS, A.RESOLVE, S.RESOLVED),
    ("_case extending an order in progress", S.IN_PROGRESS, A.EXTEND, S.IN_PROGRESS),
    ("_case escalating an order in progress needs a new signature", S.IN_PROGRESS, A.ESCALATE, S.DISPATCHED),
    ("_case a co-handler reports on an order in progress", S.IN_PROGRESS, A.REPORT, S.IN_PROGRESS),
    ("_case merging a duplicate in progress", S.IN_PROGRESS, A.MERGE, S.CLOSED),
    ("_case an original in progress absorbs a duplicate", S.IN_PROGRESS, A.ABSORB_DUPLICATE, S.IN_PROGRESS),
    ("_case a satisfied return visit", S.RESOLVED, A.RETURN_VISIT, S.RETURN_VISITED),
    ("_case an unsatisfied return visit sends it back", S.RESOLVED, A.REOPEN, S.DISPATCHED),
    ("_case an unreached return visit attempt", S.RESOLVED, A.LOG_UNREACHED_VISIT, S.RESOLVED),
    ("_case closing after the attempts to reach failed", S.RESOLVED, A.CLOSE_UNREACHED, S.CLOSED),
    ("_case closing a visited order", S.RETURN_VISITED, A.CLOSE, S.CLOSED),
]
ALLOWED_PAIRS = {(status, action) for _, status, action, _ in ALLOWED}
REFUSED = [
    (f"_case {status.value} refuses {action.value}", status, action)
    for status in Status
    for action in Action
    if (status, action) not in ALLOWED_PAIRS
]


@pytest.mark.parametrize(("_case", "status", "action", "expected"), ALLOWED)
def test_every_allowed_move_reaches_its_status(_case: str, status: Status, action: Action, expected: Status) -> None:
    assert transition(status, action) is expected


@pytest.mark.parametrize(("_case", "status", "action"), REFUSED)
def test_every_other_move_is_an_invalid_transition(_case: str, status: Status, action: Action) -> None:
    with pytest.raises(RuleViolation) as raised:
        transition(status, action)

    assert raised.value.code is ErrorCode.INVALID_TRANSITION


def test_the_table_holds_exactly_the_allowed_moves() -> None:
    table = {(status, action): target for status, moves in TRANSITIONS.items() for action, target in moves.items()}

    assert table == {(status, action): target for _, status, action, target in ALLOWED}
    assert set(TRANSITIONS) == set(Status)


def test_rejected_and_closed_orders_are_final() -> None:
    assert TRANSITIONS[S.REJECTED] == {} and TRANSITIONS[S.CLOSED] == {}


@pytest.mark.parametrize(
    ("_case", "status", "capabilities", "expected"),
    [
        ("_case street staff on a new order", S.RECEIVED, {Capability.SUPERVISE}, [A.ACCEPT, A.REJECT, A.MERGE]),
        ("_case the handler on a new order", S.RECEIVED, {Capability.HANDLE}, []),
        ("_case the handler on a dispatched order", S.DISPATCHED, {Capability.HANDLE},
         [A.ACKNOWLEDGE, A.EXTEND, A.ESCALATE, A.REPORT]),
        ("_case a co-handler on an order in progress", S.IN_PROGRESS, {Capability.CO_HANDLE}, [A.REPORT]),
        ("_case street staff on a resolved order", S.RESOLVED, {Capability.SUPERVISE},
         [A.RETURN_VISIT, A.REOPEN, A.LOG_UNREACHED_VISIT, A.CLOSE_UNREACHED]),
        ("_case the owner who filed it", S.DISPATCHED, set(), []),
        ("_case anybody on a closed order", S.CLOSED, set(Capability), []),
    ],
)
def test_available_actions_come_from_the_table_and_the_viewer(
    _case: str, status: Status, capabilities: set[Capability], expected: list[Action]
) -> None:
    assert available_actions(status, capabilities) == expected


def test_blocked_actions_are_not_offered() -> None:
    assert A.CLOSE_UNREACHED not in available_actions(S.RESOLVED, {Capability.SUPERVISE}, blocked={A.CLOSE_UNREACHED})


def test_nobody_may_absorb_a_duplicate_directly() -> None:
    for status in Status:
        assert A.ABSORB_DUPLICATE not in available_actions(status, set(Capability))


@pytest.mark.parametrize(
    ("_case", "action", "capabilities"),
    [
        ("_case a firm cannot accept", A.ACCEPT, {Capability.HANDLE}),
        ("_case a street cannot sign for the firm", A.ACKNOWLEDGE, {Capability.SUPERVISE}),
        ("_case a co-handler cannot resolve", A.RESOLVE, {Capability.CO_HANDLE}),
        ("_case an owner cannot close", A.CLOSE, set()),
    ],
)
def test_actions_outside_the_viewers_capabilities_are_forbidden(
    _case: str, action: Action, capabilities: set[Capability]
) -> None:
    with pytest.raises(RuleViolation) as raised:
        authorize(action, capabilities)

    assert raised.value.code is ErrorCode.FORBIDDEN


@given(
    actions=st.lists(st.sampled_from(list(Action)), max_size=30),
    capabilities=st.sets(st.sampled_from(list(Capability))),
)
def test_every_offered_action_is_permitted_and_moves_along_the_table(
    actions: list[Action], capabilities: set[Capability]
) -> None:
    status = S.RECEIVED
    for action in actions:
        if action in available_actions(status, capabilities):
            authorize(action, capabilities)
            status = transition(status, action)

    assert status in TRANSITIONS


@given(st.lists(st.sampled_from(list(Action)), max_size=40))
def test_a_closed_order_never_reopens(actions: list[Action]) -> None:
    status, closed = S.RECEIVED, False
    for action in actions:
        try:
            status = transition(status, action)
        except RuleViolation:
            continue
        if closed:
            raise AssertionError("a closed order moved")
        closed = status is S.CLOSED
    assert not closed or status is S.CLOSED


@pytest.mark.parametrize(
    ("_case", "visit", "expected"),
    [
        ("_case satisfied and solved", ReturnVisit(True, True, Satisfaction.SATISFIED), A.RETURN_VISIT),
        ("_case basically satisfied and solved", ReturnVisit(True, True, Satisfaction.BASICALLY_SATISFIED),
         A.RETURN_VISIT),
        ("_case unsatisfied", ReturnVisit(True, True, Satisfaction.UNSATISFIED), A.REOPEN),
        ("_case satisfied but not solved", ReturnVisit(True, False, Satisfaction.SATISFIED), A.REOPEN),
        ("_case not reached", ReturnVisit(False, None, None), A.LOG_UNREACHED_VISIT),
    ],
)
def test_a_return_visit_decides_the_next_move(_case: str, visit: ReturnVisit, expected: Action) -> None:
    assert return_visit_action(visit) is expected


@pytest.mark.parametrize(
    ("_case", "visit"),
    [
        ("_case reached without satisfaction", ReturnVisit(True, True, None)),
        ("_case reached without solved", ReturnVisit(True, None, Satisfaction.SATISFIED)),
        ("_case unreached with satisfaction", ReturnVisit(False, None, Satisfaction.SATISFIED)),
    ],
)
def test_an_incoherent_return_visit_is_invalid(_case: str, visit: ReturnVisit) -> None:
    with pytest.raises(RuleViolation) as raised:
        return_visit_action(visit)

    assert raised.value.code is ErrorCode.INVALID


def test_an_unreached_order_closes_only_after_the_packs_number_of_attempts() -> None:
    attempts = NATIONAL.return_visit_attempts

    with pytest.raises(RuleViolation) as raised:
        close_action(S.RESOLVED, unreached_attempts=attempts - 1, rules=NATIONAL)

    assert raised.value.code is ErrorCode.INVALID_TRANSITION
    assert close_action(S.RESOLVED, unreached_attempts=attempts, rules=NATIONAL) is A.CLOSE_UNREACHED
    assert blocked_actions(unreached_attempts=attempts - 1, rules=NATIONAL) == {A.CLOSE_UNREACHED}
    assert blocked_actions(unreached_attempts=attempts, rules=NATIONAL) == set()


def test_a_visited_order_closes_with_a_plain_close() -> None:
    assert close_action(S.RETURN_VISITED, unreached_attempts=0, rules=NATIONAL) is A.CLOSE


@pytest.mark.parametrize(
    ("_case", "intake", "field"),
    [
        ("_case an empty title", Intake(" ", NOW, None), ("title",)),
        ("_case received in the future", Intake("漏水", NOW + timedelta(seconds=1), None), ("receivedAt",)),
        ("_case received without a time zone", Intake("漏水", NOW.replace(tzinfo=None), None), ("receivedAt",)),
        ("_case a phone that is not one", Intake("漏水", NOW, "call me"), ("complainant", "phone")),
    ],
)
def test_an_invalid_intake_names_its_field(_case: str, intake: Intake, field: tuple[str, ...]) -> None:
    with pytest.raises(RuleViolation) as raised:
        check_intake(intake, now=NOW)

    assert (raised.value.code, raised.value.field) == (ErrorCode.INVALID, field)


def test_an_intake_received_earlier_than_now_is_valid() -> None:
    check_intake(Intake("电梯停运", NOW - timedelta(days=2), "138-0013-8000"), now=NOW)
    check_intake(Intake("电梯停运", NOW, None), now=NOW)


def test_a_rejection_needs_a_reason_and_where_to_go_instead() -> None:
    with pytest.raises(RuleViolation) as no_reason:
        check_rejection(reason="", redirect_to="区住建委")
    with pytest.raises(RuleViolation) as no_redirect:
        check_rejection(reason="不属于物业服务范围", redirect_to=" ")

    assert no_reason.value.field == ("reason",)
    assert no_redirect.value.field == ("redirectTo",)
    check_rejection(reason="不属于物业服务范围", redirect_to="区住建委")


def test_an_extension_must_move_the_deadline_later() -> None:
    due = NOW + timedelta(days=1)

    with pytest.raises(RuleViolation) as earlier:
        check_extension(reason="等待配件", current_due_at=due, new_due_at=due, now=NOW)
    with pytest.raises(RuleViolation) as no_reason:
        check_extension(reason="", current_due_at=due, new_due_at=due + timedelta(days=1), now=NOW)

    assert earlier.value.field == ("dueAt",)
    assert no_reason.value.field == ("reason",)
    check_extension(reason="等待配件", current_due_at=due, new_due_at=due + timedelta(days=3), now=NOW)


@pytest.mark.parametrize(
    ("_case", "status", "due_at", "expected"),
    [
        ("_case dispatched past its deadline", S.DISPATCHED, NOW - timedelta(seconds=1), True),
        ("_case in progress past its deadline", S.IN_PROGRESS, NOW - timedelta(hours=1), True),
        ("_case due exactly now", S.IN_PROGRESS, NOW, False),
        ("_case resolved after its deadline", S.RESOLVED, NOW - timedelta(days=1), False),
        ("_case not yet dispatched", S.ACCEPTED, None, False),
    ],
)
def test_only_an_order_being_handled_past_its_deadline_is_overdue(
    _case: str, status: Status, due_at: datetime | None, expected: bool
) -> None:
    assert is_overdue(status, due_at, NOW) is expected
