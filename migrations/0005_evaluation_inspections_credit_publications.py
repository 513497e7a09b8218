from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.evaluation.models import EvaluationStatus
from domain.evaluation.scoring import CreditEventKind, Listing
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_complaints_orders_timeline_return_visits')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CreditEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('firm', fields.ForeignKeyField('models.PropertyFirm', source_field='firm_id', db_constraint=True, to_field='id', related_name='credit_events', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='GOOD: GOOD\nBAD: BAD\nSEVERE: SEVERE', enum_type=CreditEventKind, max_length=8)),
                ('points', fields.DecimalField(max_digits=6, decimal_places=2)),
                ('reason', fields.CharField(max_length=500)),
                ('occurred_on', fields.DateField()),
                ('valid_until', fields.DateField()),
                ('recorded_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'credit_event', 'app': 'models', 'indexes': [Index(fields=['firm_id', 'valid_until'])], 'pk_attr': 'id', 'table_description': '良好 / 不良 / 严重失信信息 — a credit record of a firm, counted while valid.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Evaluation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('street', fields.ForeignKeyField('models.Street', source_field='street_id', db_constraint=True, to_field='id', related_name='evaluations', on_delete=OnDelete.CASCADE)),
                ('period', fields.CharField(max_length=7)),
                ('scheme', fields.CharField(max_length=60)),
                ('status', fields.CharEnumField(description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED', enum_type=EvaluationStatus, max_length=10)),
                ('run_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'evaluation', 'app': 'models', 'unique_together': (('street', 'period'),), 'pk_attr': 'id', 'table_description': "信用评价 — the firms serving a street's compounds, scored for one period under the street's scheme."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EvaluationResult',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('evaluation', fields.ForeignKeyField('models.Evaluation', source_field='evaluation_id', db_constraint=True, to_field='id', related_name='results', on_delete=OnDelete.CASCADE)),
                ('firm', fields.ForeignKeyField('models.PropertyFirm', source_field='firm_id', db_constraint=True, to_field='id', related_name='evaluation_results', on_delete=OnDelete.CASCADE)),
                ('score', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('basic', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('good', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('bad', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('inspection_deductions', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('event_deductions', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('return_visit_deductions', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('on_time_rate', fields.DecimalField(max_digits=6, decimal_places=4)),
                ('has_party_organisation', fields.BooleanField()),
                ('orders_dispatched', fields.IntField()),
                ('orders_resolved_on_time', fields.IntField()),
                ('unsatisfied_return_visits', fields.IntField()),
                ('households', fields.IntField()),
                ('grade', fields.CharField(max_length=8)),
                ('listing', fields.CharEnumField(description='RED: RED\nBLACK: BLACK\nNONE: NONE', enum_type=Listing, max_length=8)),
                ('reasons', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('inspection_ids', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('credit_event_ids', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'evaluation_result', 'app': 'models', 'unique_together': (('evaluation', 'firm'),), 'pk_attr': 'id', 'table_description': "One firm's result: score, components, grade, listing, and the records that produced them."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Inspection',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('firm', fields.ForeignKeyField('models.PropertyFirm', source_field='firm_id', db_constraint=True, to_field='id', related_name='inspections', on_delete=OnDelete.CASCADE)),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name='inspections', on_delete=OnDelete.CASCADE)),
                ('inspected_on', fields.DateField()),
                ('total_deduction', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('rectify_by', fields.DateField(null=True)),
                ('rectified_on', fields.DateField(null=True)),
                ('recorded_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'inspection', 'app': 'models', 'indexes': [Index(fields=['firm_id', 'inspected_on'])], 'pk_attr': 'id', 'table_description': '日常检查 — a centre or street inspection of a firm at a compound, with itemised deductions.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='InspectionFinding',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('inspection', fields.ForeignKeyField('models.Inspection', source_field='inspection_id', db_constraint=True, to_field='id', related_name='findings', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('item', fields.CharField(max_length=200)),
                ('deduction', fields.DecimalField(max_digits=6, decimal_places=2)),
                ('note', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'inspection_finding', 'app': 'models', 'unique_together': (('inspection', 'position'),), 'pk_attr': 'id', 'table_description': 'One item of an inspection (检查项) and what it cost the firm.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Publication',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('evaluation', fields.OneToOneField('models.Evaluation', source_field='evaluation_id', db_constraint=True, to_field='id', related_name='publication', on_delete=OnDelete.CASCADE)),
                ('street', fields.ForeignKeyField('models.Street', source_field='street_id', db_constraint=True, to_field='id', related_name='publications', on_delete=OnDelete.CASCADE)),
                ('period', fields.CharField(max_length=7)),
                ('scheme', fields.CharField(max_length=60)),
                ('sequence', fields.IntField()),
                ('published_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('published_by_id', fields.IntField(null=True)),
                ('content_hash', fields.CharField(unique=True, max_length=64)),
                ('previous_hash', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'publication', 'app': 'models', 'unique_together': (('street', 'period'), ('street', 'sequence')), 'pk_attr': 'id', 'table_description': "公示 — a frozen evaluation, its content hash covers its entries and its predecessor's hash in the street."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PublicationEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('publication', fields.ForeignKeyField('models.Publication', source_field='publication_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('firm', fields.ForeignKeyField('models.PropertyFirm', source_field='firm_id', db_constraint=True, to_field='id', related_name='publication_entries', on_delete=OnDelete.CASCADE)),
                ('credit_code', fields.CharField(max_length=18)),
                ('name', fields.CharField(max_length=120)),
                ('score', fields.DecimalField(max_digits=8, decimal_places=2)),
                ('grade', fields.CharField(max_length=8)),
                ('listing', fields.CharEnumField(description='RED: RED\nBLACK: BLACK\nNONE: NONE', enum_type=Listing, max_length=8)),
                ('reasons', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'publication_entry', 'app': 'models', 'unique_together': (('publication', 'firm'),), 'indexes': [Index(fields=['firm_id', 'listing'])], 'pk_attr': 'id', 'table_description': "A published line: copied from the result at publication, covered by the publication's hash."},
            bases=['Model'],
        ),
    ]
