"""The electoral roll of an owners' vote and its running tally, kept so that one ballot costs the same however
many seats the compound has.

When voting opens, the seats (区分所有权解释 art. 9) are fixed from the registry: that is the roll the vote is
counted on, as a paper roll (业主名册) is fixed for an assembly. Each ballot then adds its seat's area to the
running totals by one conditional UPDATE; closing recounts every ballot against the roll and refuses to close on a
mismatch.
"""

from tortoise import fields
from tortoise.models import Model


class VoteSeat(Model):
    """One seat on the roll of an item: the lowest unit id names it, areas in hundredths of a square metre (exact)."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation = fields.ForeignKeyField("models.AgendaItem", related_name="roll")
    item_id: int
    seat_key = fields.CharField(max_length=40)
    area_cents = fields.BigIntField()
    label = fields.CharField(max_length=120)

    class Meta:
        table = "vote_seat"
        unique_together = (("item", "seat_key"),)


class VoteSeatHolder(Model):
    """A person who holds a seat on the roll (each co-owner of the units of the seat), to find the seat of a voter at once."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation = fields.ForeignKeyField("models.AgendaItem", related_name="seat_holders")
    item_id: int
    person: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Person", related_name="vote_seats")
    person_id: int
    seat_key = fields.CharField(max_length=40)
    # Copied from the seat, so that casting finds a voter's seat, area and label in one indexed read.
    area_cents = fields.BigIntField()
    label = fields.CharField(max_length=120)

    class Meta:
        table = "vote_seat_holder"
        unique_together = (("item", "person"),)
        indexes = (("person_id",),)


class RunningTally(Model):
    """The totals of the item so far, by head and by area (hundredths of m²), moved by each ballot in its transaction."""

    id = fields.IntField(primary_key=True)
    item: fields.OneToOneRelation = fields.OneToOneField("models.AgendaItem", related_name="running_tally")
    item_id: int
    eligible_voters = fields.IntField()
    eligible_cents = fields.BigIntField()
    agree_voters = fields.IntField(default=0)
    agree_cents = fields.BigIntField(default=0)
    oppose_voters = fields.IntField(default=0)
    oppose_cents = fields.BigIntField(default=0)
    abstain_voters = fields.IntField(default=0)
    abstain_cents = fields.BigIntField(default=0)
    ballots = fields.IntField(default=0)
    # Set false by closing, in the closing transaction: a ballot's conditional UPDATE then finds no open tally and
    # is refused, so no ballot can land after the recount (the row, not the item, orders ballots and closing).
    accepting = fields.BooleanField(default=True)

    class Meta:
        table = "running_tally"


class Candidate(Model):
    """A candidate of an election item: a person (committee election) or a firm (choosing a manager)."""

    id = fields.IntField(primary_key=True)
    item: fields.ForeignKeyRelation = fields.ForeignKeyField("models.AgendaItem", related_name="candidates")
    item_id: int
    position = fields.IntField()
    name = fields.CharField(max_length=200)
    person: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.Person", related_name="candidacies", null=True
    )
    person_id: int | None
    firm: fields.ForeignKeyNullableRelation = fields.ForeignKeyField(
        "models.PropertyFirm", related_name="candidacies", null=True
    )
    firm_id: int | None
    # Running votes (heads, hundredths of m²), recounted at closing.
    votes = fields.IntField(default=0)
    votes_cents = fields.BigIntField(default=0)
    elected = fields.BooleanField(null=True)

    class Meta:
        table = "candidate"
        unique_together = (("item", "position"),)


class BallotMark(Model):
    """One candidate marked on an election ballot."""

    id = fields.IntField(primary_key=True)
    ballot: fields.ForeignKeyRelation = fields.ForeignKeyField("models.Ballot", related_name="marks")
    ballot_id: int
    candidate: fields.ForeignKeyRelation[Candidate] = fields.ForeignKeyField("models.Candidate", related_name="marks")
    candidate_id: int

    class Meta:
        table = "ballot_mark"
        unique_together = (("ballot", "candidate"),)
