"""Incremental tallies of owners' votes (issue 11 item 5): a ballot's cost does not grow with the compound, the
running tally equals a full recount, a mismatch refuses to close, and due written-consultation votes close once."""

from datetime import UTC, datetime, timedelta

from strawberry.relay import GlobalID

from domain.accounts.rules import Role, Viewer
from domain.deliberation.closing import list_hash, published_ballots
from domain.deliberation.models import AgendaItem, Ballot
from domain.deliberation.register_models import RunningTally, VoteSeat, VoteSeatHolder
from domain.deliberation.roll import recount, running_figures
from domain.deliberation.scheduled import close_due_votes
from tests import factories as f
from tests.api.test_deliberation_support import CLOSE_VOTING, CORRECT, build_world, cast, codes, payload, voting
from tests.conftest import count_queries

FUND = [{"title": "使用维修资金更换电梯", "decisionRule": "OWNERS_ORDINARY", "matter": "USE_MAINTENANCE_FUND"}]
SCHEDULER = Viewer(account_id=None, username="scheduler", roles=frozenset({Role.CENTRE_ADMIN}))


def pk(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


async def assembly(gql, w, owners: int = 0):
    """The world's five members plus `owners` single-unit owners, then an assembly item open for voting."""
    extra = []
    for i in range(owners):
        person = await f.person(f"业主{i}")
        await f.unit(w.compound, person, building="9", number=f"{1000 + i}", area="90.50")
        extra.append(person)
    _, item = await voting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=FUND, days_ago=16)
    return item, extra


async def test_opening_fixes_the_roll_with_one_seat_per_owner_and_exact_area(gql, db):
    w = await build_world()
    buyer, wife, husband = await f.person("买家"), await f.person("妻"), await f.person("夫")
    await f.unit(w.compound, buyer, building="3", number="301", area="80.00")
    await f.unit(w.compound, buyer, building="3", number="302", area="120.00")
    await f.unit(w.compound, wife, husband, building="3", number="303", area="100.25")
    _, item = await voting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=FUND, days_ago=16)

    running = await RunningTally.get(item_id=pk(item))
    assert (running.eligible_voters, running.eligible_cents) == (7, 50000 + 20000 + 10025)
    seat = await VoteSeatHolder.get(item_id=pk(item), person_id=buyer.id)
    assert (await VoteSeat.get(item_id=pk(item), seat_key=seat.seat_key)).label == "3号楼1单元301 等2套"
    couple = await VoteSeatHolder.filter(item_id=pk(item), person_id__in=[wife.id, husband.id]).values_list(
        "seat_key", flat=True)
    assert len(set(couple)) == 1


async def test_the_running_tally_equals_a_full_recount_after_ballots_and_a_correction(gql, db):
    w = await build_world()
    item, owners = await assembly(gql, w, owners=4)
    for member in w.members:
        await cast(gql, w, item, member)
    await cast(gql, w, item, owners[0], "OPPOSE")
    last = await cast(gql, w, item, owners[1], "ABSTAIN")
    ballot = await Ballot.get(item_id=pk(item), voter_id=owners[0].id)
    corrected = await payload(gql, CORRECT, {"ballotId": str(GlobalID("Ballot", str(ballot.id))),
                                             "choice": "AGREE", "reason": "录入错误"}, w.staff_token)

    assert corrected["errors"] == []
    assert await running_figures(pk(item)) == await recount(pk(item))
    assert (last["tally"]["participatingVoters"], last["tally"]["participatingArea"]) == (7, "681.00")
    assert corrected["tally"]["agreeVoters"] == 6


async def test_a_ballot_costs_the_same_statements_in_a_compound_of_10_or_60_seats(gql, db):
    async def statements_for_one_ballot(owners: int) -> int:
        w = await build_world()
        item, extra = await assembly(gql, w, owners=owners)
        await cast(gql, w, item, w.members[0])  # warm: the first ballot of the test session
        with count_queries() as sql:
            result = await cast(gql, w, item, extra[0])
        assert result["errors"] == []
        return len(sql)

    assert await statements_for_one_ballot(5) == await statements_for_one_ballot(55)


async def test_closing_refuses_when_the_recount_differs_from_the_running_tally(gql, db):
    w = await build_world()
    item, _ = await assembly(gql, w)
    for member in w.members[:4]:
        await cast(gql, w, item, member)
    await RunningTally.filter(item_id=pk(item)).update(agree_voters=3)  # a lost update, simulated

    result = await payload(gql, CLOSE_VOTING, {"agendaItemId": item}, w.staff_token)

    assert codes(result) == ["TALLY_MISMATCH"]
    assert (await AgendaItem.get(id=pk(item))).status == "VOTING"


async def test_closing_publishes_the_ballot_list_hash_without_voters(gql, db):
    w = await build_world()
    item, _ = await assembly(gql, w)
    for member in w.members:
        await cast(gql, w, item, member, "AGREE")

    result = await payload(gql, CLOSE_VOTING, {"agendaItemId": item}, w.staff_token)

    assert result["errors"] == []
    row = await AgendaItem.get(id=pk(item))
    listed = await published_ballots(row.id)
    assert len(listed) == 5 and {b.choice for b in listed} == {"AGREE"}
    assert row.ballot_list_hash == list_hash(listed)
    codes_cast = set(await Ballot.filter(item_id=row.id).values_list("tracking_code", flat=True))
    assert {b.tracking_code for b in listed} == codes_cast


async def test_the_scheduler_closes_a_due_written_consultation_once(gql, db):
    w = await build_world()
    item, _ = await assembly(gql, w)
    for member in w.members:
        await cast(gql, w, item, member)
    now = datetime.now(UTC)
    await AgendaItem.filter(id=pk(item)).update(voting_closes_at=now + timedelta(days=1))
    early = await payload(gql, CLOSE_VOTING, {"agendaItemId": item}, w.staff_token)
    not_due = await close_due_votes(actor=SCHEDULER, now=now)
    await AgendaItem.filter(id=pk(item)).update(voting_closes_at=now - timedelta(minutes=1))

    first = await close_due_votes(actor=SCHEDULER, now=now)
    second = await close_due_votes(actor=SCHEDULER, now=now)

    assert codes(early) == ["INVALID_TRANSITION"]
    assert not_due.closed == []
    assert [i for i, _ in first.closed] == [pk(item)]
    assert second.closed == []
    row = await AgendaItem.get(id=pk(item))
    assert (row.status, row.result) == ("DECIDED", "PASSED")


async def test_a_ballot_arriving_after_closing_stopped_the_tally_is_refused_and_not_stored(gql, db):
    from tests.conftest import make_token
    from tests.contract.operations import contract_operations

    cast_mine = next(op.document for op in contract_operations() if op.name == "CastMyBallot")
    w = await build_world()
    item, owners = await assembly(gql, w, owners=1)
    token = await make_token(Role.OWNER, person_id=owners[0].id)
    # Closing's first write, as a racing ballot sees it before the item's status changes.
    await RunningTally.filter(item_id=pk(item)).update(accepting=False)

    late = (await gql(cast_mine, {"input": {"agendaItemId": item, "choice": "AGREE"}}, token=token))["castMyBallot"]

    assert codes(late) == ["VOTING_CLOSED"]
    assert not await Ballot.exists(item_id=pk(item))


# The app ballot's statements (issue 11): the token, the item with the viewer's seat, the ballot, the running tally
# (returning the totals shown and the audit head), and the audit append — the event and the head's move (one
# statement on PostgreSQL, two on SQLite). BEGIN and COMMIT are not counted.
APP_BALLOT_STATEMENTS = {"sqlite": 6, "postgres": 5}


async def test_an_app_ballot_costs_at_most_its_statement_budget_and_reads_nothing_after_commit(gql, db):
    from tests.conftest import make_token
    from tests.contract.operations import contract_operations

    cast_mine = next(op.document for op in contract_operations() if op.name == "CastMyBallot")
    w = await build_world()
    item, owners = await assembly(gql, w, owners=2)
    tokens = [await make_token(Role.OWNER, person_id=o.id) for o in owners]
    await gql(cast_mine, {"input": {"agendaItemId": item, "choice": "AGREE"}}, token=tokens[0])  # warm

    with count_queries() as sql:
        result = (await gql(cast_mine, {"input": {"agendaItemId": item, "choice": "OPPOSE"}},
                            token=tokens[1]))["castMyBallot"]

    assert result["errors"] == []
    assert result["tally"]["participatingVoters"] == 2  # the totals the tally's UPDATE returned, this ballot in
    assert len(sql) <= APP_BALLOT_STATEMENTS[db], "\n".join(sql)
    assert not sql[-1].lstrip().upper().startswith("SELECT")  # the last statement is a write: no read after commit
