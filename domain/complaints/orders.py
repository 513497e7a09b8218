"""Loading one order with what decides access, and writing one step of its lifecycle.

Every step is `UPDATE ... WHERE id = :id AND status = :expected AND version = :read` (a concurrent step makes
the row count 0 and this one fails), one append-only timeline event and one audit event, in the caller's
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.accounts.rules import Role, Viewer
from domain.audit.service import record_event
from domain.bodies.models import Body
from domain.complaints.access import BodyRef, OrderPlace, capabilities
from domain.complaints.models import Complaint, ComplaintEvent
from domain.complaints.rules import Action, Capability, Status, authorize, transition
from domain.errors import ErrorCode, RuleViolation
from domain.firms.models import PropertyFirm
from domain.geography.models import Street
from domain.notifications import events as notices
from domain.rulepacks import RulePack, resolve_reference, rule_pack

AUDIT_NAMES = {
    Action.FILE: "fileComplaint",
    Action.ACCEPT: "acceptComplaint",
    Action.REJECT: "rejectComplaint",
    Action.DISPATCH: "dispatchComplaint",
    Action.ACKNOWLEDGE: "acknowledgeComplaint",
    Action.EXTEND: "extendComplaint",
    Action.ESCALATE: "escalateComplaint",
    Action.REPORT: "reportComplaintProgress",
    Action.RESOLVE: "resolveComplaint",
    Action.RETURN_VISIT: "recordReturnVisit",
    Action.REOPEN: "recordReturnVisit",
    Action.LOG_UNREACHED_VISIT: "recordReturnVisit",
    Action.CLOSE: "closeComplaint",
    Action.CLOSE_UNREACHED: "closeComplaint",
    Action.MERGE: "mergeComplaints",
    Action.ABSORB_DUPLICATE: "mergeComplaints",
}


def complaint_not_found(field: str = "complaintId") -> RuleViolation:
    return RuleViolation(ErrorCode.NOT_FOUND, "工单不存在", field, en="No such complaint")


def body_ref(body: Body | None) -> BodyRef | None:
    if body is None:
        return None
    return BodyRef(id=body.id, kind=str(body.kind), street_id=body.street_id, community_id=body.community_id)


def order_place(complaint: Complaint, bodies: dict[int, Body]) -> OrderPlace:
    return OrderPlace(
        street_id=complaint.street_id,
        community_id=complaint.community_id,
        compound_id=complaint.compound_id,
        complainant_person_id=complaint.complainant_person_id,
        handler=body_ref(bodies.get(complaint.handler_id)) if complaint.handler_id else None,
        accountable=body_ref(bodies.get(complaint.accountable_id)) if complaint.accountable_id else None,
        escalation_level=complaint.escalation_level,
    )


async def firm_body_id_of(viewer: Viewer) -> int | None:
    if Role.FIRM_STAFF not in viewer.roles or viewer.firm_id is None:
        return None
    ids = await PropertyFirm.filter(id=viewer.firm_id).values_list("body_id", flat=True)
    return ids[0] if ids else None


async def bodies_of(complaints: list[Complaint]) -> dict[int, Body]:
    ids = {i for c in complaints for i in (c.handler_id, c.accountable_id) if i is not None}
    return {b.id: b for b in await Body.filter(id__in=ids)} if ids else {}


@dataclass
class LoadedOrder:
    complaint: Complaint
    place: OrderPlace
    capabilities: frozenset[Capability]


async def load_order(complaint_id: int, *, actor: Viewer, field: str = "complaintId") -> LoadedOrder:
    """The order as this actor may act on it; NOT_FOUND when the actor may not even see it."""
    complaint = await Complaint.select_for_update().get_or_none(id=complaint_id)
    if complaint is None:
        raise complaint_not_found(field)
    place = order_place(complaint, await bodies_of([complaint]))
    held = capabilities(actor, place, firm_body_id=await firm_body_id_of(actor))
    if not held and not (actor.person_id is not None and actor.person_id == complaint.complainant_person_id):
        raise complaint_not_found(field)
    return LoadedOrder(complaint, place, held)


def recorded_pack_of(complaint: Complaint) -> RulePack | None:
    """The released pack version the order's deadline was set under (None before its first dispatch)."""
    return resolve_reference(complaint.rule_pack) if complaint.rule_pack else None


async def pack_of(complaint: Complaint) -> RulePack:
    """The street's current pack: what a new deadline (dispatch, reopening) is set under."""
    names = await Street.filter(id=complaint.street_id).values_list("rule_pack", flat=True)
    pack = rule_pack(names[0]) if names else None
    if pack is None:
        raise RuleViolation(
            ErrorCode.UNKNOWN_RULE_PACK, "街道未选定有效的规则包", "complaintId", en="The street has no valid rule pack"
        )
    return pack


async def append_event(
    complaint: Complaint,
    action: Action,
    *,
    from_status: Status | None,
    actor: Viewer,
    now: datetime,
    note: str = "",
    related_complaint_id: int | None = None,
    audited: bool = True,
) -> ComplaintEvent:
    event = await ComplaintEvent.create(
        complaint_id=complaint.id,
        at=now,
        action=action,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
        actor_id=actor.account_id,
        actor_username=actor.username,
        handler_id=complaint.handler_id,
        due_at=complaint.due_at,
        rule_pack=complaint.rule_pack,
        related_complaint_id=related_complaint_id,
    )
    if not audited:  # a step inside a larger use case, which writes the one audit event itself
        return event
    summary = f"工单 {complaint.number}：{action.value} {from_status or '-'} → {complaint.status.value}"
    await record_event(
        actor=actor, action=AUDIT_NAMES[action], entity_type="Complaint", entity_id=complaint.id,
        summary=summary + (f"（{note}）" if note else ""), now=now,
    )
    return event


async def move(
    order: LoadedOrder | Complaint,
    action: Action,
    *,
    actor: Viewer,
    now: datetime,
    note: str = "",
    changes: dict[str, Any] | None = None,
    authorized: bool = False,
    related_complaint_id: int | None = None,
    audited: bool = True,
) -> Complaint:
    """One step of the table; `authorized` only for steps the system takes as part of another (merge, bulk)."""
    complaint = order.complaint if isinstance(order, LoadedOrder) else order
    before = complaint.status
    # the actor can see the order (else NOT_FOUND), so the state is no secret: an impossible move says so first
    target = transition(before, action)
    if not authorized:
        assert isinstance(order, LoadedOrder)
        authorize(action, order.capabilities)
    values = {"status": target, "version": complaint.version + 1, **(changes or {})}
    updated = await Complaint.filter(id=complaint.id, status=before, version=complaint.version).update(**values)
    if updated != 1:
        raise RuleViolation(
            ErrorCode.INVALID_TRANSITION,
            "工单刚被他人处理，请刷新后重试",
            "complaintId",
            en="Someone else moved this complaint just now; reload and retry",
        )
    for name, value in values.items():
        setattr(complaint, name, value)
    event = await append_event(
        complaint, action, from_status=before, actor=actor, now=now, note=note,
        related_complaint_id=related_complaint_id, audited=audited,
    )
    await notices.complaint_progressed(
        complaint_id=complaint.id, number=complaint.number, title=complaint.title,
        person_id=complaint.complainant_person_id, phone=complaint.complainant_phone, action=action.value,
        event_id=event.id, note=note, now=now,
    )
    return complaint
