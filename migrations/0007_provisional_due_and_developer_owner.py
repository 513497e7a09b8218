from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_messaging_outbox')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Complaint',
            name='due_provisional',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Compound',
            name='developer_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Compound',
            name='developer_representative_id',
            field=fields.IntField(null=True),
        ),
    ]
