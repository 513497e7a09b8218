from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from domain.evaluation.scoring import CreditEventKind, Listing


class EvaluationStatus(StrEnum):
    DRAFT = "DRAFT"  # may be re-run
    PUBLISHED = "PUBLISHED"  # frozen by its publication


class Inspection(Model):
    """日常检查 — a centre or street inspection of a firm at a compound, with itemised deductions."""

    id = fields.IntField(primary_key=True)
    firm: fields.ForeignKeyRelation = fields.ForeignKeyField("models.PropertyFirm", related_name="inspections")
    firm_id: int
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="inspections")
    compound_id: int
    inspected_on = fields.DateField()
    total_deduction = fields.DecimalField(max_digits=8, decimal_places=2)
    rectify_by = fields.DateField(null=True)
    rectified_on = fields.DateField(null=True)
    recorded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "inspection"
        indexes = (("firm_id", "inspected_on"),)


class InspectionFinding(Model):
    """One item of an inspection (检查项) and what it cost the firm."""

    id = fields.IntField(primary_key=True)
    inspection: fields.ForeignKeyRelation[Inspection] = fields.ForeignKeyField(
        "models.Inspection", related_name="findings"
    )
    inspection_id: int
    position = fields.IntField()
    item = fields.CharField(max_length=200)
    deduction = fields.DecimalField(max_digits=6, decimal_places=2)
    note = fields.TextField(default="")

    class Meta:
        table = "inspection_finding"
        unique_together = (("inspection", "position"),)


class CreditEvent(Model):
    """良好 / 不良 / 严重失信信息 — a credit record of a firm, counted while valid."""

    id = fields.IntField(primary_key=True)
    firm: fields.ForeignKeyRelation = fields.ForeignKeyField("models.PropertyFirm", related_name="credit_events")
    firm_id: int
    kind = fields.CharEnumField(CreditEventKind, max_length=8)
    points = fields.DecimalField(max_digits=6, decimal_places=2)
    reason = fields.CharField(max_length=500)
    occurred_on = fields.DateField()
    valid_until = fields.DateField()
    recorded_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "credit_event"
        indexes = (("firm_id", "valid_until"),)


class Evaluation(Model):
    """信用评价 — the firms serving a street's compounds, scored for one period under the street's scheme."""

    id = fields.IntField(primary_key=True)
    street: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Street", related_name="evaluations")
    street_id: int
    period = fields.CharField(max_length=7)
    scheme = fields.CharField(max_length=60)  # rule pack reference, e.g. national@2026.1
    status = fields.CharEnumField(EvaluationStatus, max_length=10)
    run_at = fields.DatetimeField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "evaluation"
        unique_together = (("street", "period"),)


class EvaluationResult(Model):
    """One firm's result: score, components, grade, listing, and the records that produced them."""

    id = fields.IntField(primary_key=True)
    evaluation: fields.ForeignKeyRelation[Evaluation] = fields.ForeignKeyField(
        "models.Evaluation", related_name="results"
    )
    evaluation_id: int
    firm: fields.ForeignKeyRelation = fields.ForeignKeyField("models.PropertyFirm", related_name="evaluation_results")
    firm_id: int
    score = fields.DecimalField(max_digits=8, decimal_places=2)
    basic = fields.DecimalField(max_digits=8, decimal_places=2)
    good = fields.DecimalField(max_digits=8, decimal_places=2)
    bad = fields.DecimalField(max_digits=8, decimal_places=2)
    inspection_deductions = fields.DecimalField(max_digits=8, decimal_places=2)
    event_deductions = fields.DecimalField(max_digits=8, decimal_places=2)
    return_visit_deductions = fields.DecimalField(max_digits=8, decimal_places=2)
    on_time_rate = fields.DecimalField(max_digits=6, decimal_places=4)
    has_party_organisation = fields.BooleanField()
    orders_dispatched = fields.IntField()
    orders_resolved_on_time = fields.IntField()
    unsatisfied_return_visits = fields.IntField()
    households = fields.IntField()
    grade = fields.CharField(max_length=8)
    listing = fields.CharEnumField(Listing, max_length=8)
    reasons = fields.JSONField(default=list)
    # Evidence: ids of the inspections and credit events counted (neither is ever deleted).
    inspection_ids = fields.JSONField(default=list)
    credit_event_ids = fields.JSONField(default=list)

    class Meta:
        table = "evaluation_result"
        unique_together = (("evaluation", "firm"),)


class Publication(Model):
    """公示 — a frozen evaluation, its content hash covers its entries and its predecessor's hash in the street."""

    id = fields.IntField(primary_key=True)
    evaluation: fields.OneToOneRelation[Evaluation] = fields.OneToOneField(
        "models.Evaluation", related_name="publication"
    )
    evaluation_id: int
    street: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Street", related_name="publications")
    street_id: int
    period = fields.CharField(max_length=7)
    scheme = fields.CharField(max_length=60)
    # Position in the street's chain: unique, so two concurrent publications cannot fork it.
    sequence = fields.IntField()
    published_at = fields.DatetimeField()
    published_by_id = fields.IntField(null=True)
    content_hash = fields.CharField(max_length=64, unique=True)
    previous_hash = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "publication"
        unique_together = (("street", "period"), ("street", "sequence"))


class PublicationEntry(Model):
    """A published line: copied from the result at publication, covered by the publication's hash."""

    id = fields.IntField(primary_key=True)
    publication: fields.ForeignKeyRelation[Publication] = fields.ForeignKeyField(
        "models.Publication", related_name="entries"
    )
    publication_id: int
    firm: fields.ForeignKeyRelation = fields.ForeignKeyField("models.PropertyFirm", related_name="publication_entries")
    firm_id: int
    credit_code = fields.CharField(max_length=18)
    name = fields.CharField(max_length=120)
    score = fields.DecimalField(max_digits=8, decimal_places=2)
    grade = fields.CharField(max_length=8)
    listing = fields.CharEnumField(Listing, max_length=8)
    reasons = fields.JSONField(default=list)

    class Meta:
        table = "publication_entry"
        unique_together = (("publication", "firm"),)
        indexes = (("firm_id", "listing"),)
