"""How the contract's notice-board operations are called (owner/owner-app.graphql, console/notifications.graphql)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.accounts.models import Account
from domain.accounts.rules import Role, Viewer
from domain.accounts.service import viewer_of
from domain.complaints import service
from domain.complaints.rules import Channel, Kind, Urgency
from domain.disclosures.rules import DisclosureKind
from domain.disclosures.service import DisclosureDraft, publish_disclosure
from tests.conftest import make_token
from tests.contract.scenario import Call, Scenario, call
from tests.factories import gid

CENTRE = Viewer(account_id=None, username="contract", roles=frozenset({Role.CENTRE_ADMIN}))


async def owner_token(s: Scenario) -> str:
    """The first owner of the scenario's compound, signed in (the owners' app)."""
    if "owner_token" not in s.extra:
        s.extra["owner_token"] = await make_token(Role.OWNER, username="contract-owner", person_id=s.owners[0].id)
    return s.extra["owner_token"]


async def resolved_order_of_owner(s: Scenario) -> int:
    now = datetime.now(UTC)
    owner = s.owners[0]
    draft = service.ComplaintDraft(
        compound_id=s.compound.id, channel=Channel.ONLINE, kind=Kind.COMPLAINT, category="电梯",
        urgency=Urgency.ORDINARY, title="电梯异响", description="2号楼电梯运行异响", complainant_name=owner.name,
        complainant_phone=owner.phone, external_ref=None, received_at=now, complainant_person_id=owner.id)
    order = await service.file_complaint(actor=CENTRE, draft=draft, now=now)
    firm = Viewer(account_id=None, username="contract-firm", roles=frozenset({Role.FIRM_STAFF}), firm_id=s.firm.id)
    await service.accept_complaint(actor=CENTRE, complaint_id=order.id, note="", now=now)
    await service.dispatch_complaint(actor=CENTRE, complaint_id=order.id, handler_id=s.firm.body_id, note="", now=now)
    await service.acknowledge_complaint(actor=firm, complaint_id=order.id, note="", now=now)
    await service.resolve_complaint(actor=firm, complaint_id=order.id, resolution="已更换导靴", now=now)
    return order.id


@call("CompoundNoticeBoard")
async def _notice_board(s: Scenario) -> Call:
    token = await owner_token(s)
    admin = viewer_of(await Account.get(username="contract-admin"))
    await publish_disclosure(actor=admin, now=datetime.now(UTC), draft=DisclosureDraft(
        compound_id=s.compound.id, kind=DisclosureKind.FEE_STANDARDS, title="物业服务收费标准", period="2026",
        body="住宅 1.80 元/平方米·月"))
    return Call({"compoundId": gid("Compound", s.compound.id), "first": 10}, token)


@call("MyComplaints")
async def _my_complaints(s: Scenario) -> Call:
    token = await owner_token(s)
    await resolved_order_of_owner(s)
    return Call({"first": 10}, token)


@call("RateMyComplaint")
async def _rate(s: Scenario) -> Call:
    token = await owner_token(s)
    order_id = await resolved_order_of_owner(s)
    return Call({"input": {"complaintId": gid("Complaint", order_id), "solved": True,
                           "satisfaction": "SATISFIED", "note": "满意"}}, token)


@call("MyNotifications")
async def _notifications(s: Scenario) -> Call:
    token = await owner_token(s)
    await resolved_order_of_owner(s)  # the owner hears of acceptance, dispatch and resolution
    return Call({"first": 2}, token)


@call("OutboxMessages")
async def _outbox(s: Scenario) -> Call:
    await resolved_order_of_owner(s)
    return Call({"first": 10, "recipient": s.owners[0].phone}, s.tokens[Role.CENTRE_ADMIN])
