from tortoise import fields
from tortoise.models import Model

from domain.firms.rules import PartyOrganisation


class PropertyFirm(Model):
    """物业服务企业. Its identity as a body (handler of orders, employer of posts) is `body`."""

    id = fields.IntField(primary_key=True)
    body: fields.OneToOneRelation = fields.OneToOneField("models.Body", related_name="firm_profile")
    body_id: int
    name = fields.CharField(max_length=120)
    credit_code = fields.CharField(max_length=18, unique=True)
    party_organisation = fields.CharEnumField(PartyOrganisation, max_length=16)
    party_building_instructor = fields.CharField(max_length=60, null=True)
    staff_count = fields.IntField(default=0)
    party_member_staff_count = fields.IntField(default=0)
    created_at = fields.DatetimeField()

    class Meta:
        table = "property_firm"


class ServiceContract(Model):
    """物业服务合同 — one firm, one or more compounds (打包), a period and a fee."""

    id = fields.IntField(primary_key=True)
    firm: fields.ForeignKeyRelation[PropertyFirm] = fields.ForeignKeyField(
        "models.PropertyFirm", related_name="contracts"
    )
    firm_id: int
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    terminated_on = fields.DateField(null=True)
    fee_per_square_metre = fields.DecimalField(max_digits=8, decimal_places=2)
    created_at = fields.DatetimeField()

    class Meta:
        table = "service_contract"


class ContractCompound(Model):
    """A compound covered by a contract, the period is copied here so overlap checks need one indexed query."""

    id = fields.IntField(primary_key=True)
    contract: fields.ForeignKeyRelation[ServiceContract] = fields.ForeignKeyField(
        "models.ServiceContract", related_name="coverage"
    )
    contract_id: int
    compound: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Compound", related_name="contract_coverage")
    compound_id: int
    firm_id_copy = fields.IntField()
    starts_on = fields.DateField()
    ends_on = fields.DateField()

    class Meta:
        table = "contract_compound"
        unique_together = (("contract", "compound"),)
        indexes = (("compound_id", "starts_on", "ends_on"),)
