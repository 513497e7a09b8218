from tortoise import fields
from tortoise.models import Model

from domain.owners.codes import CodePurpose


class OwnerVerification(Model):
    """A sign-up attempt: the digest of the one-time code, and the registry person it matched (None when nobody did —
    such rows exist too, so that a match cannot be told from a miss by what the API answers)."""

    id = fields.IntField(primary_key=True)
    public_id = fields.CharField(max_length=40, unique=True)
    purpose = fields.CharEnumField(CodePurpose, max_length=8)
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="owner_verifications")
    compound_id: int
    person: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="owner_verifications", null=True
    )
    person_id: int | None
    code_hash = fields.CharField(max_length=64)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    wrong_guesses = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "owner_verification"
        indexes = (("person_id", "created_at"),)
