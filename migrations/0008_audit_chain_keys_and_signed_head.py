from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_provisional_due_and_developer_owner')]

    initial = False

    operations = [
        ops.AddField(
            model_name='AuditChainHead',
            name='count',
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='AuditChainHead',
            name='key_id',
            field=fields.CharField(default='', db_default='', max_length=20),
        ),
        ops.AddField(
            model_name='AuditChainHead',
            name='mac',
            field=fields.CharField(default='', db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='AuditEvent',
            name='content_hash',
            field=fields.CharField(default='', db_default='', max_length=64),
        ),
        ops.AddField(
            model_name='AuditEvent',
            name='key_id',
            field=fields.CharField(default='', db_default='', max_length=20),
        ),
    ]
