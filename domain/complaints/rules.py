"""The complaint lifecycle (接诉即办) as one explicit transition table, plus the rules around it.

Pure: no ORM, no I/O, no clock. The service loads the order, asks these rules, then writes with
`UPDATE ... WHERE status = <expected>` so that a concurrent move loses instead of overwriting.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.model import ComplaintRules


class Status(StrEnum):
    RECEIVED = "RECEIVED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    DISPATCHED = "DISPATCHED"
    IN_PROGRESS = "IN_PROGRESS"
    RESOLVED = "RESOLVED"
    RETURN_VISITED = "RETURN_VISITED"
    CLOSED = "CLOSED"


class Action(StrEnum):
    FILE = "FILE"  # intake: the first timeline event, not a move of the table
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    DISPATCH = "DISPATCH"
    ACKNOWLEDGE = "ACKNOWLEDGE"
    EXTEND = "EXTEND"
    ESCALATE = "ESCALATE"
    REPORT = "REPORT"
    RESOLVE = "RESOLVE"
    RETURN_VISIT = "RETURN_VISIT"
    REOPEN = "REOPEN"
    LOG_UNREACHED_VISIT = "LOG_UNREACHED_VISIT"
    CLOSE = "CLOSE"
    CLOSE_UNREACHED = "CLOSE_UNREACHED"
    MERGE = "MERGE"
    ABSORB_DUPLICATE = "ABSORB_DUPLICATE"


class Capability(StrEnum):
    """What a viewer may do to one order; derived from the viewer's bodies and jurisdiction."""

    SUPERVISE = "SUPERVISE"  # community / street / district staff over the compound
    HANDLE = "HANDLE"  # staff of the current handler or of the accountable first receiver (首接负责)
    CO_HANDLE = "CO_HANDLE"  # staff of a unit the order passed through on escalation (吹哨)


class Channel(StrEnum):
    HOTLINE_12345 = "HOTLINE_12345"
    PROVINCIAL_SYSTEM = "PROVINCIAL_SYSTEM"
    PETITION = "PETITION"
    PUBLIC_OPINION = "PUBLIC_OPINION"
    GRID_PATROL = "GRID_PATROL"
    WALK_IN = "WALK_IN"
    ONLINE = "ONLINE"
    MEETING = "MEETING"


class Kind(StrEnum):
    """接诉即办条例 art. 2: the kinds of request."""

    CONSULTATION = "CONSULTATION"
    HELP = "HELP"
    COMPLAINT = "COMPLAINT"
    REPORT = "REPORT"
    SUGGESTION = "SUGGESTION"


class Urgency(StrEnum):
    EMERGENCY = "EMERGENCY"
    UTILITY = "UTILITY"
    ORDINARY = "ORDINARY"
    COMPLEX = "COMPLEX"


class Satisfaction(StrEnum):
    SATISFIED = "SATISFIED"
    BASICALLY_SATISFIED = "BASICALLY_SATISFIED"
    UNSATISFIED = "UNSATISFIED"


S, A = Status, Action

TRANSITIONS: dict[Status, dict[Action, Status]] = {
    S.RECEIVED: {A.ACCEPT: S.ACCEPTED, A.REJECT: S.REJECTED, A.MERGE: S.CLOSED, A.ABSORB_DUPLICATE: S.RECEIVED},
    S.ACCEPTED: {A.DISPATCH: S.DISPATCHED, A.MERGE: S.CLOSED, A.ABSORB_DUPLICATE: S.ACCEPTED},
    S.REJECTED: {},
    S.DISPATCHED: {
        A.ACKNOWLEDGE: S.IN_PROGRESS,
        A.EXTEND: S.DISPATCHED,
        A.ESCALATE: S.DISPATCHED,
        A.REPORT: S.DISPATCHED,
        A.MERGE: S.CLOSED,
        A.ABSORB_DUPLICATE: S.DISPATCHED,
    },
    S.IN_PROGRESS: {
        A.RESOLVE: S.RESOLVED,
        A.EXTEND: S.IN_PROGRESS,
        # the receiving unit has to sign for the order again
        A.ESCALATE: S.DISPATCHED,
        A.REPORT: S.IN_PROGRESS,
        A.MERGE: S.CLOSED,
        A.ABSORB_DUPLICATE: S.IN_PROGRESS,
    },
    S.RESOLVED: {
        A.RETURN_VISIT: S.RETURN_VISITED,
        A.REOPEN: S.DISPATCHED,
        A.LOG_UNREACHED_VISIT: S.RESOLVED,
        A.CLOSE_UNREACHED: S.CLOSED,
    },
    S.RETURN_VISITED: {A.CLOSE: S.CLOSED},
    S.CLOSED: {},
}

# Who may ask for an action. ABSORB_DUPLICATE is nobody's: it only happens as part of a MERGE.
ACTION_CAPABILITIES: dict[Action, frozenset[Capability]] = {
    A.ACCEPT: frozenset({Capability.SUPERVISE}),
    A.REJECT: frozenset({Capability.SUPERVISE}),
    A.DISPATCH: frozenset({Capability.SUPERVISE}),
    A.ACKNOWLEDGE: frozenset({Capability.HANDLE}),
    A.EXTEND: frozenset({Capability.SUPERVISE, Capability.HANDLE}),
    A.ESCALATE: frozenset({Capability.SUPERVISE, Capability.HANDLE}),
    A.REPORT: frozenset({Capability.HANDLE, Capability.CO_HANDLE}),
    A.RESOLVE: frozenset({Capability.HANDLE}),
    A.RETURN_VISIT: frozenset({Capability.SUPERVISE}),
    A.REOPEN: frozenset({Capability.SUPERVISE}),
    A.LOG_UNREACHED_VISIT: frozenset({Capability.SUPERVISE}),
    A.CLOSE: frozenset({Capability.SUPERVISE}),
    A.CLOSE_UNREACHED: frozenset({Capability.SUPERVISE}),
    A.MERGE: frozenset({Capability.SUPERVISE}),
    A.ABSORB_DUPLICATE: frozenset(),
    A.FILE: frozenset(),
}

OPEN_STATUSES = frozenset({S.RECEIVED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS, S.RESOLVED, S.RETURN_VISITED})
HANDLING_STATUSES = frozenset({S.DISPATCHED, S.IN_PROGRESS})


def transition(status: Status, action: Action) -> Status:
    """The status after `action`, or INVALID_TRANSITION when the table has no such move."""
    target = TRANSITIONS[status].get(action)
    if target is None:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            f"工单状态为 {status.value}，不能执行 {action.value}",
            "complaintId",
            en=f"A {status.value} complaint cannot {action.value}",
        )
    return target


def authorize(action: Action, capabilities: Collection[Capability]) -> None:
    if not ACTION_CAPABILITIES[action] & set(capabilities):
        raise RuleViolation(
            ErrorCode.FORBIDDEN, "无权对此工单执行该操作", "complaintId", en="You may not do this to this complaint"
        )


def available_actions(
    status: Status, capabilities: Collection[Capability], *, blocked: Collection[Action] = ()
) -> list[Action]:
    """The moves of the table this viewer may make now, in table order; `blocked` are guarded out by the caller."""
    held = set(capabilities)
    return [
        action
        for action in TRANSITIONS[status]
        if action not in blocked and ACTION_CAPABILITIES[action] & held
    ]


def is_overdue(status: Status, due_at: datetime | None, now: datetime) -> bool:
    """Only an order being handled can be overdue; a resolved one counts against the on-time rate instead."""
    return status in HANDLING_STATUSES and due_at is not None and now > due_at


@dataclass(frozen=True)
class Intake:
    title: str
    received_at: datetime
    complainant_phone: str | None


def check_intake(intake: Intake, *, now: datetime) -> None:
    if not intake.title.strip():
        raise RuleViolation(ErrorCode.INVALID, "标题不能为空", "title", en="The title must not be empty")
    if intake.received_at.tzinfo is None:
        raise RuleViolation(ErrorCode.INVALID, "受理时间须带时区", "receivedAt", en="receivedAt needs a time zone")
    if intake.received_at > now:
        raise RuleViolation(
            ErrorCode.INVALID, "受理时间不能晚于当前时间", "receivedAt", en="receivedAt cannot lie in the future"
        )
    phone = intake.complainant_phone
    if phone is not None and phone.strip():
        digits = phone.replace("-", "").replace(" ", "").removeprefix("+86")
        if not digits.isdigit() or not 5 <= len(digits) <= 12:
            raise RuleViolation(
                ErrorCode.INVALID, "联系电话格式不正确", ("complainant", "phone"), en="Not a phone number"
            )


def check_rejection(*, reason: str, redirect_to: str) -> None:
    # 接诉即办: a refused request must tell the person where it should go instead
    if not reason.strip():
        raise RuleViolation(ErrorCode.INVALID, "须说明不予受理的理由", "reason", en="A reason is required")
    if not redirect_to.strip():
        raise RuleViolation(ErrorCode.INVALID, "须告知应向何处反映", "redirectTo", en="Say where to go instead")


def check_extension(*, reason: str, current_due_at: datetime | None, new_due_at: datetime, now: datetime) -> None:
    if not reason.strip():
        raise RuleViolation(ErrorCode.INVALID, "延期须说明理由", "reason", en="An extension needs a reason")
    if new_due_at <= now or (current_due_at is not None and new_due_at <= current_due_at):
        raise RuleViolation(
            ErrorCode.INVALID,
            "新的办结时限须晚于原时限和当前时间",
            "dueAt",
            en="The new deadline must lie after the current one and after now",
        )


@dataclass(frozen=True)
class ReturnVisit:
    reached: bool
    solved: bool | None
    satisfaction: Satisfaction | None


def return_visit_action(visit: ReturnVisit) -> Action:
    """What a return visit (回访) does to a resolved order."""
    if not visit.reached:
        if visit.satisfaction is not None or visit.solved is not None:
            raise RuleViolation(
                ErrorCode.INVALID,
                "未联系上诉求人时不能记录满意度",
                "satisfaction",
                en="An unreached complainant gives no satisfaction",
            )
        return A.LOG_UNREACHED_VISIT
    if visit.satisfaction is None or visit.solved is None:
        raise RuleViolation(
            ErrorCode.INVALID,
            "已联系上诉求人时须记录是否解决和满意度",
            "satisfaction",
            en="A reached complainant's visit needs solved and satisfaction",
        )
    if visit.solved and visit.satisfaction is not Satisfaction.UNSATISFIED:
        return A.RETURN_VISIT
    return A.REOPEN


def blocked_actions(*, unreached_attempts: int, rules: ComplaintRules) -> frozenset[Action]:
    """Guards on top of the table: closing an unreached order needs the pack's number of attempts."""
    if unreached_attempts < rules.return_visit_attempts:
        return frozenset({A.CLOSE_UNREACHED})
    return frozenset()


def close_action(status: Status, *, unreached_attempts: int, rules: ComplaintRules) -> Action:
    """closeComplaint: 销号 after a satisfied visit, or after the pack's number of failed attempts to reach."""
    if status is S.RESOLVED:
        if A.CLOSE_UNREACHED in blocked_actions(unreached_attempts=unreached_attempts, rules=rules):
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION,
                f"回访未联系上 {unreached_attempts} 次，须达到 {rules.return_visit_attempts} 次才能办结",
                "complaintId",
                en=f"Only {unreached_attempts} of {rules.return_visit_attempts} return visit attempts were made",
            )
        return A.CLOSE_UNREACHED
    return A.CLOSE
