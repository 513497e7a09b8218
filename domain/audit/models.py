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
    # Which server key signed `hash` ("" for rows written before keys existed) and the digest of the changed
    # record's content where the use case supplies one (a ballot's seat, choice and corrections).
    key_id = fields.CharField(max_length=20, default="", db_default="")
    content_hash = fields.CharField(max_length=64, default="", db_default="")

    class Meta:
        table = "audit_event"
        indexes = (("entity_type", "entity_id"),)


class AuditChainHead(Model):
    """The single row that serialises appends to the chain (locked FOR UPDATE on PostgreSQL)."""

    id = fields.IntField(primary_key=True)
    last_hash = fields.CharField(max_length=64)
    # The number of events and a MAC over (count, last_hash): a truncated chain cannot be given a matching head.
    count = fields.BigIntField(default=0, db_default=0)
    key_id = fields.CharField(max_length=20, default="", db_default="")
    mac = fields.CharField(max_length=64, default="", db_default="")

    class Meta:
        table = "audit_chain_head"
