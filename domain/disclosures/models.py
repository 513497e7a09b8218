from tortoise import fields
from tortoise.models import Model

from domain.disclosures.rules import DisclosureKind, Publisher


class Disclosure(Model):
    """信息公示 — one published notice on a compound's board, never changed (a correction is a new version)."""

    id = fields.IntField(primary_key=True)
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="disclosures")
    compound_id: int
    kind = fields.CharEnumField(DisclosureKind, max_length=24)
    title = fields.CharField(max_length=200)
    period = fields.CharField(max_length=10)
    period_start = fields.DateField()
    period_end = fields.DateField()
    body = fields.TextField()
    publisher = fields.CharEnumField(Publisher, max_length=12)
    firm_id = fields.IntField(null=True)  # the firm that published, when it did
    published_by: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Account", related_name="disclosures", null=True
    )
    published_by_id: int | None
    published_at = fields.DatetimeField()
    corrects: fields.ForeignKeyNullableRelation["Disclosure"] = fields.ForeignKeyField(
        "models.Disclosure", related_name="corrections", null=True
    )
    corrects_id: int | None
    version = fields.IntField(default=1)
    content_hash = fields.CharField(max_length=64)

    class Meta:
        table = "disclosure"
        # One correction per version (a later one corrects the correction), so the versions form a line.
        unique_together = (("corrects",),)
        indexes = (("compound_id", "published_at"), ("compound_id", "kind", "period"))


class DisclosureMiss(Model):
    """A quarterly statement the serving firm did not post in time: flagged once, optionally a credit event."""

    id = fields.IntField(primary_key=True)
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="disclosure_misses")
    compound_id: int
    firm: fields.ForeignKeyRelation = fields.ForeignKeyField("models.PropertyFirm", related_name="disclosure_misses")
    firm_id: int
    kind = fields.CharEnumField(DisclosureKind, max_length=24)
    period = fields.CharField(max_length=10)
    flagged_at = fields.DatetimeField()
    credit_event_id = fields.IntField(null=True)

    class Meta:
        table = "disclosure_miss"
        unique_together = (("compound", "kind", "period"),)
