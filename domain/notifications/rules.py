"""What each notification says and who must get it. Pure: no ORM, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.calendar import LOCAL


class NoticeKind(StrEnum):
    MEETING_NOTICE = "MEETING_NOTICE"
    VOTING_OPENED = "VOTING_OPENED"
    VOTING_REMINDER = "VOTING_REMINDER"
    MINUTES_PUBLISHED = "MINUTES_PUBLISHED"
    COMPLAINT_PROGRESS = "COMPLAINT_PROGRESS"
    COMPLAINT_DUE_SOON = "COMPLAINT_DUE_SOON"
    COMMITTEE_DEADLINE = "COMMITTEE_DEADLINE"
    DISCLOSURE_PUBLISHED = "DISCLOSURE_PUBLISHED"
    DISCLOSURE_MISSING = "DISCLOSURE_MISSING"


# A meeting notice is what the law requires owners to receive (物业管理条例 art. 14: 15 days' notice of an
# assembly; 指导规则 art. 36: 7 days for committee meetings); it ignores opt-outs and quiet hours.
STATUTORY = frozenset({NoticeKind.MEETING_NOTICE})

# Kinds that also go out by SMS, not only in the app.
BY_SMS = frozenset({NoticeKind.MEETING_NOTICE, NoticeKind.VOTING_REMINDER, NoticeKind.COMPLAINT_PROGRESS})


@dataclass(frozen=True)
class Text:
    title: str
    body: str


def local_text(instant: datetime) -> str:
    return instant.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")


def meeting_notice(*, title: str, kind_label: str, scheduled_at: datetime, location: str) -> Text:
    where = f"，地点：{location}" if location else ""
    return Text(f"会议通知：{title}", f"{kind_label}定于 {local_text(scheduled_at)} 召开{where}。请准时参加。")


def voting_opened(*, meeting_title: str, item_title: str) -> Text:
    return Text(f"开始表决：{item_title}", f"《{meeting_title}》的议题《{item_title}》已开始表决，请及时投票。")


def voting_reminder(*, meeting_title: str, item_title: str) -> Text:
    return Text(f"尚未投票：{item_title}", f"您尚未对《{meeting_title}》的议题《{item_title}》投票，表决结束前请及时投票。")


def minutes_published(*, meeting_title: str, version: int, challenge_deadline: date | None) -> Text:
    body = f"《{meeting_title}》会议纪要（第 {version} 版）已公布，可在公告栏查阅。"
    if challenge_deadline is not None:
        # 区分所有权解释 art. 12: owners may ask a court to revoke a decision within one year of publication.
        body += f"对业主大会决定有异议的，可于 {challenge_deadline.isoformat()} 前向人民法院请求撤销。"
    return Text(f"会议纪要已公布：{meeting_title}", body)


COMPLAINT_STEPS = {
    "ACCEPT": "已受理",
    "DISPATCH": "已派单至承办单位",
    "RESOLVE": "已办结，请评价",
    "REOPEN": "已重新派单办理",
    "CLOSE": "已结案",
    "CLOSE_UNREACHED": "已结案",
    "REJECT": "未予受理",
}


def complaint_progress(*, number: str, title: str, action: str, note: str = "") -> Text | None:
    step = COMPLAINT_STEPS.get(action)
    if step is None:
        return None
    extra = f"（{note}）" if note and action in ("REJECT", "RESOLVE") else ""
    return Text(f"您的诉求{step}", f"工单 {number}《{title}》{step}{extra}。")


def complaint_due_soon(*, number: str, title: str, due_at: datetime) -> Text:
    return Text(f"工单即将超期：{number}", f"工单 {number}《{title}》办理时限为 {local_text(due_at)}，请在时限内办结。")


def due_soon(due_at: datetime | None, now: datetime, *, warning: timedelta) -> bool:
    """Within `warning` of its deadline and not yet past it (past is the escalation job's business)."""
    return due_at is not None and now < due_at <= now + warning


def committee_deadline(*, compound_name: str, what: str, deadline: date) -> Text:
    return Text(f"业委会{what}期限临近：{compound_name}", f"{compound_name}业主委员会{what}期限为 {deadline.isoformat()}，请及时督促办理。")


def deadline_approaching(deadline: date | None, today: date, *, lead_days: int) -> bool:
    return deadline is not None and today <= deadline <= today + timedelta(days=lead_days)
