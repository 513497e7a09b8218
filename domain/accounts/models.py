from tortoise import fields
from tortoise.models import Model


class Account(Model):
    """A login. `roles` is a comma-separated set of Role values, scope anchors say where the account acts."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=60, unique=True)
    password_hash = fields.CharField(max_length=200)
    roles = fields.CharField(max_length=200)
    street: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Street", related_name="accounts", null=True
    )
    street_id: int | None
    community: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Community", related_name="accounts", null=True
    )
    community_id: int | None
    firm: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.PropertyFirm", related_name="accounts", null=True
    )
    firm_id: int | None
    person: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="accounts", null=True
    )
    person_id: int | None
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "account"


class AccessToken(Model):
    """A bearer token, stored only as its SHA-256 digest, with an expiry."""

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[Account] = fields.ForeignKeyField("models.Account", related_name="tokens")
    account_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "access_token"
