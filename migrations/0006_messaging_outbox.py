from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.messaging.rules import Channel, OutboxStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_evaluation_inspections_credit_publications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MessagingOptOut',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='messaging_opt_outs', on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='SMS: SMS\nWECHAT: WECHAT\nIN_APP: IN_APP\nDEV: DEV', enum_type=Channel, max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'messaging_opt_out', 'app': 'models', 'unique_together': (('person', 'channel'),), 'pk_attr': 'id', 'table_description': "A person's refusal of non-statutory messages on one channel (statutory notices still go)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharEnumField(description='SMS: SMS\nWECHAT: WECHAT\nIN_APP: IN_APP\nDEV: DEV', enum_type=Channel, max_length=8)),
                ('recipient', fields.CharField(max_length=120)),
                ('kind', fields.CharField(max_length=40)),
                ('title', fields.CharField(default='', max_length=200)),
                ('body', fields.TextField(unique=False)),
                ('status', fields.CharEnumField(default=OutboxStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nFAILED: FAILED', enum_type=OutboxStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('idempotency_key', fields.CharField(unique=True, max_length=200)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='outbox_messages', on_delete=OnDelete.CASCADE)),
                ('statutory', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('delivered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('claimed_by', fields.CharField(null=True, max_length=60)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_message', 'app': 'models', 'indexes': [Index(fields=['status', 'next_attempt_at']), Index(fields=['recipient', 'id']), Index(fields=['person_id', 'id'])], 'pk_attr': 'id', 'table_description': "One message to one recipient through one channel, written in the causing use case's transaction."},
            bases=['Model'],
        ),
    ]
