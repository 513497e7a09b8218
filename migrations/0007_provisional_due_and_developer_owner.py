from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0005_evaluation_inspections_credit_publications')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Complaint',
            name='due_provisional',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Compound',
            name='developer',
            field=fields.ForeignKeyField('models.Body', source_field='developer_id', null=True, db_constraint=True, to_field='id', related_name='developed_compounds', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Compound',
            name='developer_representative',
            field=fields.ForeignKeyField('models.Person', source_field='developer_representative_id', null=True, db_constraint=True, to_field='id', related_name='represented_developments', on_delete=OnDelete.RESTRICT),
        ),
    ]
