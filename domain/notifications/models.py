from tortoise import fields
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

from domain.notifications.rules import NoticeKind


class Notification(Model):
    """站内通知 — one in-app notification to a person (an owner) or to a staff account, read or unread."""

    id = fields.BigIntField(primary_key=True)
    person: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="notifications", null=True
    )
    person_id: int | None
    account: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Account", related_name="notifications", null=True
    )
    account_id: int | None
    kind = fields.CharEnumField(NoticeKind, max_length=24)
    title = fields.CharField(max_length=200)
    body = fields.TextField()
    # What it is about, as a node: ("Meeting", 12), ("Complaint", 7) ...
    link_type = fields.CharField(max_length=40, null=True)
    link_id = fields.IntField(null=True)
    # One notification per cause and recipient, whoever runs the cause twice (a scheduler rerun).
    idempotency_key = fields.CharField(max_length=200, unique=True)
    created_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification"
        indexes = (("person_id", "id"), ("account_id", "id"))
        constraints = (
            CheckConstraint("person_id IS NOT NULL OR account_id IS NOT NULL", name="notification_has_recipient"),
        )
