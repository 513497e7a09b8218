"""How the contract's evaluation operations are called (console/evaluation.graphql, public/red-black-list.graphql)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.accounts.rules import Role, Viewer
from domain.evaluation.runs import publish_evaluation, run_credit_evaluation
from tests.contract.scenario import Call, Scenario, admin, call
from tests.factories import gid

CENTRE = Viewer(account_id=None, username="contract", roles=frozenset({Role.CENTRE_ADMIN}))


async def _evaluated(s: Scenario) -> int:
    evaluation = await run_credit_evaluation(actor=CENTRE, period="2026-Q3", street_id=s.street.id,
                                             now=datetime.now(UTC))
    return evaluation.id


@call("RecordInspection")
async def _record_inspection(s: Scenario) -> Call:
    return Call({"input": {
        "firmId": gid("PropertyFirm", s.firm.id), "compoundId": gid("Compound", s.compound.id),
        "inspectedOn": "2026-08-20", "rectifyBy": "2026-08-30",
        "findings": [{"item": "消防通道堵塞", "deduction": "2.50", "note": "3号楼东侧"}],
    }}, s.tokens[Role.CENTRE_STAFF])


@call("RecordCreditEvent")
async def _record_credit_event(s: Scenario) -> Call:
    return Call({"input": {
        "firmId": gid("PropertyFirm", s.firm.id), "kind": "GOOD", "points": "3", "reason": "街道表彰",
        "occurredOn": "2026-09-01", "validUntil": "2027-09-01",
    }}, s.tokens[Role.CENTRE_STAFF])


@call("RunCreditEvaluation")
async def _run(s: Scenario) -> Call:
    return admin(s, {"input": {"period": "2026-Q3", "streetId": gid("Street", s.street.id)}})


@call("PublishEvaluation")
async def _publish(s: Scenario) -> Call:
    return admin(s, {"input": {"evaluationId": gid("Evaluation", await _evaluated(s))}})


@call("GovernanceOverview")
async def _overview(s: Scenario) -> Call:
    return admin(s, {"scopeId": gid("Street", s.street.id)})


@call("RedBlackList")
async def _red_black_list(s: Scenario) -> Call:
    await publish_evaluation(actor=CENTRE, evaluation_id=await _evaluated(s), now=datetime.now(UTC))
    return Call({"period": "2026-Q3"}, None)
