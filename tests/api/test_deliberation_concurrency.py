"""Ballots under concurrency: many HTTP requests at once on one item (SQLite and PostgreSQL)."""

import asyncio

import pytest
from tortoise.exceptions import IntegrityError

from domain.deliberation.models import Ballot
from schema.core.relay import parse_id
from tests import factories as f
from tests.api.test_deliberation_support import CAST, build_world, gid, voting

VOTERS = 200
FUND = [{"title": "使用维修资金维修屋面", "decisionRule": "OWNERS_ORDINARY", "matter": "USE_MAINTENANCE_FUND"}]


async def owners_assembly(gql, owners: int):
    w = await build_world()
    people = []
    for i in range(owners):
        owner = await f.person(f"业主{i}")
        await f.unit(w.compound, owner, building="9", number=f"{1000 + i}", area="50.00")
        people.append(owner)
    _, item = await voting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=FUND, days_ago=16)
    return w, item, people


async def send(gql, w, item, voter, choice="AGREE"):
    body = await gql(CAST, {"input": {"agendaItemId": item, "voterId": gid("Person", voter.id), "choice": choice}},
                     token=w.staff_token, expect_errors=True)
    assert "errors" not in body, body
    return body["data"]["castBallot"]


async def test_two_hundred_concurrent_ballots_are_all_recorded_and_tallied(gql, db):
    w, item, people = await owners_assembly(gql, VOTERS)

    results = await asyncio.gather(*(send(gql, w, item, p, "AGREE" if i % 4 else "OPPOSE")
                                     for i, p in enumerate(people)))

    assert [r["errors"] for r in results] == [[]] * VOTERS
    assert await Ballot.filter(item_id=parse_id(item)[1]).count() == VOTERS
    final = (await gql("query($id: ID!) { agendaItem(id: $id) { tally { eligibleVoters participatingVoters "
                       "agreeVoters opposeVoters eligibleArea participatingArea agreeArea passed } } }",
                       {"id": item}, token=w.staff_token))["agendaItem"]["tally"]
    assert final == {
        "eligibleVoters": VOTERS + 5, "participatingVoters": VOTERS, "agreeVoters": 150, "opposeVoters": 50,
        "eligibleArea": "10500.00", "participatingArea": "10000.00", "agreeArea": "7500.00", "passed": True,
    }
    assert max(r["tally"]["participatingVoters"] for r in results) == VOTERS


async def test_concurrent_duplicates_of_one_voter_yield_one_ballot(gql, db):
    w, item, people = await owners_assembly(gql, 3)

    results = await asyncio.gather(*(send(gql, w, item, people[0]) for _ in range(20)))

    assert sorted(code for r in results for code in (e["code"] for e in r["errors"])) == ["ALREADY_VOTED"] * 19
    assert await Ballot.filter(item_id=parse_id(item)[1]).count() == 1


async def test_the_database_refuses_a_second_ballot_for_the_same_seat(gql, db):
    w, item, people = await owners_assembly(gql, 1)
    first = await send(gql, w, item, people[0])
    row = await Ballot.get(id=parse_id(first["ballot"]["id"])[1])

    with pytest.raises(IntegrityError):
        await Ballot.create(item_id=row.item_id, voter_id=row.voter_id, seat_key=row.seat_key, choice="OPPOSE",
                            cast_at=row.cast_at)


# --- the owners' app (castMyBallot, issue 11: 1,000 concurrent ballots, 0 lost, 0 double) ---------------------

APP_OWNERS = 120


async def _cast_mine(gql, item, token):
    from tests.contract.operations import contract_operations

    document = next(op.document for op in contract_operations() if op.name == "CastMyBallot")
    body = await gql(document, {"input": {"agendaItemId": item, "choice": "AGREE"}}, token=token, expect_errors=True)
    assert "errors" not in body, body
    return body["data"]["castMyBallot"]


async def test_concurrent_app_ballots_are_each_recorded_once_and_the_running_tally_equals_the_recount(gql, db):
    from domain.accounts.rules import Role
    from domain.audit.service import verify_audit_chain
    from domain.deliberation.register_models import RunningTally
    from domain.deliberation.roll import recount, running_figures
    from tests.api.test_deliberation_support import CLOSE_VOTING, payload
    from tests.conftest import make_token

    w, item, people = await owners_assembly(gql, APP_OWNERS)
    tokens = [await make_token(Role.OWNER, person_id=p.id) for p in people]

    # Every owner sends their ballot twice at once: the second of each pair must be refused, none lost.
    results = await asyncio.gather(*(_cast_mine(gql, item, t) for t in tokens + tokens))

    accepted = [r for r in results if r["errors"] == []]
    refused = [e["code"] for r in results for e in r["errors"]]
    pk = parse_id(item)[1]
    assert len(accepted) == APP_OWNERS and refused == ["ALREADY_VOTED"] * APP_OWNERS
    assert len({r["receipt"]["trackingCode"] for r in accepted}) == APP_OWNERS
    seats = await Ballot.filter(item_id=pk).values_list("seat_key", flat=True)
    assert len(seats) == len(set(seats)) == APP_OWNERS
    assert (await RunningTally.get(item_id=pk)).ballots == APP_OWNERS
    assert await running_figures(pk) == await recount(pk)
    # Each acknowledged ballot saw a tally counting at least itself, and the last one saw them all.
    assert max(r["tally"]["participatingVoters"] for r in accepted) == APP_OWNERS
    assert (await verify_audit_chain()).valid
    closed = await payload(gql, CLOSE_VOTING, {"agendaItemId": item}, w.staff_token)
    assert closed["errors"] == []  # closing recounts every ballot against the running tally


async def test_co_owners_racing_for_their_one_seat_cast_one_ballot(gql, db):
    from domain.accounts.rules import Role
    from tests.conftest import make_token

    w = await build_world()
    wife, husband = await f.person("妻"), await f.person("夫")
    await f.unit(w.compound, wife, husband, building="9", number="901", area="88.00")
    _, item = await voting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=FUND, days_ago=16)
    tokens = [await make_token(Role.OWNER, person_id=p.id) for p in (wife, husband)]

    results = await asyncio.gather(*(_cast_mine(gql, item, t) for t in tokens * 10))

    assert sum(r["errors"] == [] for r in results) == 1
    assert sorted(e["code"] for r in results for e in r["errors"]) == ["ALREADY_VOTED"] * 19
    assert await Ballot.filter(item_id=parse_id(item)[1]).count() == 1
