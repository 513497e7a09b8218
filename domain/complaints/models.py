from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from domain.complaints.rules import Action, Channel, Kind, Satisfaction, Status, Urgency


class Complaint(Model):
    """诉求工单 — one order of the complaint loop (接诉即办), from intake to closure (销号)."""

    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=20, unique=True)
    year = fields.IntField()
    sequence = fields.IntField()
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="complaints")
    compound_id: int
    # Copied from the compound (compounds never move) so that jurisdiction filters need no join.
    community: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Community", related_name="complaints")
    community_id: int
    street: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Street", related_name="complaints")
    street_id: int
    channel = fields.CharEnumField(Channel, max_length=24)
    kind = fields.CharEnumField(Kind, max_length=16)
    category = fields.CharField(max_length=60)
    urgency = fields.CharEnumField(Urgency, max_length=16)
    title = fields.CharField(max_length=200)
    description = fields.TextField()
    complainant_name = fields.CharField(max_length=60)
    complainant_phone = fields.CharField(max_length=20, null=True)
    complainant_person: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="complaints", null=True
    )
    complainant_person_id: int | None
    external_ref = fields.CharField(max_length=60, null=True)
    received_at = fields.DatetimeField()
    filed_at = fields.DatetimeField()
    status = fields.CharEnumField(Status, max_length=16)
    # Every write is `UPDATE ... WHERE id = :id AND status = :expected AND version = :read`.
    version = fields.IntField(default=0)
    handler: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Body", related_name="complaints_handled", null=True
    )
    handler_id: int | None
    # 首接负责: the first unit the order was dispatched to stays accountable for it, whoever handles it later.
    accountable: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Body", related_name="complaints_accountable", null=True
    )
    accountable_id: int | None
    rule_pack = fields.CharField(max_length=60, null=True)
    due_at = fields.DatetimeField(null=True)
    # due_at counted Monday–Friday across a year whose statutory holidays are not loaded (domain.workdays)
    due_provisional = fields.BooleanField(default=False, db_default=False)
    dispatched_at = fields.DatetimeField(null=True)
    acknowledged_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    resolution = fields.TextField(null=True)
    reject_reason = fields.TextField(null=True)
    redirect_to = fields.CharField(max_length=200, null=True)
    reopen_count = fields.IntField(default=0)
    escalation_level = fields.IntField(default=0)
    escalated_at = fields.DatetimeField(null=True)
    unreached_attempts = fields.IntField(default=0)
    merged_into: fields.ForeignKeyNullableRelation["Complaint"] = fields.ForeignKeyField(
        "models.Complaint", related_name="duplicates", null=True
    )
    merged_into_id: int | None

    class Meta:
        table = "complaint"
        unique_together = (("year", "sequence"),)
        indexes = (
            ("street_id", "status"),
            ("community_id", "status"),
            ("compound_id", "status", "category"),
            ("accountable_id", "status"),
            ("handler_id", "status"),
            ("status", "due_at"),
            ("received_at",),
        )
        # Enforced by the migrations (generate_schemas in tests leaves them out); the rules check the same.
        constraints = (
            CheckConstraint("reopen_count >= 0 AND escalation_level >= 0 AND unreached_attempts >= 0",
                            name="complaint_counts_non_negative"),
            CheckConstraint("received_at <= filed_at", name="complaint_received_before_filed"),
            CheckConstraint(
                "status NOT IN ('DISPATCHED', 'IN_PROGRESS', 'RESOLVED', 'RETURN_VISITED') "
                "OR (handler_id IS NOT NULL AND accountable_id IS NOT NULL AND due_at IS NOT NULL)",
                name="complaint_handled_has_handler",
            ),
            CheckConstraint("status <> 'REJECTED' OR reject_reason IS NOT NULL", name="complaint_rejected_has_reason"),
        )


class ComplaintEvent(Model):
    """One step on an order's timeline: append-only, never updated or deleted."""

    id = fields.BigIntField(primary_key=True)
    complaint: fields.ForeignKeyRelation[Complaint] = fields.ForeignKeyField(
        "models.Complaint", related_name="events"
    )
    complaint_id: int
    at = fields.DatetimeField()
    action = fields.CharEnumField(Action, max_length=24)
    from_status = fields.CharEnumField(Status, max_length=16, null=True)
    to_status = fields.CharEnumField(Status, max_length=16)
    note = fields.TextField(default="")
    actor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Account", related_name="complaint_events", null=True
    )
    actor_id: int | None
    actor_username = fields.CharField(max_length=60, null=True)
    # The handler and deadline after the step, and the pack that decided it (rule decisions name their pack).
    handler_id = fields.IntField(null=True)
    due_at = fields.DatetimeField(null=True)
    rule_pack = fields.CharField(max_length=60, null=True)
    related_complaint_id = fields.IntField(null=True)

    class Meta:
        table = "complaint_event"
        indexes = (("complaint_id", "id"), ("action", "at"))


class ComplaintCounter(Model):
    """The last order number handed out per year, the row lock serialises concurrent intake."""

    year = fields.IntField(primary_key=True)
    last_sequence = fields.IntField()

    class Meta:
        table = "complaint_counter"


class ReturnVisitRecord(Model):
    """回访 — one attempt to reach the complainant after resolution, with what they said."""

    id = fields.IntField(primary_key=True)
    complaint: fields.ForeignKeyRelation[Complaint] = fields.ForeignKeyField(
        "models.Complaint", related_name="return_visits"
    )
    complaint_id: int
    at = fields.DatetimeField()
    reached = fields.BooleanField()
    solved = fields.BooleanField(null=True)
    satisfaction = fields.CharEnumField(Satisfaction, max_length=20, null=True)
    note = fields.TextField(default="")
    actor: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Account", related_name="return_visits", null=True
    )
    actor_id: int | None
    # 回访 by the complainant themself (rateMyComplaint) rather than by staff; counted alike.
    by_complainant = fields.BooleanField(default=False, db_default=False)

    class Meta:
        table = "complaint_return_visit"
        indexes = (("complaint_id", "at"), ("at",))
        constraints = (
            CheckConstraint("reached OR (solved IS NULL AND satisfaction IS NULL)", name="return_visit_unreached_blank"),
        )
