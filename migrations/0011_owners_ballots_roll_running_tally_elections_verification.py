from tortoise import migrations
from tortoise.migrations import operations as ops
from domain.deliberation.vocabulary import BallotChannel
from domain.owners.codes import CodePurpose
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_person_registered_territory')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Candidate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.AgendaItem', source_field='item_id', db_constraint=True, to_field='id', related_name='candidates', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('name', fields.CharField(max_length=200)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='candidacies', on_delete=OnDelete.CASCADE)),
                ('firm', fields.ForeignKeyField('models.PropertyFirm', source_field='firm_id', null=True, db_constraint=True, to_field='id', related_name='candidacies', on_delete=OnDelete.CASCADE)),
                ('votes', fields.IntField(default=0)),
                ('votes_cents', fields.BigIntField(default=0)),
                ('elected', fields.BooleanField(null=True)),
            ],
            options={'table': 'candidate', 'app': 'models', 'unique_together': (('item', 'position'),), 'pk_attr': 'id', 'table_description': 'A candidate of an election item: a person (committee election) or a firm (choosing a manager).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BallotMark',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('ballot', fields.ForeignKeyField('models.Ballot', source_field='ballot_id', db_constraint=True, to_field='id', related_name='marks', on_delete=OnDelete.CASCADE)),
                ('candidate', fields.ForeignKeyField('models.Candidate', source_field='candidate_id', db_constraint=True, to_field='id', related_name='marks', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'ballot_mark', 'app': 'models', 'unique_together': (('ballot', 'candidate'),), 'pk_attr': 'id', 'table_description': 'One candidate marked on an election ballot.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OwnerVerification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('public_id', fields.CharField(unique=True, max_length=40)),
                ('purpose', fields.CharEnumField(description='SMS: SMS\nLETTER: LETTER', enum_type=CodePurpose, max_length=8)),
                ('compound', fields.ForeignKeyField('models.Compound', source_field='compound_id', db_constraint=True, to_field='id', related_name='owner_verifications', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='owner_verifications', on_delete=OnDelete.CASCADE)),
                ('code_hash', fields.CharField(max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('wrong_guesses', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'owner_verification', 'app': 'models', 'indexes': [Index(fields=['person_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A sign-up attempt: the digest of the one-time code, and the registry person it matched (None when nobody did —'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RunningTally',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.OneToOneField('models.AgendaItem', source_field='item_id', db_constraint=True, to_field='id', related_name='running_tally', on_delete=OnDelete.CASCADE)),
                ('eligible_voters', fields.IntField()),
                ('eligible_cents', fields.BigIntField()),
                ('agree_voters', fields.IntField(default=0)),
                ('agree_cents', fields.BigIntField(default=0)),
                ('oppose_voters', fields.IntField(default=0)),
                ('oppose_cents', fields.BigIntField(default=0)),
                ('abstain_voters', fields.IntField(default=0)),
                ('abstain_cents', fields.BigIntField(default=0)),
                ('ballots', fields.IntField(default=0)),
                ('accepting', fields.BooleanField(default=True)),
            ],
            options={'table': 'running_tally', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The totals of the item so far, by head and by area (hundredths of m²), moved by each ballot in its transaction.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VoteSeat',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.AgendaItem', source_field='item_id', db_constraint=True, to_field='id', related_name='roll', on_delete=OnDelete.CASCADE)),
                ('seat_key', fields.CharField(max_length=40)),
                ('area_cents', fields.BigIntField()),
                ('label', fields.CharField(max_length=120)),
            ],
            options={'table': 'vote_seat', 'app': 'models', 'unique_together': (('item', 'seat_key'),), 'pk_attr': 'id', 'table_description': 'One seat on the roll of an item: the lowest unit id names it, areas in hundredths of a square metre (exact).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VoteSeatHolder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.AgendaItem', source_field='item_id', db_constraint=True, to_field='id', related_name='seat_holders', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='vote_seats', on_delete=OnDelete.CASCADE)),
                ('seat_key', fields.CharField(max_length=40)),
                ('area_cents', fields.BigIntField()),
                ('label', fields.CharField(max_length=120)),
            ],
            options={'table': 'vote_seat_holder', 'app': 'models', 'unique_together': (('item', 'person'),), 'indexes': [Index(fields=['person_id'])], 'pk_attr': 'id', 'table_description': 'A person who holds a seat on the roll (each co-owner of the units of the seat), to find the seat of a voter at once.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='AgendaItem',
            name='ballot_list_hash',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='AgendaItem',
            name='max_selections',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='AgendaItem',
            name='voting_closes_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='AgendaItem',
            name='voting_opens_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ballot',
            name='channel',
            field=fields.CharEnumField(null=True, description='APP: APP\nPAPER: PAPER\nPROXY: PROXY', enum_type=BallotChannel, max_length=8),
        ),
        ops.AddField(
            model_name='Ballot',
            name='tracking_code',
            field=fields.CharField(null=True, unique=True, max_length=32),
        ),
    ]
