from tortoise import fields
from tortoise.models import Model

from domain.committees.values import Basis, CommitteeKind, ListKind, NegativeReason, RelationKind, SeatEndReason, Status


class OwnersBody(Model):
    """业委会 / 物管会 — one term of a compound's owners' body, its seats are Memberships of `body`."""

    id = fields.IntField(primary_key=True)
    body: fields.OneToOneRelation = fields.OneToOneField("models.Body", related_name="owners_body")
    body_id: int
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="owners_bodies")
    compound_id: int
    kind = fields.CharEnumField(CommitteeKind, max_length=32)
    status = fields.CharEnumField(Status, max_length=16)
    elected_on = fields.DateField()
    term_ends_on = fields.DateField()
    seat_count = fields.IntField()
    filed_on = fields.DateField(null=True)
    first_meeting_on = fields.DateField(null=True)
    ended_on = fields.DateField(null=True)
    end_note = fields.CharField(max_length=200, null=True)
    # The deliberation meeting (业主大会) that elected it; a plain id so that the areas stay independent.
    election_meeting_id = fields.IntField(null=True)
    rule_pack = fields.CharField(max_length=60)
    # Equals compound_id while the body is in office and NULL afterwards: the unique index keeps one body in office
    # per compound on SQLite and PostgreSQL alike (NULLs never collide).
    live_compound_id = fields.IntField(null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "owners_body"
        indexes = (("compound_id", "elected_on"), ("status", "term_ends_on"))


class SeatChange(Model):
    """A change of members (换届、辞职、罢免、丧失业主身份): who, when, why — the committee's member history."""

    id = fields.IntField(primary_key=True)
    owners_body: fields.ForeignKeyRelation[OwnersBody] = fields.ForeignKeyField(
        "models.OwnersBody", related_name="seat_changes"
    )
    owners_body_id: int
    membership: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Membership", related_name="seat_changes")
    membership_id: int
    reason = fields.CharEnumField(SeatEndReason, max_length=24)
    effective_on = fields.DateField()
    note = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "seat_change"
        unique_together = (("membership", "reason"),)


class DeclaredRelation(Model):
    """A relative a person declared (配偶、直系亲属), checked for conflicts of interest (京条例 art. 39)."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="declared_relations")
    person_id: int
    relative: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="declared_by")
    relative_id: int
    kind = fields.CharEnumField(RelationKind, max_length=16)
    declared_on = fields.DateField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "declared_relation"
        unique_together = (("person", "relative"),)


class ReserveListing(Model):
    """后备人员 — a person on a compound's positive or negative list, a negative listing binds until cleared."""

    id = fields.IntField(primary_key=True)
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="reserve_listings")
    compound_id: int
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="reserve_listings")
    person_id: int
    kind = fields.CharEnumField(ListKind, max_length=12)
    reason = fields.CharEnumField(NegativeReason, max_length=24, null=True)
    note = fields.CharField(max_length=200, default="")
    listed_on = fields.DateField()
    cleared_on = fields.DateField(null=True)
    # "compound:person:kind" while the listing is open and NULL once cleared: one open listing per person and list.
    open_key = fields.CharField(max_length=60, null=True, unique=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "reserve_listing"
        indexes = (("compound_id", "person_id"),)


class CrossAppointment(Model):
    """双向进入、交叉任职 — two posts of one person, the basis of the second and the decision that made it."""

    id = fields.IntField(primary_key=True)
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="cross_appointments")
    person_id: int
    home_membership: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Membership", related_name="cross_appointments_home"
    )
    home_membership_id: int
    concurrent_membership: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Membership", related_name="cross_appointments_concurrent"
    )
    concurrent_membership_id: int
    basis = fields.CharEnumField(Basis, max_length=32)
    decision_ref = fields.CharField(max_length=200)
    # Denormalised from the memberships so that scope filters and counts need no join.
    compound_id = fields.IntField(null=True)
    community_id = fields.IntField(null=True)
    street_id = fields.IntField(null=True)
    recorded_on = fields.DateField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "cross_appointment"
        unique_together = (("home_membership", "concurrent_membership"),)
        indexes = (("street_id",), ("compound_id",))
