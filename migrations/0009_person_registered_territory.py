from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_audit_chain_keys_and_signed_head')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Person',
            name='registered_community_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Person',
            name='registered_street_id',
            field=fields.IntField(null=True),
        ),
    ]
