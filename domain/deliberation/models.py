from tortoise import fields
from tortoise.models import Model

from domain.deliberation.vocabulary import (
    AgendaStatus,
    BallotChannel,
    Choice,
    DecisionRule,
    ItemResult,
    JointMatter,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    Party,
    Role,
    TaskStatus,
)


class Meeting(Model):
    """A deliberation meeting (会议) convened by a body for a compound or a community."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(MeetingKind, max_length=32)
    status = fields.CharEnumField(MeetingStatus, max_length=20)
    title = fields.CharField(max_length=200)
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Compound", related_name="meetings", null=True
    )
    compound_id: int | None
    community: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Community", related_name="meetings", null=True
    )
    community_id: int | None
    convener: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Body", related_name="convened_meetings")
    convener_id: int
    scheduled_at = fields.DatetimeField()
    location = fields.CharField(max_length=200, default="")
    # The rule pack the meeting's rules were decided under ("national@2026.1").
    rule_pack = fields.CharField(max_length=60)
    notice_issued_at = fields.DatetimeField(null=True)
    opened_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    quorum_met = fields.BooleanField(null=True)
    quorum_present = fields.IntField(null=True)
    quorum_required = fields.IntField(null=True)
    quorum_explanation = fields.TextField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "meeting"
        indexes = (("compound_id", "scheduled_at"), ("community_id", "scheduled_at"), ("convener_id",))


class Participant(Model):
    """A person invited to a meeting, tagged with the party they represent and their role."""

    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField("models.Meeting", related_name="participants")
    meeting_id: int
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="participations")
    person_id: int
    represents = fields.CharEnumField(Party, max_length=24)
    role = fields.CharEnumField(Role, max_length=12)
    attended = fields.BooleanField(default=False)

    class Meta:
        table = "meeting_participant"
        unique_together = (("meeting", "person"),)


class AgendaItem(Model):
    """议题 — voted separately under the decision rule fixed when it was noticed."""

    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField("models.Meeting", related_name="agenda")
    meeting_id: int
    position = fields.IntField()
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    decision_rule = fields.CharEnumField(DecisionRule, max_length=32)
    matter = fields.CharEnumField(JointMatter, max_length=32, null=True)
    # 部分共用部分: owners' voting limited to one building, or one entrance of it.
    scope_building = fields.CharField(max_length=20, null=True)
    scope_entrance = fields.CharField(max_length=20, null=True)
    status = fields.CharEnumField(AgendaStatus, max_length=12)
    result = fields.CharEnumField(ItemResult, max_length=8, null=True)
    voting_opened_at = fields.DatetimeField(null=True)
    voting_closed_at = fields.DatetimeField(null=True)
    # The tally as it stood at closing, kept so that later changes of ownership do not rewrite a decision.
    final_tally = fields.JSONField(null=True)
    created_at = fields.DatetimeField()
    # An assembly by written consultation (书面征求意见): ballots are taken inside this window, and the scheduler
    # closes the vote when it ends.
    voting_opens_at = fields.DatetimeField(null=True)
    voting_closes_at = fields.DatetimeField(null=True)
    # An election (art. 278 items 3-4) marks up to this many candidates, and fills this many seats.
    max_selections = fields.IntField(null=True)
    # SHA-256 of the ballot list published at closing (tracking code, choice); it enters the minutes chain.
    ballot_list_hash = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "agenda_item"
        unique_together = (("meeting", "position"),)


class Ballot(Model):
    """One ballot per seat and item: a committee member, or an owner's seat (区分所有权解释 art. 9)."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation[AgendaItem] = fields.ForeignKeyField("models.AgendaItem", related_name="ballots")
    item_id: int
    voter: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="ballots")
    voter_id: int
    # "p<person id>" for a member, "u<lowest unit id>" for an owners' seat: the unit of one ballot.
    seat_key = fields.CharField(max_length=40)
    choice = fields.CharEnumField(Choice, max_length=8)
    cast_at = fields.DatetimeField()
    entered_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Account", related_name="entered_ballots", null=True
    )
    entered_by_id: int | None
    evidence = fields.TextField(default="")
    proxy: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="proxy_ballots", null=True
    )
    proxy_id: int | None
    proxy_authorisation = fields.TextField(null=True)
    # Random, shown only to the voter; the published list pairs it with the choice, never with the voter.
    tracking_code = fields.CharField(max_length=32, null=True, unique=True)
    # APP (the owner themself), PAPER (entered by staff), PROXY; None for ballots older than the owners' app.
    channel = fields.CharEnumField(BallotChannel, max_length=8, null=True)

    class Meta:
        table = "ballot"
        unique_together = (("item", "seat_key"),)


class BallotCorrection(Model):
    """An explicit, audited correction of a ballot's choice, with its reason."""

    id = fields.IntField(primary_key=True)
    ballot: fields.ForeignKeyRelation[Ballot] = fields.ForeignKeyField("models.Ballot", related_name="corrections")
    ballot_id: int
    old_choice = fields.CharEnumField(Choice, max_length=8)
    new_choice = fields.CharEnumField(Choice, max_length=8)
    reason = fields.TextField()
    corrected_by_id = fields.IntField(null=True)
    corrected_at = fields.DatetimeField()

    class Meta:
        table = "ballot_correction"


class Minutes(Model):
    """会议纪要 — one version, published versions are immutable and chained by hash per compound or community."""

    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField("models.Meeting", related_name="minutes")
    meeting_id: int
    version = fields.IntField()
    status = fields.CharEnumField(MinutesStatus, max_length=12)
    body = fields.TextField()
    recorder: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="recorded_minutes", null=True
    )
    recorder_id: int | None
    supersedes: fields.ForeignKeyNullableRelation["Minutes"] = fields.ForeignKeyField(
        "models.Minutes", related_name="superseded_by", null=True
    )
    supersedes_id: int | None
    drafted_at = fields.DatetimeField()
    published_at = fields.DatetimeField(null=True)
    # "compound:<id>" or "community:<id>"; the position makes a fork of the chain a unique-constraint violation.
    chain_key = fields.CharField(max_length=40, null=True)
    chain_position = fields.IntField(null=True)
    content = fields.JSONField(null=True)
    content_hash = fields.CharField(max_length=64, null=True)
    previous_hash = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "minutes"
        unique_together = (("meeting", "version"), ("chain_key", "chain_position"))


class Signature(Model):
    id = fields.IntField(primary_key=True)
    minutes: fields.ForeignKeyRelation[Minutes] = fields.ForeignKeyField("models.Minutes", related_name="signatures")
    minutes_id: int
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="minutes_signatures")
    person_id: int
    signed_at = fields.DatetimeField()
    entered_by_id = fields.IntField(null=True)

    class Meta:
        table = "minutes_signature"
        unique_together = (("minutes", "person"),)


class FollowUpTask(Model):
    """A task a resolution creates, assigned to a body (or a firm's body), tracked to completion."""

    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField("models.Meeting", related_name="tasks")
    meeting_id: int
    item: fields.ForeignKeyNullableRelation[AgendaItem] = fields.ForeignKeyField(
        "models.AgendaItem", related_name="tasks", null=True
    )
    item_id: int | None
    title = fields.CharField(max_length=200)
    assignee: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Body", related_name="follow_up_tasks")
    assignee_id: int
    due_on = fields.DateField()
    status = fields.CharEnumField(TaskStatus, max_length=12)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "follow_up_task"
        indexes = (("assignee_id", "status"),)
