"""Mutations of deliberation: thin — parse the input, call one use case, map the result."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from domain.accounts.rules import Role
from domain.deliberation import records, service, tasks, voting
from domain.deliberation.pubsub import TallyEvents
from domain.deliberation.vocabulary import TaskAction
from schema.bodies.types import body_pk
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import STAFF, mutation
from schema.core.relay import decode_id, decode_ids
from schema.deliberation.types import (
    AgendaItem,
    Ballot,
    BallotChoice,
    DecisionRule,
    FollowUpTask,
    JointMatter,
    Meeting,
    MeetingKind,
    Minutes,
    ParticipantRole,
    RepresentedParty,
    Tally,
)

MANAGERS = STAFF | {Role.COMMITTEE_MEMBER}
VOTERS = MANAGERS | {Role.OWNER}


def _events(info: Info) -> TallyEvents | None:
    return TallyEvents(info.context.events) if info.context.events is not None else None


@strawberry.input
class ParticipantInput:
    person_id: strawberry.ID
    represents: RepresentedParty
    role: ParticipantRole = ParticipantRole.ATTENDEE  # type: ignore[assignment]


@strawberry.input
class AgendaItemInput:
    title: str
    decision_rule: DecisionRule
    description: str = ""
    matter: JointMatter | None = strawberry.field(default=None, description="业主大会议题：民法典第278条事项")
    scope_building: str | None = strawberry.field(default=None, description="表决限于该楼栋")
    scope_entrance: str | None = strawberry.field(default=None, description="表决限于该单元")

    def spec(self) -> service.ItemSpec:
        return service.ItemSpec(title=self.title, decision_rule=self.decision_rule, description=self.description,
                                matter=self.matter, scope_building=self.scope_building,
                                scope_entrance=self.scope_entrance)


@strawberry.input
class ScheduleMeetingInput:
    kind: MeetingKind
    convener_body_id: strawberry.ID
    title: str
    scheduled_at: datetime
    compound_id: strawberry.ID | None = None
    community_id: strawberry.ID | None = None
    location: str = ""
    participants: list[ParticipantInput] = strawberry.field(default_factory=list)
    agenda: list[AgendaItemInput] = strawberry.field(default_factory=list)


@strawberry.type
class MeetingPayload:
    meeting: Meeting | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ScheduleMeetingPayload(MeetingPayload):
    pass


@strawberry.type
class IssueMeetingNoticePayload(MeetingPayload):
    pass


@strawberry.type
class OpenMeetingPayload(MeetingPayload):
    pass


@strawberry.type
class CloseMeetingPayload(MeetingPayload):
    pass


@strawberry.type
class CancelMeetingPayload(MeetingPayload):
    pass


@strawberry.input
class IssueMeetingNoticeInput:
    meeting_id: strawberry.ID
    issued_at: datetime | None = strawberry.field(default=None, description="通知张贴时间，默认为现在，不能晚于现在")


@strawberry.input
class OpenMeetingInput:
    meeting_id: strawberry.ID
    present_person_ids: list[strawberry.ID]


@strawberry.input
class MeetingActionInput:
    meeting_id: strawberry.ID


@strawberry.input
class CancelMeetingInput:
    meeting_id: strawberry.ID
    reason: str


@strawberry.input
class AddAgendaItemInput:
    meeting_id: strawberry.ID
    item: AgendaItemInput


@strawberry.input
class AgendaItemActionInput:
    agenda_item_id: strawberry.ID


@strawberry.type
class AgendaItemPayload:
    agenda_item: AgendaItem | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AddAgendaItemPayload(AgendaItemPayload):
    pass


@strawberry.type
class OpenVotingPayload(AgendaItemPayload):
    pass


@strawberry.type
class CloseVotingPayload(AgendaItemPayload):
    pass


@strawberry.input
class CastBallotInput:
    agenda_item_id: strawberry.ID
    voter_id: strawberry.ID
    choice: BallotChoice
    evidence: str = strawberry.field(default="", description="纸质选票等凭证")
    proxy_id: strawberry.ID | None = strawberry.field(default=None, description="受托人")
    proxy_authorisation: str | None = strawberry.field(default=None, description="书面委托书")


@strawberry.input
class CorrectBallotInput:
    ballot_id: strawberry.ID
    choice: BallotChoice
    reason: str


@strawberry.type
class CastBallotPayload:
    ballot: Ballot | None = None
    tally: Tally | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CorrectBallotPayload(CastBallotPayload):
    pass


@strawberry.input
class DraftMinutesInput:
    meeting_id: strawberry.ID
    body: str


@strawberry.input
class SignMinutesInput:
    minutes_id: strawberry.ID
    person_id: strawberry.ID


@strawberry.input
class PublishMinutesInput:
    minutes_id: strawberry.ID


@strawberry.type
class MinutesPayload:
    minutes: Minutes | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DraftMinutesPayload(MinutesPayload):
    pass


@strawberry.type
class SignMinutesPayload(MinutesPayload):
    pass


@strawberry.type
class PublishMinutesPayload(MinutesPayload):
    pass


@strawberry.input
class CreateFollowUpTaskInput:
    meeting_id: strawberry.ID
    title: str
    assignee_id: strawberry.ID = strawberry.field(description="承办组织（任何组织或物业企业的 ID）")
    due_on: date
    agenda_item_id: strawberry.ID | None = None


@strawberry.input
class FollowUpTaskActionInput:
    task_id: strawberry.ID
    note: str = ""


@strawberry.type
class FollowUpTaskPayload:
    task: FollowUpTask | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CreateFollowUpTaskPayload(FollowUpTaskPayload):
    pass


@strawberry.type
class CompleteFollowUpTaskPayload(FollowUpTaskPayload):
    pass


@strawberry.type
class CancelFollowUpTaskPayload(FollowUpTaskPayload):
    pass


def _meeting_id(value: strawberry.ID) -> int:
    return decode_id(value, "Meeting", "meetingId")


def _item_id(value: strawberry.ID) -> int:
    return decode_id(value, "AgendaItem", "agendaItemId")


@strawberry.type
class Mutation:
    @mutation(MANAGERS, "安排会议 — schedule a meeting with its participants and agenda")
    async def schedule_meeting(self, info: Info, input: ScheduleMeetingInput) -> ScheduleMeetingPayload:
        draft = service.MeetingDraft(
            kind=input.kind, title=input.title,
            convener_body_id=await body_pk(input.convener_body_id, "convenerBodyId"),
            scheduled_at=input.scheduled_at, location=input.location,
            compound_id=decode_id(input.compound_id, "Compound", "compoundId") if input.compound_id else None,
            community_id=decode_id(input.community_id, "Community", "communityId") if input.community_id else None,
            participants=[service.ParticipantSpec(decode_id(p.person_id, "Person", "participants"), p.represents,
                                                  p.role) for p in input.participants],
            agenda=[a.spec() for a in input.agenda],
        )
        row = await service.schedule_meeting(actor=info.context.viewer, draft=draft, now=info.context.now)
        return ScheduleMeetingPayload(meeting=Meeting.from_model(row))

    @mutation(MANAGERS, "发布会议通知 — the notice period counts from issuedAt")
    async def issue_meeting_notice(self, info: Info, input: IssueMeetingNoticeInput) -> IssueMeetingNoticePayload:
        row = await service.issue_notice(actor=info.context.viewer, meeting_id=_meeting_id(input.meeting_id),
                                         issued_at=input.issued_at, now=info.context.now)
        return IssueMeetingNoticePayload(meeting=Meeting.from_model(row))

    @mutation(MANAGERS, "增加议题 — an item added after the notice cannot be voted on")
    async def add_agenda_item(self, info: Info, input: AddAgendaItemInput) -> AddAgendaItemPayload:
        row = await service.add_agenda_item(actor=info.context.viewer, meeting_id=_meeting_id(input.meeting_id),
                                            spec=input.item.spec(), now=info.context.now)
        return AddAgendaItemPayload(agenda_item=AgendaItem.from_model(row))

    @mutation(MANAGERS, "开会 — record attendance; checks notice period, quorum and the four parties")
    async def open_meeting(self, info: Info, input: OpenMeetingInput) -> OpenMeetingPayload:
        row = await service.open_meeting(
            actor=info.context.viewer, meeting_id=_meeting_id(input.meeting_id),
            present_person_ids=decode_ids(input.present_person_ids, "Person", "presentPersonIds"),
            now=info.context.now)
        return OpenMeetingPayload(meeting=Meeting.from_model(row))

    @mutation(MANAGERS, "闭会")
    async def close_meeting(self, info: Info, input: MeetingActionInput) -> CloseMeetingPayload:
        row = await service.close_meeting(actor=info.context.viewer, meeting_id=_meeting_id(input.meeting_id),
                                          now=info.context.now)
        return CloseMeetingPayload(meeting=Meeting.from_model(row))

    @mutation(MANAGERS, "取消会议")
    async def cancel_meeting(self, info: Info, input: CancelMeetingInput) -> CancelMeetingPayload:
        row = await service.cancel_meeting(actor=info.context.viewer, meeting_id=_meeting_id(input.meeting_id),
                                           reason=input.reason, now=info.context.now)
        return CancelMeetingPayload(meeting=Meeting.from_model(row))

    @mutation(MANAGERS, "开始表决 — only items that were in the notice")
    async def open_voting(self, info: Info, input: AgendaItemActionInput) -> OpenVotingPayload:
        row = await voting.open_voting(actor=info.context.viewer, item_id=_item_id(input.agenda_item_id),
                                       now=info.context.now)
        return OpenVotingPayload(agenda_item=AgendaItem.from_model(row))

    @mutation(MANAGERS, "结束表决 — the tally at closing decides the item")
    async def close_voting(self, info: Info, input: AgendaItemActionInput) -> CloseVotingPayload:
        row = await voting.close_voting(actor=info.context.viewer, item_id=_item_id(input.agenda_item_id),
                                        now=info.context.now, broker=_events(info))
        return CloseVotingPayload(agenda_item=AgendaItem.from_model(row))

    @mutation(VOTERS, "投票 — one ballot per seat; the viewer is recorded as the one who entered it")
    async def cast_ballot(self, info: Info, input: CastBallotInput) -> CastBallotPayload:
        entry = voting.BallotEntry(
            item_id=_item_id(input.agenda_item_id), voter_id=decode_id(input.voter_id, "Person", "voterId"),
            choice=input.choice, evidence=input.evidence,
            proxy_id=decode_id(input.proxy_id, "Person", "proxyId") if input.proxy_id else None,
            proxy_authorisation=input.proxy_authorisation)
        ballot, tally = await voting.cast_ballot(actor=info.context.viewer, entry=entry, now=info.context.now,
                                                 broker=_events(info))
        return CastBallotPayload(ballot=Ballot.from_model(ballot), tally=Tally.from_value(tally))

    @mutation(MANAGERS, "更正选票 — an audited correction with its reason")
    async def correct_ballot(self, info: Info, input: CorrectBallotInput) -> CorrectBallotPayload:
        ballot, tally = await voting.correct_ballot(
            actor=info.context.viewer, ballot_id=decode_id(input.ballot_id, "Ballot", "ballotId"),
            choice=input.choice, reason=input.reason, now=info.context.now, broker=_events(info))
        return CorrectBallotPayload(ballot=Ballot.from_model(ballot), tally=Tally.from_value(tally))

    @mutation(MANAGERS, "起草纪要 — after publication, a new version correcting the last")
    async def draft_minutes(self, info: Info, input: DraftMinutesInput) -> DraftMinutesPayload:
        row = await records.draft_minutes(actor=info.context.viewer, meeting_id=_meeting_id(input.meeting_id),
                                          body=input.body, now=info.context.now)
        return DraftMinutesPayload(minutes=Minutes.from_model(row))

    @mutation(VOTERS, "签署纪要 — by an attending member")
    async def sign_minutes(self, info: Info, input: SignMinutesInput) -> SignMinutesPayload:
        row = await records.sign_minutes(
            actor=info.context.viewer, minutes_id=decode_id(input.minutes_id, "Minutes", "minutesId"),
            person_id=decode_id(input.person_id, "Person", "personId"), now=info.context.now)
        return SignMinutesPayload(minutes=Minutes.from_model(row))

    @mutation(MANAGERS, "发布纪要 — hash-chained, immutable afterwards")
    async def publish_minutes(self, info: Info, input: PublishMinutesInput) -> PublishMinutesPayload:
        row = await records.publish_minutes(
            actor=info.context.viewer, minutes_id=decode_id(input.minutes_id, "Minutes", "minutesId"),
            now=info.context.now)
        return PublishMinutesPayload(minutes=Minutes.from_model(row))

    @mutation(MANAGERS, "布置督办任务 — a follow-up task of a resolution")
    async def create_follow_up_task(self, info: Info, input: CreateFollowUpTaskInput) -> CreateFollowUpTaskPayload:
        row = await tasks.create_task(
            actor=info.context.viewer, meeting_id=_meeting_id(input.meeting_id),
            item_id=_item_id(input.agenda_item_id) if input.agenda_item_id else None, title=input.title,
            assignee_body_id=await body_pk(input.assignee_id, "assigneeId"), due_on=input.due_on,
            now=info.context.now)
        return CreateFollowUpTaskPayload(task=FollowUpTask.from_model(row))

    @mutation(MANAGERS, "完成督办任务")
    async def complete_follow_up_task(self, info: Info, input: FollowUpTaskActionInput
                                      ) -> CompleteFollowUpTaskPayload:
        row = await tasks.finish_task(actor=info.context.viewer, task_id=decode_id(input.task_id, "FollowUpTask",
                                      "taskId"), action=TaskAction.COMPLETE, note=input.note, now=info.context.now)
        return CompleteFollowUpTaskPayload(task=FollowUpTask.from_model(row))

    @mutation(MANAGERS, "撤销督办任务")
    async def cancel_follow_up_task(self, info: Info, input: FollowUpTaskActionInput) -> CancelFollowUpTaskPayload:
        row = await tasks.finish_task(actor=info.context.viewer, task_id=decode_id(input.task_id, "FollowUpTask",
                                      "taskId"), action=TaskAction.CANCEL, note=input.note, now=info.context.now)
        return CancelFollowUpTaskPayload(task=FollowUpTask.from_model(row))
