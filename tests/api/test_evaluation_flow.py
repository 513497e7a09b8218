"""The quarter end to end: records → run → publish → public list → frozen → black-listed firm refused → tamper shows."""

from __future__ import annotations

from decimal import Decimal

import time_machine
from tortoise import connections

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.complaints.rules import Satisfaction
from domain.evaluation.models import Evaluation, EvaluationResult, Publication, PublicationEntry
from domain.firms.models import ServiceContract
from domain.firms.rules import PartyOrganisation
from tests import factories as f
from tests.api.test_evaluation_support import (
    PUBLISH,
    RECORD_CREDIT_EVENT,
    RECORD_INSPECTION,
    RED_BLACK_LIST,
    RUN,
    SIGN,
    VERIFY,
    order_outcome,
    shanghai,
)
from tests.conftest import make_token

AFTER_Q3 = shanghai(2026, 10, 8)


async def _quarter(gql, token):
    """Two firms in one national street with hand-computed Q3 records (see the expected figures below)."""
    street = await f.street(rule_pack="national")
    community = await f.community(street)
    c1, c2, spare = [await f.compound(community) for _ in range(3)]
    red = await f.firm("红星物业", party=PartyOrganisation.OWN_BRANCH)
    black = await f.firm("黑石物业", party=PartyOrganisation.NONE)
    await f.contract(red, c1)
    await f.contract(black, c2)
    for day, on_time in ((3, True), (10, True), (17, True), (24, False)):
        await order_outcome(red, c1, dispatched_at=shanghai(2026, 8, day), on_time=on_time)
    await order_outcome(black, c2, dispatched_at=shanghai(2026, 7, 6), on_time=True,
                        satisfaction=Satisfaction.UNSATISFIED)
    await order_outcome(black, c2, dispatched_at=shanghai(2026, 9, 7), on_time=False,
                        satisfaction=Satisfaction.UNSATISFIED)
    await order_outcome(black, c2, dispatched_at=shanghai(2026, 6, 1), on_time=False)  # Q2: not counted

    async def inspect(firm, compound, on, findings, rectify_by):
        data = await gql(RECORD_INSPECTION, {"input": {
            "firmId": f.gid("PropertyFirm", firm.id), "compoundId": f.gid("Compound", compound.id),
            "inspectedOn": on, "findings": findings, "rectifyBy": rectify_by}}, token=token)
        assert data["recordInspection"]["errors"] == []
        return data["recordInspection"]["inspection"]

    async def event(firm, kind, points, reason, on):
        data = await gql(RECORD_CREDIT_EVENT, {"input": {
            "firmId": f.gid("PropertyFirm", firm.id), "kind": kind, "points": points, "reason": reason,
            "occurredOn": on}}, token=token)
        assert data["recordCreditEvent"]["errors"] == []
        return data["recordCreditEvent"]["creditEvent"]

    await inspect(red, c1, "2026-08-20", [{"item": "绿化养护不到位", "deduction": "1.00"}], "2026-08-30")
    await inspect(black, c2, "2026-09-02", [{"item": "消防通道堵塞", "deduction": "3.50", "note": "3号楼"},
                                            {"item": "垃圾清运不及时", "deduction": "4"}], "2026-09-12")
    await event(red, "GOOD", "5", "街道表彰", "2026-08-01")
    await event(red, "GOOD", "4", "拾金不昧", "2026-07-15")
    await event(red, "BAD", "6", "2025年违规收费（已过有效期）", "2025-06-01")
    bad = await event(black, "BAD", "3", "未按规定公示收费标准", "2026-05-10")
    assert bad["validUntil"] == "2027-05-10"
    return street, red, black, spare


async def test_a_quarter_is_scored_published_frozen_and_its_black_listed_firm_refused(gql, db):
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(AFTER_Q3, tick=False):
        street, red, black, spare = await _quarter(gql, token)
        run = await gql(RUN, {"input": {"period": "2026-Q3", "streetId": f.gid("Street", street.id)}}, token=token)

        evaluation = run["runCreditEvaluation"]["evaluation"]
        assert run["runCreditEvaluation"]["errors"] == []
        assert (evaluation["period"], evaluation["scheme"], evaluation["status"]) == (
            "2026-Q3", "national@2026.2", "DRAFT")
        first, second = evaluation["results"]
        # 红星: basic 60 + 10 + 10 × 3/4 = 77.50; good 5 + 4 = 9; bad 1.00 → 85.50 AAA, no bad record → RED
        assert (first["firm"]["name"], first["score"], first["grade"], first["listing"]) == (
            "红星物业", "85.50", "AAA", "RED")
        assert {c["name"]: c["score"] for c in first["components"]} == {
            "basic": "77.50", "good": "9.00", "bad": "1.00", "inspectionDeductions": "1.00",
            "eventDeductions": "0.00", "returnVisitDeductions": "0.00"}
        assert first["complaintFigures"] == {
            "dispatched": 4, "resolvedOnTime": 3, "unsatisfiedReturnVisits": 0, "onTimeRate": "0.7500"}
        assert len(first["inspections"]) == 1 and len(first["creditEvents"]) == 2
        # 黑石: basic 60 + 10 × 1/2 = 65.00; bad 7.50 + 3 + 2 × 2 = 14.50 → 50.50 C → BLACK
        assert (second["firm"]["name"], second["score"], second["grade"], second["listing"]) == (
            "黑石物业", "50.50", "C", "BLACK")
        assert second["reasons"] == ["信用等级 C"]
        assert {c["name"]: c["score"] for c in second["components"]}["bad"] == "14.50"

        published = await gql(PUBLISH, {"input": {"evaluationId": evaluation["id"]}}, token=token)

    publication = published["publishEvaluation"]["publication"]
    assert published["publishEvaluation"]["errors"] == []
    assert publication["previousHash"] is None and len(publication["contentHash"]) == 64
    assert publication["publishedAt"].startswith("2026-10-08T02:00:00")

    public = (await gql(RED_BLACK_LIST, {"period": "2026-Q3"}))["redBlackList"]
    assert public["contentHash"] == publication["contentHash"]
    assert [(e["firm"]["name"], e["firm"]["creditCode"], e["score"], e["grade"]) for e in public["red"]] == [
        ("红星物业", red.credit_code, "85.50", "AAA")]
    assert [(e["firm"]["name"], e["score"], e["grade"], e["reasons"]) for e in public["black"]] == [
        ("黑石物业", "50.50", "C", ["信用等级 C"])]

    rerun = await gql(RUN, {"input": {"period": "2026-Q3", "streetId": f.gid("Street", street.id)}}, token=token)
    assert rerun["runCreditEvaluation"]["evaluation"] is None
    assert [e["code"] for e in rerun["runCreditEvaluation"]["errors"]] == ["ALREADY_PUBLISHED"]
    assert await EvaluationResult.filter(firm_id=black.id).values_list("score", flat=True) == [Decimal("50.50")]

    admin = await make_token(Role.CENTRE_ADMIN)
    refused = await gql(SIGN, {"input": {
        "firmId": f.gid("PropertyFirm", black.id), "compoundIds": [f.gid("Compound", spare.id)],
        "startsOn": "2027-01-01", "endsOn": "2029-12-31", "feePerSquareMetre": "2.20"}}, token=admin)
    assert refused["signServiceContract"]["contract"] is None
    assert [(e["code"], e["field"]) for e in refused["signServiceContract"]["errors"]] == [
        ("FIRM_BLACKLISTED", ["firmId"])]
    assert await ServiceContract.filter(firm_id=black.id).count() == 1

    actions = await AuditEvent.filter(action__in=["runCreditEvaluation", "publishEvaluation"]).values_list(
        "action", flat=True)
    assert sorted(actions) == ["publishEvaluation", "runCreditEvaluation"]


async def test_editing_a_published_row_in_the_database_fails_chain_verification(gql, db):
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(AFTER_Q3, tick=False):
        street, red, black, _ = await _quarter(gql, token)
        street_id = f.gid("Street", street.id)
        run = await gql(RUN, {"input": {"period": "2026-Q3", "streetId": street_id}}, token=token)
        await gql(PUBLISH, {"input": {"evaluationId": run["runCreditEvaluation"]["evaluation"]["id"]}}, token=token)
    intact = (await gql(VERIFY, {"streetId": street_id}))["verifyPublicationChain"]
    assert (intact["valid"], intact["checked"]) == (True, 1)
    assert intact["headHash"] == (await Publication.get(street_id=street.id)).content_hash

    entry = await PublicationEntry.get(firm_id=black.id)
    await connections.get("default").execute_query(
        "UPDATE publication_entry SET grade = 'B', listing = 'NONE' WHERE id = " + str(entry.id))

    broken = (await gql(VERIFY, {"streetId": street_id}))["verifyPublicationChain"]
    assert (broken["valid"], broken["brokenPeriod"], broken["problem"]) == (
        False, "2026-Q3", "content does not match its stored hash")


async def test_a_second_publication_chains_to_the_first(gql, db):
    token = await make_token(Role.CENTRE_STAFF)
    street = await f.street(rule_pack="national")
    firm = await f.firm()
    await f.contract(firm, await f.compound(await f.community(street)))
    hashes = []
    for period, when in (("2026-Q2", shanghai(2026, 7, 5)), ("2026-Q3", AFTER_Q3)):
        with time_machine.travel(when, tick=False):
            run = await gql(RUN, {"input": {"period": period, "streetId": f.gid("Street", street.id)}}, token=token)
            data = await gql(PUBLISH, {"input": {"evaluationId": run["runCreditEvaluation"]["evaluation"]["id"]}},
                             token=token)
        hashes.append(data["publishEvaluation"]["publication"])

    assert hashes[1]["previousHash"] == hashes[0]["contentHash"]
    check = (await gql(VERIFY, {"streetId": f.gid("Street", street.id)}))["verifyPublicationChain"]
    assert (check["valid"], check["checked"]) == (True, 2)
    assert await Evaluation.filter(street_id=street.id, status="PUBLISHED").count() == 2
