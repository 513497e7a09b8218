"""Deliberation types: meetings, participants, agenda items, ballots, tallies, minutes, follow-up tasks."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain.accounts.models import Account
from domain.audit.models import AuditEvent as AuditEventRow
from domain.accounts.rules import Scope
from domain.bodies.models import Membership
from domain.bodies.rules import is_current
from domain.deliberation import models as dm
from domain.deliberation import rules, vocabulary
from domain.deliberation.records import challenge_deadline
from domain.deliberation.service import pack_of
from domain.deliberation.tally import Tally as TallyValue
from domain.deliberation.voting import current_tally
from domain.geography import models as gm
from schema.audit.types import AuditEvent
from schema.bodies.types import Body, present_bodies
from schema.core.context import Info
from schema.core.permissions import ANYONE_SIGNED_IN, Allow
from schema.core.relay import Node, encode_id
from schema.geography.types import Community, Compound, Person

MeetingKind = strawberry.enum(
    vocabulary.MeetingKind, name="MeetingKind",
    description="会议类型 — 四方联席会, 联席会议, 居民议事会, 恳谈会, 党建联席会, 业委会会议, 物管会会议, 业主大会",
)
MeetingStatus = strawberry.enum(
    vocabulary.MeetingStatus, name="MeetingStatus",
    description="会议状态 — DRAFT → NOTICED → IN_SESSION → CLOSED → MINUTES_PUBLISHED, or CANCELLED",
)
MeetingAction = strawberry.enum(vocabulary.MeetingAction, name="MeetingAction", description="会议操作 — a lifecycle step")
RepresentedParty = strawberry.enum(
    vocabulary.Party, name="RepresentedParty",
    description="所代表的一方 — the party a participant represents",
)
ParticipantRole = strawberry.enum(vocabulary.Role, name="ParticipantRole", description="会议角色 — 主持人, 记录人, 参会人")
AgendaItemStatus = strawberry.enum(
    vocabulary.AgendaStatus, name="AgendaItemStatus",
    description="议题状态 — DRAFT (未列入通知), NOTICED, VOTING, DECIDED",
)
DecisionRule = strawberry.enum(
    vocabulary.DecisionRule, name="DecisionRule",
    description="表决规则 — decision rule fixed when the item is noticed",
)
JointMatter = strawberry.enum(
    vocabulary.JointMatter, name="JointMatter",
    description="业主共同决定事项 — a matter of Civil Code art. 278",
)
BallotChoice = strawberry.enum(vocabulary.Choice, name="BallotChoice", description="表决意见 — 同意, 反对, 弃权")
ItemResult = strawberry.enum(vocabulary.ItemResult, name="ItemResult", description="表决结果 — 通过, 未通过")
MinutesStatus = strawberry.enum(vocabulary.MinutesStatus, name="MinutesStatus", description="纪要状态 — 草稿, 已发布")
FollowUpTaskStatus = strawberry.enum(
    vocabulary.TaskStatus, name="FollowUpTaskStatus",
    description="任务状态 — OPEN → DONE or CANCELLED",
)
AgendaItemAction = strawberry.enum(vocabulary.AgendaAction, name="AgendaItemAction", description="议题操作")
MinutesAction = strawberry.enum(vocabulary.MinutesAction, name="MinutesAction", description="纪要操作")
FollowUpTaskAction = strawberry.enum(vocabulary.TaskAction, name="FollowUpTaskAction", description="任务操作")
READ = Allow(ANYONE_SIGNED_IN)


async def may_manage(info: Info, meeting: dm.Meeting) -> bool:
    """Whether the viewer manages this meeting: staff of its territory, or a member of the convening body."""
    viewer, loaders = info.context.viewer, info.context.loaders
    compound = await loaders.by_id(gm.Compound).load(meeting.compound_id) if meeting.compound_id else None
    community = await loaders.by_id(gm.Community).load(compound.community_id if compound else meeting.community_id)
    scope = Scope(street_id=community.street_id, community_id=community.id,
                  compound_id=compound.id if compound else None)
    posts = await loaders.children(Membership, "body_id").load(meeting.convener_id)
    member = any(p.person_id == viewer.person_id and is_current(p.starts_on, p.ends_on, info.context.today)
                 for p in posts)
    return rules.may_manage(viewer, scope, convener_member=member)


async def audit_events(info: Info, entity_type: str, pk: int) -> list[AuditEvent]:
    async def load(keys: list[str]) -> list[list[AuditEventRow]]:
        rows = await AuditEventRow.filter(entity_type=entity_type, entity_id__in=list(set(keys))).order_by("id")
        return [[r for r in rows if r.entity_id == key] for key in keys]

    rows = await info.context.loaders.custom(("audit_events", entity_type), load).load(str(pk))
    return [AuditEvent.from_model(r) for r in rows]


@strawberry.type(description="法定人数 — whether a meeting could open, with the figures and the reason")
class Quorum:
    met: bool
    present: int = strawberry.field(description="出席计入人数")
    required: int = strawberry.field(description="至少须出席人数")
    explanation: str


@strawberry.type(description="计票 — a tally recomputable from the stored ballots; areas in m², heads by 区分所有权解释 art. 9")
class Tally:
    rule: DecisionRule
    eligible_voters: int = strawberry.field(description="有表决权人数（业主按户/人计）")
    participating_voters: int = strawberry.field(description="参与表决人数（含弃权）")
    agree_voters: int
    oppose_voters: int
    abstain_voters: int
    eligible_area: Decimal | None = strawberry.field(description="表决范围专有部分总面积；按人头计票时为空")
    participating_area: Decimal | None
    agree_area: Decimal | None
    oppose_area: Decimal | None
    abstain_area: Decimal | None = strawberry.field(description="弃权面积 — participates, does not agree")
    participation_met: bool = strawberry.field(description="参与表决是否达到法定比例")
    passed: bool
    explanation: str = strawberry.field(description="计票说明 — every figure and the rule, in words")

    @classmethod
    def from_value(cls, t: TallyValue) -> Tally:
        return cls(rule=t.rule, eligible_voters=t.eligible_voters, participating_voters=t.participating_voters,
                   agree_voters=t.agree_voters, oppose_voters=t.oppose_voters, abstain_voters=t.abstain_voters,
                   eligible_area=t.eligible_area, participating_area=t.participating_area, agree_area=t.agree_area,
                   oppose_area=t.oppose_area, abstain_area=t.abstain_area,
                   participation_met=t.participation_met, passed=t.passed, explanation=t.explanation)


@strawberry.type(description="账号 — the account that entered a ballot")
class BallotClerk:
    id: strawberry.ID
    username: str


@strawberry.type(description="参会人 — a participant with the party they represent")
class Participant(Node):
    represents: RepresentedParty
    role: ParticipantRole
    attended: bool = strawberry.field(description="是否出席")
    _person_id: strawberry.Private[int]
    _meeting_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: dm.Participant) -> Participant:
        return cls(id=encode_id("Participant", row.id), represents=row.represents, role=row.role,
                   attended=row.attended, _person_id=row.person_id, _meeting_id=row.meeting_id)

    async def owning_meeting_id(self, info: Info) -> int:
        return self._meeting_id

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._person_id))


@strawberry.type(description="选票更正 — an audited correction of a ballot")
class BallotCorrection:
    old_choice: BallotChoice
    new_choice: BallotChoice
    reason: str
    corrected_at: datetime


@strawberry.type(description="选票 — one ballot of one seat on one item")
class Ballot(Node):
    choice: BallotChoice
    cast_at: datetime
    evidence: str = strawberry.field(description="凭证 — e.g. the paper ballot's reference")
    proxy_authorisation: str | None = strawberry.field(description="书面委托 — the written authorisation of a proxy")
    _pk: strawberry.Private[int]
    _voter_id: strawberry.Private[int]
    _entered_by_id: strawberry.Private[int | None]
    _proxy_id: strawberry.Private[int | None]
    _item_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: dm.Ballot) -> Ballot:
        return cls(id=encode_id("Ballot", row.id), choice=row.choice, cast_at=row.cast_at, evidence=row.evidence,
                   proxy_authorisation=row.proxy_authorisation, _pk=row.id, _voter_id=row.voter_id,
                   _entered_by_id=row.entered_by_id, _proxy_id=row.proxy_id, _item_id=row.item_id)

    async def owning_meeting_id(self, info: Info) -> int:
        item = await info.context.loaders.by_id(dm.AgendaItem).load(self._item_id)
        return item.meeting_id

    @strawberry.field(description="投票人 — the owner or member whose ballot this is")
    async def voter(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._voter_id))

    @strawberry.field(description="录入人 — the account that entered the ballot")
    async def entered_by(self, info: Info) -> BallotClerk | None:
        row = await info.context.loaders.by_id(Account).load(self._entered_by_id) if self._entered_by_id else None
        return BallotClerk(id=encode_id("Account", row.id), username=row.username) if row else None

    @strawberry.field(description="受托人 — the proxy who voted")
    async def proxy(self, info: Info) -> Person | None:
        row = await info.context.loaders.by_id(gm.Person).load(self._proxy_id) if self._proxy_id else None
        return Person.from_model(row) if row else None

    @strawberry.field(description="更正记录")
    async def corrections(self, info: Info) -> list[BallotCorrection]:
        rows = await info.context.loaders.children(dm.BallotCorrection, "ballot_id").load(self._pk)
        return [BallotCorrection(old_choice=r.old_choice, new_choice=r.new_choice, reason=r.reason,
                                 corrected_at=r.corrected_at) for r in rows]


@strawberry.type(description="议题 — an agenda item, voted separately")
class AgendaItem(Node):
    position: int
    title: str
    description: str
    decision_rule: DecisionRule
    matter: JointMatter | None
    scope_building: str | None = strawberry.field(description="表决范围：楼栋 — 部分共用部分")
    scope_entrance: str | None = strawberry.field(description="表决范围：单元")
    status: AgendaItemStatus
    result: ItemResult | None
    voting_opened_at: datetime | None
    voting_closed_at: datetime | None
    _row: strawberry.Private[dm.AgendaItem]

    @classmethod
    def from_model(cls, row: dm.AgendaItem) -> AgendaItem:
        return cls(id=encode_id("AgendaItem", row.id), position=row.position, title=row.title,
                   description=row.description, decision_rule=row.decision_rule, matter=row.matter,
                   scope_building=row.scope_building, scope_entrance=row.scope_entrance, status=row.status,
                   result=row.result, voting_opened_at=row.voting_opened_at, voting_closed_at=row.voting_closed_at,
                   _row=row)

    async def owning_meeting_id(self, info: Info) -> int:
        return self._row.meeting_id

    @strawberry.field(description="计票 — live while voting, as closed afterwards")
    async def tally(self, info: Info) -> Tally:
        meeting = await info.context.loaders.by_id(dm.Meeting).load(self._row.meeting_id)
        return Tally.from_value(await current_tally(self._row, meeting, info.context.now))

    @strawberry.field(description="选票")
    async def ballots(self, info: Info) -> list[Ballot]:
        rows = await info.context.loaders.children(dm.Ballot, "item_id").load(self._row.id)
        return [Ballot.from_model(r) for r in rows]

    @strawberry.field
    async def meeting(self, info: Info) -> Meeting:
        return Meeting.from_model(await info.context.loaders.by_id(dm.Meeting).load(self._row.meeting_id))

    @strawberry.field(description="当前用户可执行的操作 — derived from the item's transition table")
    async def available_actions(self, info: Info) -> list[AgendaItemAction]:
        meeting = await info.context.loaders.by_id(dm.Meeting).load(self._row.meeting_id)
        return list(rules.agenda_available_actions(self._row.status, may_manage=await may_manage(info, meeting)))

    @strawberry.field(description="议题记录 — the item's audit events (voting opened and closed), oldest first")
    async def events(self, info: Info) -> list[AuditEvent]:
        return await audit_events(info, "AgendaItem", self._row.id)


@strawberry.type(description="签名")
class Signature:
    signed_at: datetime
    _person_id: strawberry.Private[int]

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._person_id))


@strawberry.type(description="会议纪要 — one version; published versions are immutable and hash-chained")
class Minutes(Node):
    version: int
    status: MinutesStatus
    body: str
    drafted_at: datetime
    published_at: datetime | None
    content_hash: str | None = strawberry.field(description="SHA-256 over the canonical content and previousHash")
    previous_hash: str | None = strawberry.field(description="前一份发布纪要的哈希 (same compound or community)")
    _row: strawberry.Private[dm.Minutes]

    @classmethod
    def from_model(cls, row: dm.Minutes) -> Minutes:
        return cls(id=encode_id("Minutes", row.id), version=row.version, status=row.status, body=row.body,
                   drafted_at=row.drafted_at, published_at=row.published_at, content_hash=row.content_hash,
                   previous_hash=row.previous_hash, _row=row)

    async def owning_meeting_id(self, info: Info) -> int:
        return self._row.meeting_id

    @strawberry.field(description="起诉撤销期限 — last day to ask a court to revoke an owners' decision (区分所有权解释 art. 12)")
    async def challenge_deadline(self, info: Info) -> date | None:
        meeting = await info.context.loaders.by_id(dm.Meeting).load(self._row.meeting_id)
        return challenge_deadline(self._row, meeting)

    @strawberry.field(description="签名")
    async def signatures(self, info: Info) -> list[Signature]:
        rows = await info.context.loaders.children(dm.Signature, "minutes_id").load(self._row.id)
        return [Signature(signed_at=r.signed_at, _person_id=r.person_id) for r in rows]

    @strawberry.field(description="更正的版本 — the published version this one corrects")
    async def supersedes(self, info: Info) -> Minutes | None:
        if self._row.supersedes_id is None:
            return None
        return Minutes.from_model(await info.context.loaders.by_id(dm.Minutes).load(self._row.supersedes_id))

    @strawberry.field(description="当前用户可执行的操作 — none once published")
    async def available_actions(self, info: Info) -> list[MinutesAction]:
        meeting = await info.context.loaders.by_id(dm.Meeting).load(self._row.meeting_id)
        allowed = await may_manage(info, meeting)
        return list(rules.MINUTES_TRANSITIONS[self._row.status]) if allowed else []

    @strawberry.field(description="记录人")
    async def recorder(self, info: Info) -> Person | None:
        row = await info.context.loaders.by_id(gm.Person).load(self._row.recorder_id) if self._row.recorder_id else None
        return Person.from_model(row) if row else None


@strawberry.type(description="督办任务 — a follow-up task of a resolution")
class FollowUpTask(Node):
    title: str
    status: FollowUpTaskStatus
    due_on: date
    note: str
    finished_at: datetime | None
    _row: strawberry.Private[dm.FollowUpTask]

    @classmethod
    def from_model(cls, row: dm.FollowUpTask) -> FollowUpTask:
        return cls(id=encode_id("FollowUpTask", row.id), title=row.title, status=row.status, due_on=row.due_on,
                   note=row.note, finished_at=row.finished_at, _row=row)

    async def owning_meeting_id(self, info: Info) -> int:
        return self._row.meeting_id

    @strawberry.field(description="承办组织 — the assignee body (or firm)")
    async def assignee(self, info: Info) -> Body:
        return (await present_bodies(info, [self._row.assignee_id]))[0]

    @strawberry.field
    async def meeting(self, info: Info) -> Meeting:
        return Meeting.from_model(await info.context.loaders.by_id(dm.Meeting).load(self._row.meeting_id))

    @strawberry.field(description="当前用户可执行的操作")
    async def available_actions(self, info: Info) -> list[FollowUpTaskAction]:
        meeting = await info.context.loaders.by_id(dm.Meeting).load(self._row.meeting_id)
        allowed = await may_manage(info, meeting)
        return list(rules.TASK_TRANSITIONS[self._row.status]) if allowed else []


@strawberry.type(description="会议 — a deliberation meeting convened by a body for a compound or a community")
class Meeting(Node):
    kind: MeetingKind
    status: MeetingStatus
    title: str
    scheduled_at: datetime
    location: str
    rule_pack: str = strawberry.field(description="规则包 — the rule pack and version the meeting follows")
    notice_issued_at: datetime | None = strawberry.field(description="通知发布时间")
    earliest_start_at: datetime | None = strawberry.field(description="通知期满，最早开会时间")
    opened_at: datetime | None
    closed_at: datetime | None
    quorum: Quorum | None = strawberry.field(description="开会时的法定人数核验")
    results_due_on: date | None = strawberry.field(description="决定公布期限 — closing day + the rule pack's days")
    _row: strawberry.Private[dm.Meeting]

    @classmethod
    def from_model(cls, row: dm.Meeting) -> Meeting:
        earliest = (rules.earliest_start(row.notice_issued_at, row.kind, pack_of(row).meetings)
                    if row.notice_issued_at else None)
        quorum = (Quorum(met=bool(row.quorum_met), present=row.quorum_present or 0,
                         required=row.quorum_required or 0, explanation=row.quorum_explanation or "")
                  if row.quorum_met is not None else None)
        return cls(id=encode_id("Meeting", row.id), kind=row.kind, status=row.status, title=row.title,
                   scheduled_at=row.scheduled_at, location=row.location, rule_pack=row.rule_pack,
                   notice_issued_at=row.notice_issued_at, earliest_start_at=earliest, opened_at=row.opened_at,
                   closed_at=row.closed_at, quorum=quorum, results_due_on=rules.results_due_on(
                       row.closed_at, pack_of(row).meetings) if row.closed_at else None, _row=row)

    async def owning_meeting_id(self, info: Info) -> int:
        return self._row.id

    @strawberry.field(description="参会人")
    async def participants(self, info: Info) -> list[Participant]:
        rows = await info.context.loaders.children(dm.Participant, "meeting_id").load(self._row.id)
        return [Participant.from_model(r) for r in rows]

    @strawberry.field(description="议题")
    async def agenda(self, info: Info) -> list[AgendaItem]:
        rows = await info.context.loaders.children(dm.AgendaItem, "meeting_id", order_by="position").load(self._row.id)
        return [AgendaItem.from_model(r) for r in rows]

    @strawberry.field(description="会议纪要 — every version, oldest first")
    async def minutes(self, info: Info) -> list[Minutes]:
        rows = await info.context.loaders.children(dm.Minutes, "meeting_id", order_by="version").load(self._row.id)
        return [Minutes.from_model(r) for r in rows]

    @strawberry.field(description="督办任务")
    async def tasks(self, info: Info) -> list[FollowUpTask]:
        rows = await info.context.loaders.children(dm.FollowUpTask, "meeting_id").load(self._row.id)
        return [FollowUpTask.from_model(r) for r in rows]

    @strawberry.field(description="召集组织")
    async def convener(self, info: Info) -> Body:
        return (await present_bodies(info, [self._row.convener_id]))[0]

    @strawberry.field
    async def compound(self, info: Info) -> Compound | None:
        row = (await info.context.loaders.by_id(gm.Compound).load(self._row.compound_id)
               if self._row.compound_id else None)
        return Compound.from_model(row) if row else None

    @strawberry.field
    async def community(self, info: Info) -> Community | None:
        row = (await info.context.loaders.by_id(gm.Community).load(self._row.community_id)
               if self._row.community_id else None)
        return Community.from_model(row) if row else None

    @strawberry.field(description="当前用户可执行的操作 — derived from the lifecycle table")
    async def available_actions(self, info: Info) -> list[MeetingAction]:
        allowed = await may_manage(info, self._row)
        return list(rules.available_actions(self._row.status, may_manage=allowed))

    @strawberry.field(description="会议记录 — the meeting's audit events, oldest first")
    async def events(self, info: Info) -> list[AuditEvent]:
        return await audit_events(info, "Meeting", self._row.id)


@strawberry.type(description="纪要哈希链核验")
class MinutesChainVerification:
    valid: bool
    length: int
    head_hash: str | None = strawberry.field(description="最新一份纪要的哈希")
    broken_at: strawberry.ID | None = strawberry.field(description="第一份不符的纪要")
    explanation: str
