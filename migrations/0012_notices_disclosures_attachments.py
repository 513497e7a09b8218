from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.notifications.rules import NoticeKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint

class Migration(migrations.Migration):
    dependencies = [('models', '0006_messaging_outbox')]

    initial = False

    operations = [
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
    ]
