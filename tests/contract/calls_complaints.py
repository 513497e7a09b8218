"""How the contract's complaint operations are called (console/complaints.graphql)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.accounts.rules import Role, Viewer
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind
from domain.complaints import service
from domain.complaints.rules import Channel, Kind, Satisfaction, Urgency
from tests.contract.scenario import Call, Scenario, call
from tests.factories import gid

CENTRE = Viewer(account_id=None, username="contract", roles=frozenset({Role.CENTRE_ADMIN}))
STAGES = ["RECEIVED", "ACCEPTED", "DISPATCHED", "IN_PROGRESS", "RESOLVED", "RETURN_VISITED"]


async def _order(s: Scenario, stage: str) -> int:
    """An order of the scenario's compound, moved through the loop up to `stage`."""
    now = datetime.now(UTC)
    draft = service.ComplaintDraft(
        compound_id=s.compound.id, channel=Channel.HOTLINE_12345, kind=Kind.COMPLAINT, category="电梯",
        urgency=Urgency.ORDINARY, title="电梯停运", description="2号楼电梯停运", complainant_name="业主1",
        complainant_phone="13812345678", external_ref="12345-0001", received_at=now,
    )
    order = await service.file_complaint(actor=CENTRE, draft=draft, now=now)
    firm = Viewer(account_id=None, username="contract-firm", roles=frozenset({Role.FIRM_STAFF}), firm_id=s.firm.id)
    steps = STAGES[1 : STAGES.index(stage) + 1]
    for step in steps:
        if step == "ACCEPTED":
            await service.accept_complaint(actor=CENTRE, complaint_id=order.id, note="", now=now)
        elif step == "DISPATCHED":
            await service.dispatch_complaint(actor=CENTRE, complaint_id=order.id, handler_id=s.firm.body_id,
                                             note="", now=now)
        elif step == "IN_PROGRESS":
            await service.acknowledge_complaint(actor=firm, complaint_id=order.id, note="", now=now)
        elif step == "RESOLVED":
            await service.resolve_complaint(actor=firm, complaint_id=order.id, resolution="已修复", now=now)
        elif step == "RETURN_VISITED":
            visit = service.VisitDraft(reached=True, solved=True, satisfaction=Satisfaction.SATISFIED, note="")
            await service.record_return_visit(actor=CENTRE, complaint_id=order.id, visit=visit, now=now)
    return order.id


def street_staff(s: Scenario, variables: dict[str, object]) -> Call:
    return Call(variables, s.tokens[Role.STREET_STAFF])


def firm_staff(s: Scenario, variables: dict[str, object]) -> Call:
    return Call(variables, s.tokens[Role.FIRM_STAFF])


@call("FileComplaint")
async def _file(s: Scenario) -> Call:
    return street_staff(s, {"input": {
        "compoundId": gid("Compound", s.compound.id), "channel": "HOTLINE_12345", "kind": "COMPLAINT",
        "category": "电梯", "urgency": "ORDINARY", "title": "3号楼电梯停运", "description": "停运两天",
        "complainant": {"name": "业主1", "phone": "13812345678"}, "externalRef": "12345-20261121-0007",
        "receivedAt": "2026-01-05T09:00:00+08:00",
    }})


@call("AcceptComplaint")
async def _accept(s: Scenario) -> Call:
    return street_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "RECEIVED")), "note": "属实"}})


@call("RejectComplaint")
async def _reject(s: Scenario) -> Call:
    return street_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "RECEIVED")),
                                      "reason": "属于商品房质量纠纷", "redirectTo": "区住房城乡建设委"}})


@call("DispatchComplaint")
async def _dispatch(s: Scenario) -> Call:
    return street_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "ACCEPTED")),
                                      "handlerId": gid("PropertyFirm", s.firm.id), "note": "请物业处理"}})


@call("AcknowledgeComplaint")
async def _acknowledge(s: Scenario) -> Call:
    return firm_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "DISPATCHED")),
                                    "note": "已签收并电话联系"}})


@call("ResolveComplaint")
async def _resolve(s: Scenario) -> Call:
    return firm_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "IN_PROGRESS")),
                                    "resolution": "已更换控制板"}})


@call("RecordReturnVisit")
async def _return_visit(s: Scenario) -> Call:
    return street_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "RESOLVED")),
                                      "reached": True, "solved": True, "satisfaction": "SATISFIED", "note": ""}})


@call("CloseComplaint")
async def _close(s: Scenario) -> Call:
    return street_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "RETURN_VISITED")),
                                      "note": "销号"}})


@call("EscalateComplaint")
async def _escalate(s: Scenario) -> Call:
    committee = await Body.get(kind=BodyKind.RESIDENTS_COMMITTEE, community_id=s.community.id)
    return firm_staff(s, {"input": {"complaintId": gid("Complaint", await _order(s, "DISPATCHED")),
                                    "toBodyId": gid("Organisation", committee.id), "reason": "需社区协调业主"}})


@call("ComplaintTimeline")
async def _timeline(s: Scenario) -> Call:
    return street_staff(s, {"id": gid("Complaint", await _order(s, "RESOLVED"))})


@call("ComplaintLedger")
async def _ledger(s: Scenario) -> Call:
    await _order(s, "DISPATCHED")
    return street_staff(s, {"filter": {"status": ["DISPATCHED"], "compoundId": gid("Compound", s.compound.id)},
                            "first": 20})


@call("ComplaintKpis")
async def _kpis(s: Scenario) -> Call:
    await _order(s, "RETURN_VISITED")
    period = f"{datetime.now(UTC).year}"
    return street_staff(s, {"scopeId": gid("Street", s.street.id), "period": period})
