from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from domain.deliberation.vocabulary import AgendaStatus, Choice, DecisionRule, ItemResult, JointMatter, MeetingKind, MeetingStatus, MinutesStatus, Party, Role, TaskStatus
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_committees_owners_bodies_reserve_cross_appointments')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Meeting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='FOUR_PARTY_JOINT: FOUR_PARTY_JOINT\nJOINT_CONFERENCE: JOINT_CONFERENCE\nRESIDENTS_DELIBERATION: RESIDENTS_DELIBERATION\nHEART_TO_HEART: HEART_TO_HEART\nPARTY_BUILDING_JOINT: PARTY_BUILDING_JOINT\nOWNERS_COMMITTEE: OWNERS_COMMITTEE\nPROPERTY_MANAGEMENT_COMMITTEE: PROPERTY_MANAGEMENT_COMMITTEE\nOWNERS_ASSEMBLY: OWNERS_ASSEMBLY', enum_type=MeetingKind, max_length=32)),
                ('status', fields.CharEnumField(description='DRAFT: DRAFT\nNOTICED: NOTICED\nIN_SESSION: IN_SESSION\nCLOSED: CLOSED\nMINUTES_PUBLISHED: MINUTES_PUBLISHED\nCANCELLED: CANCELLED', enum_type=MeetingStatus, max_length=20)),
                ('title', fields.CharField(max_length=200)),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', null=True, db_constraint=True, to_field='id', related_name='meetings', on_delete=OnDelete.CASCADE)),
                ('community', fields.ForeignKeyField('models.Community', source_field='community_id', null=True, db_constraint=True, to_field='id', related_name='meetings', on_delete=OnDelete.CASCADE)),
                ('convener', fields.ForeignKeyField('models.Body', source_field='convener_id', db_constraint=True, to_field='id', related_name='convened_meetings', on_delete=OnDelete.CASCADE)),
                ('scheduled_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('location', fields.CharField(default='', max_length=200)),
                ('rule_pack', fields.CharField(max_length=60)),
                ('notice_issued_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('opened_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('quorum_met', fields.BooleanField(null=True)),
                ('quorum_present', fields.IntField(null=True)),
                ('quorum_required', fields.IntField(null=True)),
                ('quorum_explanation', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'meeting', 'app': 'models', 'indexes': [Index(fields=['compound_id', 'scheduled_at']), Index(fields=['community_id', 'scheduled_at']), Index(fields=['convener_id'])], 'pk_attr': 'id', 'table_description': 'A deliberation meeting (会议) convened by a body for a compound or a community.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AgendaItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='agenda', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('description', fields.TextField(default='', unique=False)),
                ('decision_rule', fields.CharEnumField(description='MAJORITY_OF_PRESENT: MAJORITY_OF_PRESENT\nMAJORITY_OF_ALL_MEMBERS: MAJORITY_OF_ALL_MEMBERS\nTWO_THIRDS_OF_PRESENT: TWO_THIRDS_OF_PRESENT\nCONSENSUS: CONSENSUS\nOWNERS_ORDINARY: OWNERS_ORDINARY\nOWNERS_MAJOR: OWNERS_MAJOR', enum_type=DecisionRule, max_length=32)),
                ('matter', fields.CharEnumField(null=True, description='AMEND_ASSEMBLY_RULES: AMEND_ASSEMBLY_RULES\nAMEND_MANAGEMENT_STATUTE: AMEND_MANAGEMENT_STATUTE\nELECT_COMMITTEE: ELECT_COMMITTEE\nHIRE_OR_DISMISS_MANAGER: HIRE_OR_DISMISS_MANAGER\nUSE_MAINTENANCE_FUND: USE_MAINTENANCE_FUND\nRAISE_MAINTENANCE_FUND: RAISE_MAINTENANCE_FUND\nREBUILD: REBUILD\nCHANGE_COMMON_PARTS: CHANGE_COMMON_PARTS\nOTHER_COMMON_MATTER: OTHER_COMMON_MATTER', enum_type=JointMatter, max_length=32)),
                ('scope_building', fields.CharField(null=True, max_length=20)),
                ('scope_entrance', fields.CharField(null=True, max_length=20)),
                ('status', fields.CharEnumField(description='DRAFT: DRAFT\nNOTICED: NOTICED\nVOTING: VOTING\nDECIDED: DECIDED', enum_type=AgendaStatus, max_length=12)),
                ('result', fields.CharEnumField(null=True, description='PASSED: PASSED\nFAILED: FAILED', enum_type=ItemResult, max_length=8)),
                ('voting_opened_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('voting_closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('final_tally', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'agenda_item', 'app': 'models', 'unique_together': (('meeting', 'position'),), 'pk_attr': 'id', 'table_description': '议题 — voted separately under the decision rule fixed when it was noticed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Ballot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.AgendaItem', source_field='item_id', db_constraint=True, to_field='id', related_name='ballots', on_delete=OnDelete.CASCADE)),
                ('voter', fields.ForeignKeyField('models.Person', source_field='voter_id', db_constraint=True, to_field='id', related_name='ballots', on_delete=OnDelete.CASCADE)),
                ('seat_key', fields.CharField(max_length=40)),
                ('choice', fields.CharEnumField(description='AGREE: AGREE\nOPPOSE: OPPOSE\nABSTAIN: ABSTAIN', enum_type=Choice, max_length=8)),
                ('cast_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('entered_by', fields.ForeignKeyField('models.Account', source_field='entered_by_id', null=True, db_constraint=True, to_field='id', related_name='entered_ballots', on_delete=OnDelete.CASCADE)),
                ('evidence', fields.TextField(default='', unique=False)),
                ('proxy', fields.ForeignKeyField('models.Person', source_field='proxy_id', null=True, db_constraint=True, to_field='id', related_name='proxy_ballots', on_delete=OnDelete.CASCADE)),
                ('proxy_authorisation', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'ballot', 'app': 'models', 'unique_together': (('item', 'seat_key'),), 'pk_attr': 'id', 'table_description': "One ballot per seat and item: a committee member, or an owner's seat (区分所有权解释 art. 9)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BallotCorrection',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ballot', fields.ForeignKeyField('models.Ballot', source_field='ballot_id', db_constraint=True, to_field='id', related_name='corrections', on_delete=OnDelete.CASCADE)),
                ('old_choice', fields.CharEnumField(description='AGREE: AGREE\nOPPOSE: OPPOSE\nABSTAIN: ABSTAIN', enum_type=Choice, max_length=8)),
                ('new_choice', fields.CharEnumField(description='AGREE: AGREE\nOPPOSE: OPPOSE\nABSTAIN: ABSTAIN', enum_type=Choice, max_length=8)),
                ('reason', fields.TextField(unique=False)),
                ('corrected_by_id', fields.IntField(null=True)),
                ('corrected_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'ballot_correction', 'app': 'models', 'pk_attr': 'id', 'table_description': "An explicit, audited correction of a ballot's choice, with its reason."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FollowUpTask',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.CASCADE)),
                ('item', fields.ForeignKeyField('models.AgendaItem', source_field='item_id', null=True, db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.CASCADE)),
                ('title', fields.CharField(max_length=200)),
                ('assignee', fields.ForeignKeyField('models.Body', source_field='assignee_id', db_constraint=True, to_field='id', related_name='follow_up_tasks', on_delete=OnDelete.CASCADE)),
                ('due_on', fields.DateField()),
                ('status', fields.CharEnumField(description='OPEN: OPEN\nDONE: DONE\nCANCELLED: CANCELLED', enum_type=TaskStatus, max_length=12)),
                ('note', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'follow_up_task', 'app': 'models', 'indexes': [Index(fields=['assignee_id', 'status'])], 'pk_attr': 'id', 'table_description': "A task a resolution creates, assigned to a body (or a firm's body), tracked to completion."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Minutes',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='minutes', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField()),
                ('status', fields.CharEnumField(description='DRAFT: DRAFT\nPUBLISHED: PUBLISHED', enum_type=MinutesStatus, max_length=12)),
                ('body', fields.TextField(unique=False)),
                ('recorder', fields.ForeignKeyField('models.Person', source_field='recorder_id', null=True, db_constraint=True, to_field='id', related_name='recorded_minutes', on_delete=OnDelete.CASCADE)),
                ('supersedes', fields.ForeignKeyField('models.Minutes', source_field='supersedes_id', null=True, db_constraint=True, to_field='id', related_name='superseded_by', on_delete=OnDelete.CASCADE)),
                ('drafted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('chain_key', fields.CharField(null=True, max_length=40)),
                ('chain_position', fields.IntField(null=True)),
                ('content', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('content_hash', fields.CharField(null=True, max_length=64)),
                ('previous_hash', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'minutes', 'app': 'models', 'unique_together': (('meeting', 'version'), ('chain_key', 'chain_position')), 'pk_attr': 'id', 'table_description': '会议纪要 — one version, published versions are immutable and chained by hash per compound or community.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Participant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('models.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='participants', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='participations', on_delete=OnDelete.CASCADE)),
                ('represents', fields.CharEnumField(description='PARTY_ORGANISATION: PARTY_ORGANISATION\nRESIDENTS_COMMITTEE: RESIDENTS_COMMITTEE\nOWNERS_COMMITTEE: OWNERS_COMMITTEE\nPROPERTY_FIRM: PROPERTY_FIRM\nOWNER: OWNER\nSTREET: STREET\nCO_BUILDING_UNIT: CO_BUILDING_UNIT\nDEPUTY: DEPUTY\nOTHER: OTHER', enum_type=Party, max_length=24)),
                ('role', fields.CharEnumField(description='CHAIR: CHAIR\nRECORDER: RECORDER\nATTENDEE: ATTENDEE', enum_type=Role, max_length=12)),
                ('attended', fields.BooleanField(default=False)),
            ],
            options={'table': 'meeting_participant', 'app': 'models', 'unique_together': (('meeting', 'person'),), 'pk_attr': 'id', 'table_description': 'A person invited to a meeting, tagged with the party they represent and their role.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Signature',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('minutes', fields.ForeignKeyField('models.Minutes', source_field='minutes_id', db_constraint=True, to_field='id', related_name='signatures', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='minutes_signatures', on_delete=OnDelete.CASCADE)),
                ('signed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('entered_by_id', fields.IntField(null=True)),
            ],
            options={'table': 'minutes_signature', 'app': 'models', 'unique_together': (('minutes', 'person'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
