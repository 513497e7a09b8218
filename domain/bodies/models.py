from tortoise import fields
from tortoise.models import Model

from domain.bodies.rules import BodyKind, MembershipRole


class Body(Model):
    """Any organisation a person can hold a post in: 社区党组织, 居委会, 业委会, 物管会, 物业企业, 街道办 ..."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(BodyKind, max_length=32)
    name = fields.CharField(max_length=120)
    street: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Street", related_name="bodies", null=True
    )
    street_id: int | None
    community: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Community", related_name="bodies", null=True
    )
    community_id: int | None
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Compound", related_name="bodies", null=True
    )
    compound_id: int | None
    # The body this one belongs to: a firm's Party organisation belongs to the firm's body.
    parent: fields.ForeignKeyNullableRelation["Body"] = fields.ForeignKeyField(
        "models.Body", related_name="sub_bodies", null=True
    )
    parent_id: int | None
    created_at = fields.DatetimeField()

    class Meta:
        table = "body"
        indexes = (("community_id", "kind"), ("compound_id", "kind"))


class Membership(Model):
    """One post one person holds in one body (任职), with its dates and whether it is paid."""

    id = fields.IntField(primary_key=True)
    body: fields.ForeignKeyRelation[Body] = fields.ForeignKeyField("models.Body", related_name="memberships")
    body_id: int
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="memberships")
    person_id: int
    role = fields.CharEnumField(MembershipRole, max_length=32)
    starts_on = fields.DateField()
    ends_on = fields.DateField(null=True)
    end_reason = fields.CharField(max_length=200, null=True)
    paid = fields.BooleanField(default=False)
    compound: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Compound", related_name="posts", null=True
    )
    compound_id: int | None
    created_at = fields.DatetimeField()

    class Meta:
        table = "membership"
        indexes = (("person_id", "body_id"),)
