from tortoise import fields
from tortoise.models import Model


class AuditEvent(Model):
    """One mutation, written in the same transaction, never updated or deleted. Each row hashes its predecessor."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    actor_id = fields.IntField(null=True)
    actor_username = fields.CharField(max_length=60, null=True)
    action = fields.CharField(max_length=60)
    entity_type = fields.CharField(max_length=40)
    entity_id = fields.CharField(max_length=40)
    summary = fields.TextField()
    previous_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "audit_event"
        indexes = (("entity_type", "entity_id"),)


class AuditChainHead(Model):
    """The single row that serialises appends to the chain (locked FOR UPDATE on PostgreSQL)."""

    id = fields.IntField(primary_key=True)
    last_hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_chain_head"
