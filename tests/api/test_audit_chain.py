"""The keyed audit chain on both databases: what a database editor without the key can no longer do silently."""

from __future__ import annotations

from tortoise import connections

from domain.accounts.rules import Role, Viewer
from domain.audit.models import AuditChainHead, AuditEvent
from domain.audit.rules import chain_hash
from domain.audit.service import record_event, verify_audit_chain
from domain.deliberation.models import Ballot, BallotCorrection
from domain.transaction import atomic
from tests.api.test_deliberation_support import CORRECT, build_world, cast, voting
from tests.api.test_deliberation_voting import pk
from tests.conftest import make_token

STREET = """mutation($input: CreateStreetInput!) { createStreet(input: $input) { street { id } errors { code } } }"""


async def _events(gql, token: str, n: int) -> None:
    for i in range(n):
        data = await gql(STREET, {"input": {"name": f"街道{i}", "rulePack": "national"}}, token=token)
        assert data["createStreet"]["errors"] == []


async def test_an_untouched_chain_verifies_and_its_rows_carry_the_key_id(gql, db):
    await _events(gql, await make_token(Role.CENTRE_ADMIN), 3)

    check = await verify_audit_chain()

    assert (check.valid, check.checked, check.problems) == (True, 3, ())
    assert {e.key_id for e in await AuditEvent.all()} == {"dev"}


async def test_deleting_the_newest_events_and_rewinding_the_head_is_detected(gql, db):
    await _events(gql, await make_token(Role.CENTRE_ADMIN), 4)
    events = await AuditEvent.all().order_by("id")

    await AuditEvent.filter(id__in=[events[2].id, events[3].id]).delete()
    await AuditChainHead.filter(id=1).update(last_hash=events[1].hash, count=2)

    check = await verify_audit_chain()
    assert not check.valid
    assert any("signature" in p for p in check.problems)


async def test_deleting_the_newest_events_without_touching_the_head_is_detected(gql, db):
    await _events(gql, await make_token(Role.CENTRE_ADMIN), 3)
    newest = await AuditEvent.all().order_by("-id").first()

    await AuditEvent.filter(id=newest.id).delete()

    assert not (await verify_audit_chain()).valid


async def test_rehashing_from_an_edited_row_without_the_key_is_detected(gql, db):
    await _events(gql, await make_token(Role.CENTRE_ADMIN), 3)
    events = await AuditEvent.all().order_by("id")

    # The editor recomputes every later link with the (public) unkeyed formula, as one could before keys.
    previous = events[0].previous_hash
    for event in events:
        event.summary = "伪造" if event.id == events[1].id else event.summary
        event.key_id = ""
        digest = chain_hash(previous, _record(event))
        await AuditEvent.filter(id=event.id).update(summary=event.summary, key_id="", hash=digest,
                                                    previous_hash=previous)
        previous = digest
    await AuditChainHead.filter(id=1).update(last_hash=previous)

    check = await verify_audit_chain()
    assert not check.valid


def _record(event: AuditEvent):
    from domain.audit.service import _record_of

    return _record_of(event)


async def test_an_edited_ballot_choice_or_a_deleted_correction_is_detected(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    ballot_id = pk((await cast(gql, w, item, w.members[0]))["ballot"]["id"])
    assert (await verify_audit_chain()).valid

    await Ballot.filter(id=ballot_id).update(choice="OPPOSE")
    check = await verify_audit_chain()
    assert not check.valid and any(f"ballot {ballot_id}" in p for p in check.problems)

    await Ballot.filter(id=ballot_id).update(choice="AGREE")
    data = await gql(CORRECT, {"input": {
        "ballotId": (await cast_id(ballot_id)), "choice": "OPPOSE", "reason": "纸质票录入错误"}}, token=w.staff_token)
    assert data["correctBallot"]["errors"] == []
    assert (await verify_audit_chain()).valid

    await BallotCorrection.filter(ballot_id=ballot_id).delete()
    assert not (await verify_audit_chain()).valid


async def cast_id(ballot_id: int) -> str:
    from tests.api.test_deliberation_support import gid

    return gid("Ballot", ballot_id)


async def test_a_ballot_inserted_behind_the_chain_is_detected(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    ballot_id = pk((await cast(gql, w, item, w.members[0]))["ballot"]["id"])
    row = await Ballot.get(id=ballot_id)

    await Ballot.create(item_id=row.item_id, voter_id=w.members[1].id, seat_key=f"p{w.members[1].id}",
                        choice="AGREE", cast_at=row.cast_at, evidence="")

    check = await verify_audit_chain()
    assert not check.valid and any("no audit event" in p for p in check.problems)


async def test_a_long_summary_is_stored_shortened_with_the_digest_of_its_full_text(db):
    async with atomic():
        event = await record_event(actor=Viewer.anonymous(), action="note", entity_type="Note", entity_id=1,
                                   summary="长" * 900_000, now=__import__("datetime").datetime.now(
                                       __import__("datetime").UTC))

    assert len(event.summary) < 1200 and "SHA-256" in event.summary
    assert (await verify_audit_chain()).valid
    rows = await connections.get("default").execute_query_dict("SELECT length(summary) AS n FROM audit_event")
    assert rows[0]["n"] < 1200


async def test_verify_audit_chain_names_the_problems_over_graphql(gql, db):
    admin = await make_token(Role.CENTRE_ADMIN)
    await _events(gql, admin, 2)
    await AuditEvent.filter(id=(await AuditEvent.all().order_by("-id").first()).id).delete()

    data = await gql("{ verifyAuditChain { valid checked problems } }", token=admin)

    assert data["verifyAuditChain"]["valid"] is False and data["verifyAuditChain"]["checked"] == 1
    assert any("head" in p for p in data["verifyAuditChain"]["problems"])
