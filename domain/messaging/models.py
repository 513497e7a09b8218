from tortoise import fields
from tortoise.models import Model

from domain.messaging.rules import Channel, OutboxStatus


class OutboxMessage(Model):
    """One message to one recipient through one channel, written in the causing use case's transaction."""

    id = fields.BigIntField(primary_key=True)
    channel = fields.CharEnumField(Channel, max_length=8)
    # A phone number (SMS), a WeChat openid, a person's global ID (IN_APP), anything for DEV.
    recipient = fields.CharField(max_length=120)
    kind = fields.CharField(max_length=40)
    title = fields.CharField(max_length=200, default="")
    body = fields.TextField()
    status = fields.CharEnumField(OutboxStatus, max_length=8, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    # The same key is sent to the gateway, so a resend after a crash is dropped there (exactly-once effect).
    idempotency_key = fields.CharField(max_length=200, unique=True)
    person: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="outbox_messages", null=True
    )
    person_id: int | None
    # Notices the law requires (meeting notices) ignore quiet hours and opt-outs.
    statutory = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    delivered_at = fields.DatetimeField(null=True)
    last_error = fields.TextField(null=True)
    # A dispatcher owns a row while claimed_until is in the future; a crashed one's claims simply expire.
    claimed_by = fields.CharField(max_length=60, null=True)
    claimed_until = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        indexes = (("status", "next_attempt_at"), ("recipient", "id"), ("person_id", "id"))


class MessagingOptOut(Model):
    """A person's refusal of non-statutory messages on one channel (statutory notices still go)."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="messaging_opt_outs")
    person_id: int
    channel = fields.CharEnumField(Channel, max_length=8)
    created_at = fields.DatetimeField()

    class Meta:
        table = "messaging_opt_out"
        unique_together = (("person", "channel"),)
