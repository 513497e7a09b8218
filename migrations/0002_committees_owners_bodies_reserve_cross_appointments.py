from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.committees.values import Basis, CommitteeKind, ListKind, NegativeReason, RelationKind, SeatEndReason, Status
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_foundation_structure_accounts_audit')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CrossAppointment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='cross_appointments', on_delete=OnDelete.CASCADE)),
                ('home_membership', fields.ForeignKeyField('models.Membership', source_field='home_membership_id', db_constraint=True, to_field='id', related_name='cross_appointments_home', on_delete=OnDelete.CASCADE)),
                ('concurrent_membership', fields.ForeignKeyField('models.Membership', source_field='concurrent_membership_id', db_constraint=True, to_field='id', related_name='cross_appointments_concurrent', on_delete=OnDelete.CASCADE)),
                ('basis', fields.CharEnumField(description='ELECTED_BY_OWNERS_ASSEMBLY: ELECTED_BY_OWNERS_ASSEMBLY\nAPPOINTED: APPOINTED\nEX_OFFICIO: EX_OFFICIO\nRECOMMENDED: RECOMMENDED', enum_type=Basis, max_length=32)),
                ('decision_ref', fields.CharField(max_length=200)),
                ('compound_id', fields.IntField(null=True)),
                ('community_id', fields.IntField(null=True)),
                ('street_id', fields.IntField(null=True)),
                ('recorded_on', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'cross_appointment', 'app': 'models', 'unique_together': (('home_membership', 'concurrent_membership'),), 'indexes': [Index(fields=['street_id']), Index(fields=['compound_id'])], 'pk_attr': 'id', 'table_description': '双向进入、交叉任职 — two posts of one person, the basis of the second and the decision that made it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DeclaredRelation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='declared_relations', on_delete=OnDelete.CASCADE)),
                ('relative', fields.ForeignKeyField('models.Person', source_field='relative_id', db_constraint=True, to_field='id', related_name='declared_by', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='SPOUSE: SPOUSE\nPARENT: PARENT\nCHILD: CHILD\nGRANDPARENT: GRANDPARENT\nGRANDCHILD: GRANDCHILD', enum_type=RelationKind, max_length=16)),
                ('declared_on', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'declared_relation', 'app': 'models', 'unique_together': (('person', 'relative'),), 'pk_attr': 'id', 'table_description': 'A relative a person declared (配偶、直系亲属), checked for conflicts of interest (京条例 art. 39).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OwnersBody',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('body', fields.OneToOneField('models.Body', source_field='body_id', db_constraint=True, to_field='id', related_name='owners_body', on_delete=OnDelete.CASCADE)),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name='owners_bodies', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='OWNERS_COMMITTEE: OWNERS_COMMITTEE\nPROPERTY_MANAGEMENT_COMMITTEE: PROPERTY_MANAGEMENT_COMMITTEE', enum_type=CommitteeKind, max_length=32)),
                ('status', fields.CharEnumField(description='PREPARING: PREPARING\nACTIVE: ACTIVE\nEXPIRED: EXPIRED\nDISSOLVED: DISSOLVED', enum_type=Status, max_length=16)),
                ('elected_on', fields.DateField()),
                ('term_ends_on', fields.DateField()),
                ('seat_count', fields.IntField()),
                ('filed_on', fields.DateField(null=True)),
                ('first_meeting_on', fields.DateField(null=True)),
                ('ended_on', fields.DateField(null=True)),
                ('end_note', fields.CharField(null=True, max_length=200)),
                ('election_meeting_id', fields.IntField(null=True)),
                ('rule_pack', fields.CharField(max_length=60)),
                ('live_compound_id', fields.IntField(null=True, unique=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'owners_body', 'app': 'models', 'indexes': [Index(fields=['compound_id', 'elected_on']), Index(fields=['status', 'term_ends_on'])], 'pk_attr': 'id', 'table_description': "业委会 / 物管会 — one term of a compound's owners' body, its seats are Memberships of `body`."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReserveListing',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name='reserve_listings', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='reserve_listings', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='POSITIVE: POSITIVE\nNEGATIVE: NEGATIVE', enum_type=ListKind, max_length=12)),
                ('reason', fields.CharEnumField(null=True, description='FEE_ARREARS: FEE_ARREARS\nILLEGAL_CONSTRUCTION: ILLEGAL_CONSTRUCTION\nFIRM_INTEREST: FIRM_INTEREST\nCRIMINAL_RECORD: CRIMINAL_RECORD\nOTHER: OTHER', enum_type=NegativeReason, max_length=24)),
                ('note', fields.CharField(default='', max_length=200)),
                ('listed_on', fields.DateField()),
                ('cleared_on', fields.DateField(null=True)),
                ('open_key', fields.CharField(null=True, unique=True, max_length=60)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'reserve_listing', 'app': 'models', 'indexes': [Index(fields=['compound_id', 'person_id'])], 'pk_attr': 'id', 'table_description': "后备人员 — a person on a compound's positive or negative list, a negative listing binds until cleared."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SeatChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owners_body', fields.ForeignKeyField('models.OwnersBody', source_field='owners_body_id', db_constraint=True, to_field='id', related_name='seat_changes', on_delete=OnDelete.CASCADE)),
                ('membership', fields.ForeignKeyField('models.Membership', source_field='membership_id', db_constraint=True, to_field='id', related_name='seat_changes', on_delete=OnDelete.CASCADE)),
                ('reason', fields.CharEnumField(description='RESIGNED: RESIGNED\nREMOVED: REMOVED\nCEASED_TO_BE_OWNER: CEASED_TO_BE_OWNER\nTERM_ENDED: TERM_ENDED\nDISSOLVED: DISSOLVED', enum_type=SeatEndReason, max_length=24)),
                ('effective_on', fields.DateField()),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'seat_change', 'app': 'models', 'unique_together': (('membership', 'reason'),), 'pk_attr': 'id', 'table_description': "A change of members (换届、辞职、罢免、丧失业主身份): who, when, why — the committee's member history."},
            bases=['Model'],
        ),
    ]
