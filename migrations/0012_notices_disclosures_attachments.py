from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.attachments.rules import OwnerKind
from domain.disclosures.rules import DisclosureKind, Publisher
from domain.notifications.rules import NoticeKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint

class Migration(migrations.Migration):
    dependencies = [('models', '0011_owners_ballots_roll_running_tally_elections_verification')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Attachment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner_kind', fields.CharEnumField(null=True, description='DISCLOSURE: DISCLOSURE\nCOMPLAINT: COMPLAINT\nBALLOT: BALLOT\nMINUTES: MINUTES\nINSPECTION: INSPECTION', enum_type=OwnerKind, max_length=12)),
                ('owner_id', fields.IntField(null=True)),
                ('name', fields.CharField(max_length=200)),
                ('content_type', fields.CharField(max_length=60)),
                ('size', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('storage_key', fields.CharField(unique=True, max_length=200)),
                ('thumbnail_key', fields.CharField(null=True, max_length=200)),
                ('width', fields.IntField(null=True)),
                ('height', fields.IntField(null=True)),
                ('uploaded_by', fields.ForeignKeyField('models.Account', source_field='uploaded_by_id', null=True, db_constraint=True, to_field='id', related_name='attachments', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attached_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'attachment', 'app': 'models', 'indexes': [Index(fields=['owner_kind', 'owner_id']), Index(fields=['uploaded_by_id', 'created_at'])], 'pk_attr': 'id', 'table_description': '附件 — one stored file, its SHA-256 and (once attached) the record it belongs to, whose read policy it follows.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Disclosure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name='disclosures', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='FEE_STANDARDS: FEE_STANDARDS\nSERVICE_CONTRACT: SERVICE_CONTRACT\nMAINTENANCE_FUND: MAINTENANCE_FUND\nCOMMON_INCOME: COMMON_INCOME\nCOMMITTEE_DECISIONS: COMMITTEE_DECISIONS\nCREDIT_STANDING: CREDIT_STANDING\nPEOPLE_IN_CHARGE: PEOPLE_IN_CHARGE', enum_type=DisclosureKind, max_length=24)),
                ('title', fields.CharField(max_length=200)),
                ('period', fields.CharField(max_length=10)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('body', fields.TextField(unique=False)),
                ('publisher', fields.CharEnumField(description='FIRM: FIRM\nCOMMITTEE: COMMITTEE\nSTAFF: STAFF', enum_type=Publisher, max_length=12)),
                ('firm_id', fields.IntField(null=True)),
                ('published_by', fields.ForeignKeyField('models.Account', source_field='published_by_id', null=True, db_constraint=True, to_field='id', related_name='disclosures', on_delete=OnDelete.CASCADE)),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('corrects', fields.ForeignKeyField('models.Disclosure', source_field='corrects_id', null=True, db_constraint=True, to_field='id', related_name='corrections', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField(default=1)),
                ('content_hash', fields.CharField(max_length=64)),
            ],
            options={'table': 'disclosure', 'app': 'models', 'unique_together': (('corrects',),), 'indexes': [Index(fields=['compound_id', 'published_at']), Index(fields=['compound_id', 'kind', 'period'])], 'pk_attr': 'id', 'table_description': "信息公示 — one published notice on a compound's board, never changed (a correction is a new version)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DisclosureMiss',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name='disclosure_misses', on_delete=OnDelete.CASCADE)),
                ('firm', fields.ForeignKeyField('models.PropertyFirm', source_field='firm_id', db_constraint=True, to_field='id', related_name='disclosure_misses', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='FEE_STANDARDS: FEE_STANDARDS\nSERVICE_CONTRACT: SERVICE_CONTRACT\nMAINTENANCE_FUND: MAINTENANCE_FUND\nCOMMON_INCOME: COMMON_INCOME\nCOMMITTEE_DECISIONS: COMMITTEE_DECISIONS\nCREDIT_STANDING: CREDIT_STANDING\nPEOPLE_IN_CHARGE: PEOPLE_IN_CHARGE', enum_type=DisclosureKind, max_length=24)),
                ('period', fields.CharField(max_length=10)),
                ('flagged_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('credit_event_id', fields.IntField(null=True)),
            ],
            options={'table': 'disclosure_miss', 'app': 'models', 'unique_together': (('compound', 'kind', 'period'),), 'pk_attr': 'id', 'table_description': 'A quarterly statement the serving firm did not post in time: flagged once, optionally a credit event.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('account', fields.ForeignKeyField('models.Account', source_field='account_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='MEETING_NOTICE: MEETING_NOTICE\nVOTING_OPENED: VOTING_OPENED\nVOTING_REMINDER: VOTING_REMINDER\nMINUTES_PUBLISHED: MINUTES_PUBLISHED\nCOMPLAINT_PROGRESS: COMPLAINT_PROGRESS\nCOMPLAINT_DUE_SOON: COMPLAINT_DUE_SOON\nCOMMITTEE_DEADLINE: COMMITTEE_DEADLINE\nDISCLOSURE_PUBLISHED: DISCLOSURE_PUBLISHED\nDISCLOSURE_MISSING: DISCLOSURE_MISSING', enum_type=NoticeKind, max_length=24)),
                ('title', fields.CharField(max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('link_type', fields.CharField(null=True, max_length=40)),
                ('link_id', fields.IntField(null=True)),
                ('idempotency_key', fields.CharField(unique=True, max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification', 'app': 'models', 'constraints': [CheckConstraint(check='person_id IS NOT NULL OR account_id IS NOT NULL', name='notification_has_recipient')], 'indexes': [Index(fields=['person_id', 'id']), Index(fields=['account_id', 'id'])], 'pk_attr': 'id', 'table_description': '站内通知 — one in-app notification to a person (an owner) or to a staff account, read or unread.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ReturnVisitRecord',
            name='by_complainant',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
