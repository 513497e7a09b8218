from tortoise import fields
from tortoise.models import Model

from domain.attachments.rules import OwnerKind


class Attachment(Model):
    """附件 — one stored file, its SHA-256 and (once attached) the record it belongs to, whose read policy it follows."""

    id = fields.IntField(primary_key=True)
    owner_kind = fields.CharEnumField(OwnerKind, max_length=12, null=True)
    owner_id = fields.IntField(null=True)
    name = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=60)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    storage_key = fields.CharField(max_length=200, unique=True)
    thumbnail_key = fields.CharField(max_length=200, null=True)
    width = fields.IntField(null=True)
    height = fields.IntField(null=True)
    uploaded_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Account", related_name="attachments", null=True
    )
    uploaded_by_id: int | None
    created_at = fields.DatetimeField()
    attached_at = fields.DatetimeField(null=True)

    class Meta:
        table = "attachment"
        indexes = (("owner_kind", "owner_id"), ("uploaded_by_id", "created_at"))
