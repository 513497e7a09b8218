"""Follow-up tasks (督办事项) a resolution creates: an assignee body, a due date, tracked to completion."""

from __future__ import annotations

from datetime import date, datetime

from domain.accounts.rules import Viewer
from domain.audit.service import record_event
from domain.bodies.models import Body
from domain.deliberation import rules
from domain.deliberation.models import AgendaItem, FollowUpTask
from domain.deliberation.service import load_meeting
from domain.deliberation.vocabulary import ItemResult, MeetingStatus, TaskAction, TaskStatus
from domain.errors import ErrorCode, RuleViolation
from domain.geography.rules import required_text
from domain.geography.service import not_found
from domain.transaction import atomic
from domain.calendar import local_date

TASK_STAGES = (MeetingStatus.IN_SESSION, MeetingStatus.CLOSED, MeetingStatus.MINUTES_PUBLISHED)


async def create_task(
    *, actor: Viewer, meeting_id: int, item_id: int | None, title: str, assignee_body_id: int, due_on: date,
    now: datetime,
) -> FollowUpTask:
    text = required_text(title, field="title", label="任务", max_length=200)
    async with atomic():
        meeting, _ = await load_meeting(meeting_id, actor=actor, now=now)
        if meeting.status not in TASK_STAGES:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "会议召开后才能布置任务", "meetingId",
                                en="Tasks follow a held meeting")
        if item_id is not None:
            item = await AgendaItem.get_or_none(id=item_id, meeting_id=meeting.id)
            if item is None:
                raise not_found("议题", "agendaItemId")
            if item.result is not ItemResult.PASSED:
                raise RuleViolation(ErrorCode.INVALID, "只有通过的决议才能产生任务", "agendaItemId",
                                    en="Only a passed resolution creates tasks")
        if not await Body.exists(id=assignee_body_id):
            raise not_found("承办组织", "assigneeId")
        if due_on < local_date(now):
            raise RuleViolation(ErrorCode.INVALID, "完成期限不能早于今天", "dueOn", en="dueOn is in the past")
        task = await FollowUpTask.create(
            meeting_id=meeting.id, item_id=item_id, title=text, assignee_id=assignee_body_id, due_on=due_on,
            status=TaskStatus.OPEN, created_at=now,
        )
        await record_event(actor=actor, action="createFollowUpTask", entity_type="FollowUpTask", entity_id=task.id,
                           summary=f"布置任务《{text}》，承办 {assignee_body_id}，期限 {due_on}", now=now)
    return task


async def finish_task(*, actor: Viewer, task_id: int, action: TaskAction, note: str, now: datetime) -> FollowUpTask:
    async with atomic():
        task = await FollowUpTask.get_or_none(id=task_id)
        if task is None:
            raise not_found("任务", "taskId")
        await load_meeting(task.meeting_id, actor=actor, now=now)
        target = rules.task_transition(task.status, action)
        moved = await FollowUpTask.filter(id=task.id, status=task.status).update(
            status=target, finished_at=now, note=note.strip()
        )
        if moved != 1:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "任务状态已被他人更改", "taskId", en="Changed")
        await record_event(actor=actor, action=f"{action.lower()}FollowUpTask", entity_type="FollowUpTask",
                           entity_id=task.id, summary=f"任务 {task.id} → {target}：{note.strip()}", now=now)
    return await FollowUpTask.get(id=task_id)
