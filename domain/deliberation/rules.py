"""Meeting rules as pure functions: lifecycles, notice period, quorum, the four parties, decision rules, ballots.

No I/O, no ORM, no clock: the caller passes `now`, the rule pack's MeetingRules and plain values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from domain.accounts.rules import Role as AccountRole
from domain.accounts.rules import Scope, Viewer, in_jurisdiction
from domain.calendar import local_date
from domain.deliberation.vocabulary import (
    COMMITTEE_KINDS,
    FOUR_PARTIES,
    MAJOR_MATTERS,
    OWNERS_RULES,
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
from domain.rulepacks.model import MeetingRules, Threshold

S = TypeVar("S", bound=StrEnum)
A = TypeVar("A", bound=StrEnum)

TRANSITIONS: dict[MeetingStatus, dict[MeetingAction, MeetingStatus]] = {
    MeetingStatus.DRAFT: {
        MeetingAction.ISSUE_NOTICE: MeetingStatus.NOTICED,
        MeetingAction.CANCEL: MeetingStatus.CANCELLED,
    },
    MeetingStatus.NOTICED: {
        MeetingAction.OPEN: MeetingStatus.IN_SESSION,
        MeetingAction.CANCEL: MeetingStatus.CANCELLED,
    },
    MeetingStatus.IN_SESSION: {MeetingAction.CLOSE: MeetingStatus.CLOSED},
    MeetingStatus.CLOSED: {MeetingAction.PUBLISH_MINUTES: MeetingStatus.MINUTES_PUBLISHED},
    MeetingStatus.MINUTES_PUBLISHED: {},
    MeetingStatus.CANCELLED: {},
}

AGENDA_TRANSITIONS: dict[AgendaStatus, dict[AgendaAction, AgendaStatus]] = {
    AgendaStatus.DRAFT: {AgendaAction.NOTICE: AgendaStatus.NOTICED},
    AgendaStatus.NOTICED: {AgendaAction.OPEN_VOTING: AgendaStatus.VOTING},
    AgendaStatus.VOTING: {AgendaAction.CLOSE_VOTING: AgendaStatus.DECIDED},
    AgendaStatus.DECIDED: {},
}

# Published minutes are immutable: a correction is a new version, never an edit.
MINUTES_TRANSITIONS: dict[MinutesStatus, dict[MinutesAction, MinutesStatus]] = {
    MinutesStatus.DRAFT: {
        MinutesAction.EDIT: MinutesStatus.DRAFT,
        MinutesAction.SIGN: MinutesStatus.DRAFT,
        MinutesAction.PUBLISH: MinutesStatus.PUBLISHED,
    },
    MinutesStatus.PUBLISHED: {},
}

TASK_TRANSITIONS: dict[TaskStatus, dict[TaskAction, TaskStatus]] = {
    TaskStatus.OPEN: {TaskAction.COMPLETE: TaskStatus.DONE, TaskAction.CANCEL: TaskStatus.CANCELLED},
    TaskStatus.DONE: {},
    TaskStatus.CANCELLED: {},
}


def _step(table: Mapping[S, Mapping[A, S]], state: S, action: A, what: str) -> S:
    target = table.get(state, {}).get(action)
    if target is None:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            f"{what}当前状态为 {state.value}，不能执行 {action.value}",
            "status",
            en=f"{what} in status {state.value} does not allow {action.value}",
        )
    return target


def transition(state: MeetingStatus, action: MeetingAction) -> MeetingStatus:
    return _step(TRANSITIONS, state, action, "会议")


def available_actions(state: MeetingStatus, *, may_manage: bool) -> tuple[MeetingAction, ...]:
    return tuple(TRANSITIONS[state]) if may_manage else ()


def agenda_transition(state: AgendaStatus, action: AgendaAction) -> AgendaStatus:
    return _step(AGENDA_TRANSITIONS, state, action, "议题")


def agenda_available_actions(state: AgendaStatus, *, may_manage: bool) -> tuple[AgendaAction, ...]:
    return tuple(AGENDA_TRANSITIONS[state]) if may_manage else ()


def minutes_transition(state: MinutesStatus, action: MinutesAction) -> MinutesStatus:
    return _step(MINUTES_TRANSITIONS, state, action, "会议纪要")


def task_transition(state: TaskStatus, action: TaskAction) -> TaskStatus:
    return _step(TASK_TRANSITIONS, state, action, "任务")


def may_manage(viewer: Viewer, scope: Scope, *, convener_member: bool = False) -> bool:
    """Staff in their territory, and committee members of the convening body (or of the compound)."""
    if in_jurisdiction(viewer, scope):
        return True
    if AccountRole.COMMITTEE_MEMBER not in viewer.roles:
        return False
    return convener_member or (scope.compound_id is not None and scope.compound_id in viewer.compound_ids)


def require_manage(viewer: Viewer, scope: Scope, *, convener_member: bool = False) -> None:
    if not may_manage(viewer, scope, convener_member=convener_member):
        raise RuleViolation(ErrorCode.FORBIDDEN, "无权管理此会议", None, en="You may not manage this meeting")


def require_manage_or_vote(viewer: Viewer, scope: Scope, *, voter_id: int, convener_member: bool = False) -> None:
    """Members and staff enter paper ballots on an owner's behalf; an owner casts only their own."""
    if may_manage(viewer, scope, convener_member=convener_member):
        return
    if viewer.person_id is not None and viewer.person_id == voter_id and viewer.is_authenticated:
        return
    raise RuleViolation(ErrorCode.FORBIDDEN, "只能投自己的票", "voterId", en="You may cast only your own ballot")


def check_drafter(viewer: Viewer, scope: Scope, *, recorder_id: int | None) -> None:
    """Minutes are drafted by the meeting's recorder; staff of the territory may enter them on the recorder's behalf."""
    if in_jurisdiction(viewer, scope) or recorder_id is None or viewer.person_id == recorder_id:
        return
    raise RuleViolation(ErrorCode.FORBIDDEN, "会议纪要由记录人起草", "meetingId", en="The recorder drafts the minutes")


# --- notice ------------------------------------------------------------------------------------------------


def notice_days(kind: MeetingKind, rules: MeetingRules) -> int:
    # 指导规则 art. 39 (committee, 7 days), 物业管理条例 art. 14 (assembly, 15 days); others are policy.
    if kind in COMMITTEE_KINDS:
        return rules.committee_notice_days
    if kind is MeetingKind.OWNERS_ASSEMBLY:
        return rules.assembly_notice_days
    return rules.other_notice_days


def check_instant(value: datetime, field: str) -> None:
    """Instants carry their offset (conventions: stored UTC, shown Asia/Shanghai); a bare local time is ambiguous."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise RuleViolation(ErrorCode.INVALID, "时间须带时区，例如 2026-11-02T09:00:00+08:00", field,
                            en="A date-time needs its offset, e.g. 2026-11-02T09:00:00+08:00")


def check_notice_issued_at(issued_at: datetime, *, now: datetime) -> None:
    """A notice already on the notice board may be recorded late, but never dated in the future."""
    check_instant(issued_at, "issuedAt")
    if issued_at > now:
        raise RuleViolation(
            ErrorCode.INVALID, "通知发布时间不能晚于当前时间", "issuedAt", en="A notice cannot be issued in the future"
        )


def earliest_start(issued_at: datetime, kind: MeetingKind, rules: MeetingRules) -> datetime:
    return issued_at + timedelta(days=notice_days(kind, rules))


def check_notice_elapsed(issued_at: datetime | None, kind: MeetingKind, rules: MeetingRules, *, now: datetime) -> None:
    if issued_at is None:
        raise RuleViolation(ErrorCode.NOTICE_PERIOD_NOT_ELAPSED, "会议尚未发布通知", "meetingId", en="No notice issued")
    start = earliest_start(issued_at, kind, rules)
    if now < start:
        days = notice_days(kind, rules)
        raise RuleViolation(
            ErrorCode.NOTICE_PERIOD_NOT_ELAPSED,
            f"通知期为 {days} 日，最早可于 {start.isoformat()} 开会",
            "meetingId",
            en=f"The {days}-day notice period ends at {start.isoformat()}",
        )


def results_due_on(closed_at: datetime, rules: MeetingRules) -> date:
    """指导规则 (3日内公告), 京条例 art. 45, 沪规定 art. 26, 鲁条例 art. 32: decisions are made public within the
    pack's days of the meeting (China calendar day)."""
    return local_date(closed_at + timedelta(days=rules.results_publication_days))


def results_publication_late(
    closed_at: datetime | None, published_at: datetime | None, rules: MeetingRules, *, today: date
) -> bool:
    """The results were not published by their due day: published after it, or still unpublished after it."""
    if closed_at is None:
        return False
    due = results_due_on(closed_at, rules)
    return local_date(published_at) > due if published_at is not None else today > due


# --- quorum ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quorum:
    met: bool
    present: int
    required: int
    explanation: str


def minimum_count(threshold: Threshold, whole: int) -> int:
    """The fewest people out of `whole` that meet the threshold (whole + 1 when none can)."""
    return next((k for k in range(whole + 1) if threshold.met(k, whole)), whole + 1)


def _headcount(label: str, present: int, whole: int, threshold: Threshold) -> tuple[bool, int, str]:
    required = minimum_count(threshold, whole)
    met = present >= required
    verdict = "达到" if met else "未达到"
    text = f"{label}应到 {whole} 人，实到 {present} 人，须 {threshold.describe()}（至少 {required} 人），{verdict}"
    return met, required, text


def quorum(
    kind: MeetingKind,
    *,
    members: Collection[str],
    owner_members: Collection[str],
    present: Collection[str],
    rules: MeetingRules,
) -> Quorum:
    """Whether a meeting may open. `members` is the denominator: the convening committee's members, or the
    deliberation's invited participants; `owner_members` are the owner representatives (物管会 double quorum)."""
    here = set(present)
    if kind in COMMITTEE_KINDS or kind is MeetingKind.RESIDENTS_DELIBERATION:
        threshold = rules.residents_quorum if kind is MeetingKind.RESIDENTS_DELIBERATION else rules.committee_quorum
        count = len(here & set(members))
        met, required, text = _headcount("成员", count, len(set(members)), threshold)
        if kind is MeetingKind.PROPERTY_MANAGEMENT_COMMITTEE:
            # 京条例 art. 57: 物管会 needs a majority of members and a majority of owner representatives.
            owners_present = len(here & set(owner_members))
            owners_met, _, owners_text = _headcount("业主代表", owners_present, len(set(owner_members)), threshold)
            met, text = met and owners_met, f"{text}；{owners_text}"
        return Quorum(met, count, required, text)
    if kind is MeetingKind.OWNERS_ASSEMBLY:
        return Quorum(True, len(here), 0, "业主大会按各表决事项计算参与人数和面积（民法典第278条），开会不设法定人数")
    return Quorum(len(here) > 0, len(here), 1, f"实到 {len(here)} 人；本类会议无法定人数，至少须 1 人出席")


def check_quorum(result: Quorum) -> None:
    if not result.met:
        raise RuleViolation(ErrorCode.QUORUM_NOT_MET, result.explanation, "presentPersonIds", en="Quorum not met")


PARTY_NAMES = {
    Party.PARTY_ORGANISATION: "社区党组织",
    Party.RESIDENTS_COMMITTEE: "居委会",
    Party.OWNERS_COMMITTEE: "业委会（物管会）",
    Party.PROPERTY_FIRM: "物业服务企业",
}


def check_four_parties(kind: MeetingKind, present_parties: Iterable[Party]) -> None:
    """A four-party joint meeting opens only with all four parties present."""
    if kind is not MeetingKind.FOUR_PARTY_JOINT:
        return
    missing = [p for p in FOUR_PARTIES if p not in set(present_parties)]
    if missing:
        raise RuleViolation(
            ErrorCode.MISSING_PARTY,
            "四方联席会缺少：" + "、".join(PARTY_NAMES[p] for p in missing),
            "presentPersonIds",
            en="Missing parties: " + ", ".join(p.value for p in missing),
        )


# --- decision rules ------------------------------------------------------------------------------------------


def matter_rule(matter: JointMatter) -> DecisionRule:
    # Civil Code art. 278 para. 2: raising the fund, rebuilding and changing common parts are major matters.
    return DecisionRule.OWNERS_MAJOR if matter in MAJOR_MATTERS else DecisionRule.OWNERS_ORDINARY


def check_decision_rule(kind: MeetingKind, rule: DecisionRule, matter: JointMatter | None) -> None:
    """An item's rule fits its meeting: owners' matters under art. 278, committee decisions by all members."""
    def mismatch(message: str, en: str) -> RuleViolation:
        return RuleViolation(ErrorCode.RULE_MISMATCH, message, "decisionRule", en=en)

    if kind is MeetingKind.OWNERS_ASSEMBLY or rule in OWNERS_RULES:
        if kind is not MeetingKind.OWNERS_ASSEMBLY:
            raise mismatch("业主共同决定规则只适用于业主大会", "Owners' rules apply only to an owners' assembly")
        if rule not in OWNERS_RULES or matter is None:
            raise mismatch("业主大会议题须写明民法典第278条事项并适用相应规则", "Name the art. 278 matter and rule")
        expected = matter_rule(matter)
        if rule is not expected:
            raise mismatch(
                f"事项 {matter.value} 依民法典第278条应适用 {expected.value}",
                f"Civil Code art. 278 makes {matter.value} a matter for {expected.value}",
            )
        return
    if matter is not None:
        raise mismatch("只有业主大会议题才写明民法典第278条事项", "Only owners' assembly items name an art. 278 matter")
    if kind in COMMITTEE_KINDS and rule is not DecisionRule.MAJORITY_OF_ALL_MEMBERS:
        # 指导规则 art. 40 / 京条例 art. 44: committee decisions need a majority of all members.
        raise mismatch("委员会决定须经全体成员过半数同意", "Committee decisions need a majority of all members")


# --- ballots -------------------------------------------------------------------------------------------------


def check_ballot(
    *,
    item_status: AgendaStatus,
    kind: MeetingKind,
    eligible: bool,
    already_voted: bool,
    proxy_authorisation: str | None,
) -> None:
    if item_status is not AgendaStatus.VOTING:
        raise RuleViolation(ErrorCode.VOTING_CLOSED, "该议题未在表决中", "agendaItemId", en="Voting is not open")
    if not eligible:
        raise RuleViolation(ErrorCode.NOT_ELIGIBLE, "该人无权对本议题表决", "voterId", en="Not eligible to vote")
    if proxy_authorisation is not None and kind in COMMITTEE_KINDS:
        raise RuleViolation(ErrorCode.NOT_ELIGIBLE, "委员会会议不得委托表决", "proxy", en="No proxies in committee")
    if proxy_authorisation is not None and not proxy_authorisation.strip():
        raise RuleViolation(ErrorCode.INVALID, "委托表决须附书面委托", "proxy", en="A proxy needs its authorisation")
    if already_voted:
        raise RuleViolation(ErrorCode.ALREADY_VOTED, "该表决席位已投票", "voterId", en="Already voted")


def check_correction(*, item_status: AgendaStatus, old: Choice, new: Choice, reason: str) -> None:
    if item_status is not AgendaStatus.VOTING:
        raise RuleViolation(ErrorCode.VOTING_CLOSED, "表决已结束，不能更正", "ballotId", en="Voting is closed")
    if not reason.strip():
        raise RuleViolation(ErrorCode.INVALID, "更正须说明理由", "reason", en="A correction needs a reason")
    if old is new:
        raise RuleViolation(ErrorCode.INVALID, "更正后的选择与原选择相同", "choice", en="The choice is unchanged")


# --- voting windows (written consultation, 书面征求意见) -------------------------------------------------------


def check_window(*, opens_at: datetime | None, closes_at: datetime | None, now: datetime) -> None:
    """An assembly held by written consultation takes ballots only inside its window."""
    if (opens_at is not None and now < opens_at) or (closes_at is not None and now >= closes_at):
        raise RuleViolation(ErrorCode.VOTING_CLOSED, "不在表决期内", "agendaItemId", en="Outside the voting window")


def check_window_notice(*, notice_issued_at: datetime | None, opens_at: datetime | None, closes_at: datetime | None,
                        kind: MeetingKind, rules: MeetingRules | None) -> None:
    """物业管理条例 art. 14: the notice precedes the opening of the voting window by the assembly's notice days."""
    if opens_at is None and closes_at is None:
        return
    for value, field in ((opens_at, "votingOpensAt"), (closes_at, "votingClosesAt")):
        if value is not None:
            check_instant(value, field)
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise RuleViolation(ErrorCode.INVALID, "表决截止时间须晚于开始时间", "votingClosesAt",
                            en="The window must close after it opens")
    if (rules is not None and opens_at is not None and notice_issued_at is not None
            and opens_at < earliest_start(notice_issued_at, kind, rules)):
        days = notice_days(kind, rules)
        raise RuleViolation(ErrorCode.NOTICE_PERIOD_NOT_ELAPSED, f"表决开始前须提前 {days} 日公告", "votingOpensAt",
                            en=f"The notice must precede the window by {days} days")
