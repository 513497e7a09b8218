from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.complaints.rules import Action, Channel, Kind, Satisfaction, Status, Urgency
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from tortoise.migrations.constraints import CheckConstraint

class Migration(migrations.Migration):
    dependencies = [('models', '0003_deliberation_meetings_votes_minutes_tasks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Complaint',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('number', fields.CharField(unique=True, max_length=20)),
                ('year', fields.IntField()),
                ('sequence', fields.IntField()),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name='complaints', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', db_constraint=True, to_field='id', related_name='complaints', on_delete=OnDelete.CASCADE)),
                ('street', fields.ForeignKeyField('models.Street', source_field='street_id', db_constraint=True, to_field='id', related_name='complaints', on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='HOTLINE_12345: HOTLINE_12345\nPROVINCIAL_SYSTEM: PROVINCIAL_SYSTEM\nPETITION: PETITION\nPUBLIC_OPINION: PUBLIC_OPINION\nGRID_PATROL: GRID_PATROL\nWALK_IN: WALK_IN\nONLINE: ONLINE\nMEETING: MEETING', enum_type=Channel, max_length=24)),
                ('kind', fields.CharEnumField(description='CONSULTATION: CONSULTATION\nHELP: HELP\nCOMPLAINT: COMPLAINT\nREPORT: REPORT\nSUGGESTION: SUGGESTION', enum_type=Kind, max_length=16)),
                ('category', fields.CharField(max_length=60)),
                ('urgency', fields.CharEnumField(description='EMERGENCY: EMERGENCY\nUTILITY: UTILITY\nORDINARY: ORDINARY\nCOMPLEX: COMPLEX', enum_type=Urgency, max_length=16)),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(unique=False)),
                ('complainant_name', fields.CharField(max_length=60)),
                ('complainant_phone', fields.CharField(null=True, max_length=20)),
                ('complainant_person', fields.ForeignKeyField('models.Person', source_field='complainant_person_id', null=True, db_constraint=True, to_field='id', related_name='complaints', on_delete=OnDelete.CASCADE)),
                ('external_ref', fields.CharField(null=True, max_length=60)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('filed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(description='RECEIVED: RECEIVED\nACCEPTED: ACCEPTED\nREJECTED: REJECTED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRESOLVED: RESOLVED\nRETURN_VISITED: RETURN_VISITED\nCLOSED: CLOSED', enum_type=Status, max_length=16)),
                ('version', fields.IntField(default=0)),
                ('handler', fields.ForeignKeyField('models.Body', source_field='handler_id', null=True, db_constraint=True, to_field='id', related_name='complaints_handled', on_delete=OnDelete.CASCADE)),
                ('accountable', fields.ForeignKeyField('models.Body', source_field='accountable_id', null=True, db_constraint=True, to_field='id', related_name='complaints_accountable', on_delete=OnDelete.CASCADE)),
                ('rule_pack', fields.CharField(null=True, max_length=60)),
                ('due_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('dispatched_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('acknowledged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolution', fields.TextField(null=True, unique=False)),
                ('reject_reason', fields.TextField(null=True, unique=False)),
                ('redirect_to', fields.CharField(null=True, max_length=200)),
                ('reopen_count', fields.IntField(default=0)),
                ('escalation_level', fields.IntField(default=0)),
                ('escalated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('unreached_attempts', fields.IntField(default=0)),
                ('merged_into', fields.ForeignKeyField('models.Complaint', source_field='merged_into_id', null=True, db_constraint=True, to_field='id', related_name='duplicates', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'complaint', 'app': 'models', 'unique_together': (('year', 'sequence'),), 'constraints': [CheckConstraint(check='reopen_count >= 0 AND escalation_level >= 0 AND unreached_attempts >= 0', name='complaint_counts_non_negative'), CheckConstraint(check='received_at <= filed_at', name='complaint_received_before_filed'), CheckConstraint(check="status NOT IN ('DISPATCHED', 'IN_PROGRESS', 'RESOLVED', 'RETURN_VISITED') OR (handler_id IS NOT NULL AND accountable_id IS NOT NULL AND due_at IS NOT NULL)", name='complaint_handled_has_handler'), CheckConstraint(check="status <> 'REJECTED' OR reject_reason IS NOT NULL", name='complaint_rejected_has_reason')], 'indexes': [Index(fields=['street_id', 'status']), Index(fields=['community_id', 'status']), Index(fields=['compound_id', 'status', 'category']), Index(fields=['accountable_id', 'status']), Index(fields=['handler_id', 'status']), Index(fields=['status', 'due_at']), Index(fields=['received_at'])], 'pk_attr': 'id', 'table_description': '诉求工单 — one order of the complaint loop (接诉即办), from intake to closure (销号).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ComplaintCounter',
            fields=[
                ('year', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('last_sequence', fields.IntField()),
            ],
            options={'table': 'complaint_counter', 'app': 'models', 'pk_attr': 'year', 'table_description': 'The last order number handed out per year, the row lock serialises concurrent intake.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ComplaintEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('complaint', fields.ForeignKeyField('models.Complaint', source_field='complaint_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('action', fields.CharEnumField(description='FILE: FILE\nACCEPT: ACCEPT\nREJECT: REJECT\nDISPATCH: DISPATCH\nACKNOWLEDGE: ACKNOWLEDGE\nEXTEND: EXTEND\nESCALATE: ESCALATE\nREPORT: REPORT\nRESOLVE: RESOLVE\nRETURN_VISIT: RETURN_VISIT\nREOPEN: REOPEN\nLOG_UNREACHED_VISIT: LOG_UNREACHED_VISIT\nCLOSE: CLOSE\nCLOSE_UNREACHED: CLOSE_UNREACHED\nMERGE: MERGE\nABSORB_DUPLICATE: ABSORB_DUPLICATE', enum_type=Action, max_length=24)),
                ('from_status', fields.CharEnumField(null=True, description='RECEIVED: RECEIVED\nACCEPTED: ACCEPTED\nREJECTED: REJECTED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRESOLVED: RESOLVED\nRETURN_VISITED: RETURN_VISITED\nCLOSED: CLOSED', enum_type=Status, max_length=16)),
                ('to_status', fields.CharEnumField(description='RECEIVED: RECEIVED\nACCEPTED: ACCEPTED\nREJECTED: REJECTED\nDISPATCHED: DISPATCHED\nIN_PROGRESS: IN_PROGRESS\nRESOLVED: RESOLVED\nRETURN_VISITED: RETURN_VISITED\nCLOSED: CLOSED', enum_type=Status, max_length=16)),
                ('note', fields.TextField(default='', unique=False)),
                ('actor', fields.ForeignKeyField('models.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='complaint_events', on_delete=OnDelete.CASCADE)),
                ('actor_username', fields.CharField(null=True, max_length=60)),
                ('handler_id', fields.IntField(null=True)),
                ('due_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('rule_pack', fields.CharField(null=True, max_length=60)),
                ('related_complaint_id', fields.IntField(null=True)),
            ],
            options={'table': 'complaint_event', 'app': 'models', 'indexes': [Index(fields=['complaint_id', 'id']), Index(fields=['action', 'at'])], 'pk_attr': 'id', 'table_description': "One step on an order's timeline: append-only, never updated or deleted."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReturnVisitRecord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('complaint', fields.ForeignKeyField('models.Complaint', source_field='complaint_id', db_constraint=True, to_field='id', related_name='return_visits', on_delete=OnDelete.CASCADE)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('reached', fields.BooleanField()),
                ('solved', fields.BooleanField(null=True)),
                ('satisfaction', fields.CharEnumField(null=True, description='SATISFIED: SATISFIED\nBASICALLY_SATISFIED: BASICALLY_SATISFIED\nUNSATISFIED: UNSATISFIED', enum_type=Satisfaction, max_length=20)),
                ('note', fields.TextField(default='', unique=False)),
                ('actor', fields.ForeignKeyField('models.Account', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='return_visits', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'complaint_return_visit', 'app': 'models', 'constraints': [CheckConstraint(check='reached OR (solved IS NULL AND satisfaction IS NULL)', name='return_visit_unreached_blank')], 'indexes': [Index(fields=['complaint_id', 'at']), Index(fields=['at'])], 'pk_attr': 'id', 'table_description': '回访 — one attempt to reach the complainant after resolution, with what they said.'},
            bases=['Model'],
        ),
    ]
