"""runCreditEvaluation and publishEvaluation: typed errors, authorization, re-runs, Beijing's relative grading."""

from __future__ import annotations

import asyncio

import pytest
import time_machine

from domain.accounts.rules import Role
from domain.evaluation.models import CreditEvent, Evaluation, EvaluationResult, Inspection, Publication
from domain.evaluation.scoring import CreditEventKind
from domain.firms.rules import PartyOrganisation
from tests import factories as f
from tests.api.test_evaluation_support import PUBLISH, RED_BLACK_LIST, RUN, shanghai
from tests.conftest import make_token

AFTER_Q3 = shanghai(2026, 10, 8)


async def _street_with_firm(rule_pack="national"):
    street = await f.street(rule_pack=rule_pack)
    firm = await f.firm("评价物业")
    await f.contract(firm, await f.compound(await f.community(street)))
    return street, firm


def _run(street_id, period="2026-Q3"):
    return {"input": {"period": period, "streetId": street_id}}


@pytest.mark.parametrize(
    ("_case", "rule_pack", "period", "code"),
    [
        ("half-year under a quarterly scheme", "national", "2026-H1", "INVALID"),
        ("year under a quarterly scheme", "shandong", "2026", "INVALID"),
        ("quarter under Beijing's half-yearly scheme", "beijing", "2026-Q3", "INVALID"),
        ("a quarter that has not begun", "national", "2027-Q1", "INVALID"),
    ],
)
async def test_a_period_the_scheme_cannot_evaluate_is_refused(gql, db, _case, rule_pack, period, code):
    street, _ = await _street_with_firm(rule_pack)
    token = await make_token(Role.CENTRE_STAFF)

    with time_machine.travel(AFTER_Q3, tick=False):
        data = (await gql(RUN, _run(f.gid("Street", street.id), period), token=token))["runCreditEvaluation"]

    assert data["evaluation"] is None
    assert [(e["code"], e["field"]) for e in data["errors"]] == [(code, ["period"])]
    assert await Evaluation.all().count() == 0


async def test_an_unknown_street_is_not_found(gql, db):
    token = await make_token(Role.CENTRE_STAFF)

    data = (await gql(RUN, _run(f.gid("Street", 424242)), token=token))["runCreditEvaluation"]

    assert [(e["code"], e["field"]) for e in data["errors"]] == [("NOT_FOUND", ["streetId"])]


@pytest.mark.parametrize("role", [None, Role.STREET_STAFF, Role.COMMUNITY_STAFF, Role.FIRM_STAFF, Role.OWNER])
async def test_only_the_centre_runs_and_publishes_evaluations(gql, db, role):
    street, _ = await _street_with_firm()
    token = await make_token(role, street_id=street.id) if role else None

    with time_machine.travel(AFTER_Q3, tick=False):
        ran = await gql(RUN, _run(f.gid("Street", street.id)), token=token, expect_errors=True)
        published = await gql(PUBLISH, {"input": {"evaluationId": f.gid("Evaluation", 1)}}, token=token,
                              expect_errors=True)

    assert [e["code"] for e in ran["data"]["runCreditEvaluation"]["errors"]] == ["FORBIDDEN"]
    assert [e["code"] for e in published["data"]["publishEvaluation"]["errors"]] == ["FORBIDDEN"]
    assert await Evaluation.all().count() == 0


async def test_a_rerun_replaces_the_results_until_publication(gql, db):
    street, firm = await _street_with_firm()
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(AFTER_Q3, tick=False):
        first = (await gql(RUN, _run(f.gid("Street", street.id)), token=token))["runCreditEvaluation"]
        await CreditEvent.create(firm_id=firm.id, kind=CreditEventKind.GOOD, points="5", reason="表彰",
                                 occurred_on="2026-08-01", valid_until="2027-08-01", created_at=AFTER_Q3)

        second = (await gql(RUN, _run(f.gid("Street", street.id)), token=token))["runCreditEvaluation"]

    assert first["evaluation"]["id"] == second["evaluation"]["id"]
    assert [r["score"] for r in first["evaluation"]["results"]] == ["80.00"]
    assert [(r["score"], r["grade"], r["listing"]) for r in second["evaluation"]["results"]] == [
        ("85.00", "AAA", "RED")]
    assert await EvaluationResult.all().count() == 1


async def test_publishing_twice_is_refused_and_keeps_the_first_publication(gql, db):
    street, _ = await _street_with_firm()
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(AFTER_Q3, tick=False):
        run = (await gql(RUN, _run(f.gid("Street", street.id)), token=token))["runCreditEvaluation"]
        variables = {"input": {"evaluationId": run["evaluation"]["id"]}}
        first = (await gql(PUBLISH, variables, token=token))["publishEvaluation"]

        second = (await gql(PUBLISH, variables, token=token))["publishEvaluation"]

    assert second["publication"] is None
    assert [e["code"] for e in second["errors"]] == ["ALREADY_PUBLISHED"]
    assert await Publication.all().values_list("content_hash", flat=True) == [first["publication"]["contentHash"]]


async def test_a_period_cannot_be_published_before_it_ends(gql, db):
    street, _ = await _street_with_firm()
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(shanghai(2026, 9, 20), tick=False):
        run = (await gql(RUN, _run(f.gid("Street", street.id)), token=token))["runCreditEvaluation"]

        data = (await gql(PUBLISH, {"input": {"evaluationId": run["evaluation"]["id"]}}, token=token))[
            "publishEvaluation"]

    assert [(e["code"], e["field"]) for e in data["errors"]] == [("INVALID", ["evaluationId"])]
    assert await Publication.all().count() == 0
    assert (await Evaluation.get()).status == "DRAFT"


async def test_an_unpublished_period_has_no_public_list(gql, db):
    street, _ = await _street_with_firm()
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(AFTER_Q3, tick=False):
        await gql(RUN, _run(f.gid("Street", street.id)), token=token)

    assert (await gql(RED_BLACK_LIST, {"period": "2026-Q3"}))["redBlackList"] is None


async def test_beijing_grades_relatively_and_weighs_a_multi_compound_firm_by_households(gql, db):
    street = await f.street(rule_pack="beijing")
    community = await f.community(street)
    big, small, other = [await f.compound(community) for _ in range(3)]
    for compound, households in ((big, 4), (small, 2), (other, 1)):
        for _ in range(households):
            await f.unit(compound)
    multi = await f.firm("多项目物业", party=PartyOrganisation.OWN_BRANCH)
    single = await f.firm("单项目物业", party=PartyOrganisation.NONE)
    await f.contract(multi, big, small)
    await f.contract(single, other)
    await Inspection.create(firm_id=multi.id, compound_id=small.id, inspected_on="2026-08-01",
                            total_deduction="30", rectify_by="2026-08-10", created_at=AFTER_Q3)

    with time_machine.travel(shanghai(2027, 1, 5), tick=False):
        token = await make_token(Role.CENTRE_STAFF)
        data = (await gql(RUN, _run(f.gid("Street", street.id), "2026-H2"), token=token))["runCreditEvaluation"]

    results = data["evaluation"]["results"]
    assert data["evaluation"]["scheme"] == "beijing@2026.2"
    # multi: big 80, small 80 − 30 = 50, weighted (80 × 4 + 50 × 2) / 6 = 70.00; single: 70.00
    # two ranked firms: A round(0.4) = 0, B round(1.0) = 1, C 0, D the rest; the tie shares B
    assert sorted((r["firm"]["name"], r["score"], r["grade"], r["listing"]) for r in results) == [
        ("单项目物业", "70.00", "B", "NONE"), ("多项目物业", "70.00", "B", "NONE")]


async def test_concurrent_publications_of_one_evaluation_leave_exactly_one(gql, db):
    street, _ = await _street_with_firm()
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(AFTER_Q3, tick=False):
        run = (await gql(RUN, _run(f.gid("Street", street.id)), token=token))["runCreditEvaluation"]
        variables = {"input": {"evaluationId": run["evaluation"]["id"]}}

        results = await asyncio.gather(*(gql(PUBLISH, variables, token=token) for _ in range(3)))

    codes = sorted(e["code"] for r in results for e in r["publishEvaluation"]["errors"])
    assert codes == ["ALREADY_PUBLISHED", "ALREADY_PUBLISHED"]
    assert await Publication.all().count() == 1


async def test_the_publication_history_of_a_street_is_public_newest_first(gql, db):
    street, _ = await _street_with_firm()
    token = await make_token(Role.CENTRE_STAFF)
    for period, when in (("2026-Q2", shanghai(2026, 7, 3)), ("2026-Q3", AFTER_Q3)):
        with time_machine.travel(when, tick=False):
            run = (await gql(RUN, _run(f.gid("Street", street.id), period), token=token))["runCreditEvaluation"]
            await gql(PUBLISH, {"input": {"evaluationId": run["evaluation"]["id"]}}, token=token)

    data = await gql("""query($id: ID!) { publicationHistory(streetId: $id, first: 10) {
        totalCount edges { node { period sequence previousHash contentHash } } } }""",
                     {"id": f.gid("Street", street.id)})

    history = data["publicationHistory"]
    assert history["totalCount"] == 2
    newest, oldest = (e["node"] for e in history["edges"])
    assert (newest["period"], newest["sequence"], oldest["period"], oldest["sequence"]) == ("2026-Q3", 2, "2026-Q2", 1)
    assert newest["previousHash"] == oldest["contentHash"] and oldest["previousHash"] is None
