from tortoise import fields
from tortoise.models import Model

from domain.geography.rules import AreaSource, ManagementMode, UnitKind


class Street(Model):
    """街道 — a street (sub-district), selects the rule pack its compounds follow."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    rule_pack = fields.CharField(max_length=40)
    created_at = fields.DatetimeField()

    class Meta:
        table = "street"


class Community(Model):
    """社区."""

    id = fields.IntField(primary_key=True)
    street: fields.ForeignKeyRelation[Street] = fields.ForeignKeyField("models.Street", related_name="communities")
    street_id: int
    name = fields.CharField(max_length=100)
    created_at = fields.DatetimeField()

    class Meta:
        table = "community"
        unique_together = (("street", "name"),)


class Compound(Model):
    """小区 — one management area (物业管理条例 art. 9)."""

    id = fields.IntField(primary_key=True)
    community: fields.ForeignKeyRelation[Community] = fields.ForeignKeyField(
        "models.Community", related_name="compounds"
    )
    community_id: int
    # Denormalised from the community (communities never move between streets) so that street filters need no join.
    street: fields.ForeignKeyRelation[Street] = fields.ForeignKeyField("models.Street", related_name="compounds")
    street_id: int
    name = fields.CharField(max_length=100)
    address = fields.CharField(max_length=200, default="")
    management_mode = fields.CharEnumField(ManagementMode, max_length=24)
    is_old_compound = fields.BooleanField(default=False)
    is_standardised = fields.BooleanField(default=False)
    is_red_property = fields.BooleanField(default=False)
    # 合零为整: a compound consolidated into another keeps its row and points at the management area it joined.
    merged_into: fields.ForeignKeyNullableRelation["Compound"] = fields.ForeignKeyField(
        "models.Compound", related_name="merged_from", null=True
    )
    merged_into_id: int | None
    merged_on = fields.DateField(null=True)
    # Kept by registerUnits in the same transaction, so that list screens need no aggregate per row.
    # 区分所有权解释 art. 9: the developer (an organisation, a Body) owns the units it still holds
    # (Unit.held_by_developer) and votes for them as one seat through its representative (a Person). Plain ids:
    # a foreign key to Body would close a cycle (Body.compound -> Compound) that schema generation refuses.
    developer_id = fields.IntField(null=True)
    developer_representative_id = fields.IntField(null=True)
    household_count = fields.IntField(default=0)
    total_exclusive_area = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "compound"
        unique_together = (("community", "name"),)
        indexes = (("street_id", "management_mode"),)


class Person(Model):
    """A natural person: owner, committee member, staff. Phone and ID number are personal data."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=60)
    phone = fields.CharField(max_length=20)
    id_number = fields.CharField(max_length=18, null=True, unique=True)
    is_party_member = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()
    # The territory whose staff registered the person (PIPL art. 28: they collected the data): their staff keep
    # reading it before the person owns, holds a post or complains anywhere. NULL: registered by the centre.
    registered_street_id = fields.IntField(null=True)
    registered_community_id = fields.IntField(null=True)

    class Meta:
        table = "person"


class Unit(Model):
    """专有部分 — an exclusive unit with its recorded area (区分所有权解释 art. 8)."""

    id = fields.IntField(primary_key=True)
    compound: fields.ForeignKeyRelation[Compound] = fields.ForeignKeyField("models.Compound", related_name="units")
    compound_id: int
    building = fields.CharField(max_length=20)
    entrance = fields.CharField(max_length=20, default="")
    number = fields.CharField(max_length=20)
    kind = fields.CharEnumField(UnitKind, max_length=12)
    area = fields.DecimalField(max_digits=10, decimal_places=2)
    area_source = fields.CharEnumField(AreaSource, max_length=12)
    held_by_developer = fields.BooleanField(default=False)
    created_at = fields.DatetimeField()

    class Meta:
        table = "unit"
        unique_together = (("compound", "building", "entrance", "number"),)


class Ownership(Model):
    """业主 — a person registered as (co-)owner of a unit."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField("models.Unit", related_name="ownerships")
    unit_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField("models.Person", related_name="ownerships")
    person_id: int
    since = fields.DateField(null=True)

    class Meta:
        table = "ownership"
        unique_together = (("unit", "person"),)
