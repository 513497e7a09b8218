"""The lifecycle of an owners' body: status table, derived expiry, filing and first-meeting deadlines, re-election."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from domain.committees.values import LIVE_STATUSES, Action, CommitteeKind, SeatEndReason, Status, Term
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.model import RulePack
from domain.workdays import add_working_days

TRANSITIONS: dict[Status, dict[Action, Status]] = {
    Status.PREPARING: {Action.FILE: Status.ACTIVE, Action.EXPIRE: Status.EXPIRED, Action.DISSOLVE: Status.DISSOLVED},
    Status.ACTIVE: {Action.EXPIRE: Status.EXPIRED, Action.DISSOLVE: Status.DISSOLVED},
    Status.EXPIRED: {},
    Status.DISSOLVED: {},
}


def derived_status(term: Term, *, today: date) -> Status:
    """The status as of `today`: a body still in office after its term end has expired."""
    if term.status in LIVE_STATUSES and today > term.term_ends_on:
        return Status.EXPIRED
    return term.status


def transition(term: Term, action: Action, *, today: date) -> Status:
    status = derived_status(term, today=today)
    if action is Action.EXPIRE and term.status in LIVE_STATUSES:
        status = term.status  # expiring is how a derived expiry is written down
        if today <= term.term_ends_on:
            raise RuleViolation(
                ErrorCode.INVALID_TRANSITION,
                f"任期至 {term.term_ends_on} 届满，尚未到期",
                en=f"the term runs until {term.term_ends_on}",
            )
    target = TRANSITIONS[status].get(action)
    if target is None:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            f"状态为 {status} 的业主组织不能执行 {action}",
            en=f"cannot {action} an owners' body that is {status}",
        )
    return target


# Expiry follows from the date (derived_status) and is written down by the system, never chosen by a viewer.
SYSTEM_ACTIONS = frozenset({Action.EXPIRE})


def available_actions(term: Term, *, today: date, may_manage: bool) -> list[Action]:
    if not may_manage:
        return []
    actions = []
    for action in Action:
        if action in SYSTEM_ACTIONS:
            continue
        try:
            transition(term, action, today=today)
        except RuleViolation:
            continue
        actions.append(action)
    return actions


def check_filing(term: Term, filed_on: date, *, today: date) -> None:
    transition(term, Action.FILE, today=today)
    if not term.elected_on <= filed_on <= today:
        raise RuleViolation(
            ErrorCode.INVALID,
            "备案日期须在选举日之后且不晚于今天",
            "filedOn",
            en="the filing date must lie between the election and today",
        )


def filing_deadline(term: Term, pack: RulePack) -> date:
    # 指导规则 art. 33 / 物业管理条例 art. 16 / 京条例 art. 43: filed within 30 days of the election.
    return term.elected_on + timedelta(days=pack.owners_committee.filing_days)


def first_meeting_deadline(term: Term, pack: RulePack) -> date:
    # 指导规则 art. 32 / 京条例 art. 42: the first meeting within 7 days of the election.
    return term.elected_on + timedelta(days=pack.owners_committee.first_meeting_days)


def is_filing_overdue(term: Term, pack: RulePack, *, today: date) -> bool:
    return term.filed_on is None and term.status in LIVE_STATUSES and today > filing_deadline(term, pack)


def is_first_meeting_overdue(term: Term, pack: RulePack, *, today: date) -> bool:
    return term.first_meeting_on is None and term.status in LIVE_STATUSES and today > first_meeting_deadline(term, pack)


def street_filing_deadline(term: Term, pack: RulePack) -> date | None:
    """京条例 art. 43: the street completes the filing within 5 working days of receiving it (an indicator: the
    street's own step is not recorded, so the day is shown, not enforced). None where the pack has no such rule."""
    days = pack.owners_committee.street_filing_working_days
    if days is None or term.filed_on is None:
        return None
    return add_working_days(term.filed_on, days).last_day


def chair_publication_deadline(term: Term, pack: RulePack) -> date | None:
    """京条例 art. 42: the names of the chair and vice-chair are published within 3 days of the first meeting."""
    days = pack.owners_committee.chair_publication_days
    if days is None or term.first_meeting_on is None:
        return None
    return term.first_meeting_on + timedelta(days=days)


def regular_meeting_overdue(term: Term, last_meeting_on: date | None, pack: RulePack, *, today: date) -> bool:
    """京条例 art. 45, 沪规定 art. 26: a committee in office meets at least every two months (counted from its last
    meeting, or from the election before its first)."""
    interval = pack.owners_committee.regular_meeting_interval
    if interval is None or derived_status(term, today=today) not in LIVE_STATUSES:
        return False
    return today > interval.last_day_from(last_meeting_on or term.elected_on)


def temporary_meeting_required(requesters: int, members: int, pack: RulePack) -> bool:
    """京条例 art. 45, 沪规定 art. 26: a temporary meeting is held when at least 1/3 of the members request it."""
    share = pack.owners_committee.temporary_meeting_request_share
    return share is not None and members > 0 and Fraction(requesters, members) >= share


def results_posted_until(published_on: date, pack: RulePack) -> date | None:
    """京条例 art. 57: a 物管会's published results stay up for 10 working days."""
    days = pack.management_committee.results_posting_working_days
    return add_working_days(published_on, days).last_day if days is not None else None


class ReelectionReason(StrEnum):
    SEATS_BELOW_SHARE = "SEATS_BELOW_SHARE"  # fewer than half the seats filled: 补选 / 换届
    TERM_ENDING = "TERM_ENDING"  # inside the lead time before the term ends


@dataclass(frozen=True)
class Reelection:
    reasons: tuple[ReelectionReason, ...]

    def __bool__(self) -> bool:
        return bool(self.reasons)


def seats_below_share(filled: int, seats: int, pack: RulePack) -> bool:
    # 指导规则 art. 42 / the pack: re-election when fewer than half of the seats are filled.
    return seats > 0 and Fraction(filled, seats) < pack.owners_committee.reelection_below_seat_share


def reelection_due(term: Term, *, filled: int, seats: int, pack: RulePack, today: date) -> Reelection:
    """Why this body is due for re-election as of `today` (empty when it is not)."""
    if term.status not in LIVE_STATUSES:
        return Reelection(())
    reasons = []
    if seats_below_share(filled, seats, pack):
        reasons.append(ReelectionReason.SEATS_BELOW_SHARE)
    # 指导规则 art. 42: the re-election is prepared in the lead time before the term ends (and after it, if late).
    if today >= pack.owners_committee.reelection_lead.first_day_before(term.term_ends_on):
        reasons.append(ReelectionReason.TERM_ENDING)
    return Reelection(tuple(reasons))


def check_seat_end(
    term: Term, *, started_on: date, ended_on: date | None, on: date, reason: SeatEndReason, today: date
) -> None:
    """A seat ends once, inside the term, not in the future; resignation and removal only while in office."""
    if ended_on is not None:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "该委员任职已终止", "membershipId", en="the seat has ended")
    if reason in (SeatEndReason.TERM_ENDED, SeatEndReason.DISSOLVED):
        raise RuleViolation(
            ErrorCode.INVALID, "该终止原因只能由换届或解散产生", "reason", en="that reason comes from the lifecycle only"
        )
    if derived_status(term, today=today) not in LIVE_STATUSES:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION, "业主组织已不在任", "committeeId", en="the owners' body is no longer in office"
        )
    if not started_on <= on <= today:
        raise RuleViolation(
            ErrorCode.INVALID, "终止日期须在任职开始之后且不晚于今天", "endedOn", en="the end date must lie in the seat"
        )


def seats_ending_with_ownership(kind: CommitteeKind, holders: dict[int, bool]) -> list[int]:
    """Seat holders (person id → still an owner) whose owners'-committee seat ends because they no longer own a unit."""
    # 指导规则 art. 37: an owners'-committee member who ceases to be an owner ceases to be a member.
    if kind is not CommitteeKind.OWNERS_COMMITTEE:
        return []
    return sorted(person for person, is_owner in holders.items() if not is_owner)
