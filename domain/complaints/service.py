"""Use cases of the complaint loop: load → rule → write, one transaction each, timeline and audit inside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F

from domain.access.jurisdiction import require_person_in_jurisdiction
from domain.accounts.rules import Role, Viewer, in_jurisdiction
from domain.attachments.rules import OwnerKind
from domain.attachments.service import attach
from domain.bodies.models import Body
from domain.complaints.access import RUNG_BY_KIND
from domain.complaints.deadlines import handling_due_for
from domain.complaints.escalation import check_escalation
from domain.complaints.models import Complaint, ComplaintCounter, ReturnVisitRecord
from domain.complaints.numbering import complaint_number, numbering_year
from domain.complaints.orders import LoadedOrder, append_event, load_order, move, pack_of
from domain.complaints.rules import (
    Action,
    Channel,
    Intake,
    Kind,
    ReturnVisit,
    Satisfaction,
    Status,
    Urgency,
    check_extension,
    check_intake,
    authorize,
    check_rejection,
    close_action,
    return_visit_action,
)
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Compound, Ownership, Person
from domain.geography.service import compound_scope, not_found
from domain.geography.rules import required_text
from domain.audit.service import record_event
from domain.transaction import atomic


@dataclass(frozen=True)
class ComplaintDraft:
    compound_id: int
    channel: Channel
    kind: Kind
    category: str
    urgency: Urgency
    title: str
    description: str
    complainant_name: str
    complainant_phone: str | None
    external_ref: str | None
    received_at: datetime
    complainant_person_id: int | None = None
    attachment_ids: tuple[int, ...] = ()


async def _next_sequence(year: int) -> int:
    # INSERT ... ON CONFLICT DO NOTHING, then the UPDATE's row lock (PostgreSQL) or the IMMEDIATE write
    # transaction (SQLite) serialises concurrent intake; a failed INSERT would abort a PostgreSQL transaction.
    await ComplaintCounter.bulk_create([ComplaintCounter(year=year, last_sequence=0)], ignore_conflicts=True)
    await ComplaintCounter.filter(year=year).update(last_sequence=F("last_sequence") + 1)
    return (await ComplaintCounter.get(year=year)).last_sequence


async def _owns_in(person_id: int | None, compound_id: int) -> bool:
    if person_id is None:
        return False
    return await Ownership.filter(person_id=person_id, unit__compound_id=compound_id).exists()


async def file_complaint(*, actor: Viewer, draft: ComplaintDraft, now: datetime) -> Complaint:
    check_intake(Intake(draft.title, draft.received_at, draft.complainant_phone), now=now)
    category = required_text(draft.category, field="category", label="类别")
    async with atomic():
        compound = await Compound.get_or_none(id=draft.compound_id)
        if compound is None:
            raise not_found("小区", "compoundId")
        person_id = draft.complainant_person_id
        if person_id is not None and not await Person.exists(id=person_id):
            raise not_found("诉求人", "complainantPersonId")
        if not in_jurisdiction(actor, compound_scope(compound)):
            # an owner files for themself, about a compound where they own a unit
            if Role.OWNER not in actor.roles or not await _owns_in(actor.person_id, compound.id):
                raise RuleViolation(ErrorCode.FORBIDDEN, "无权为该小区登记诉求", "compoundId",
                                    en="You may not file complaints for this compound")
            person_id = actor.person_id
        elif person_id is not None:
            # Filing links the person to this territory (and opens their record to its staff): issue 15 item 3.
            await require_person_in_jurisdiction(actor, person_id, "complainantPersonId")
        year = numbering_year(now)
        sequence = await _next_sequence(year)
        complaint = await Complaint.create(
            number=complaint_number(year, sequence), year=year, sequence=sequence,
            compound_id=compound.id, community_id=compound.community_id, street_id=compound.street_id,
            channel=draft.channel, kind=draft.kind, category=category, urgency=draft.urgency,
            title=draft.title.strip(), description=draft.description.strip(),
            complainant_name=draft.complainant_name.strip(),
            complainant_phone=(draft.complainant_phone or "").replace(" ", "") or None,
            complainant_person_id=person_id, external_ref=(draft.external_ref or "").strip() or None,
            received_at=draft.received_at, filed_at=now, status=Status.RECEIVED,
        )
        note = f"{draft.channel.value}" + (f" {complaint.external_ref}" if complaint.external_ref else "")
        await append_event(complaint, Action.FILE, from_status=None, actor=actor, now=now, note=note)
        # Photos of the problem, uploaded first by the person filing (issue 13).
        await attach(actor=actor, attachment_ids=draft.attachment_ids, owner_kind=OwnerKind.COMPLAINT,
                     owner_id=complaint.id, now=now)
    return complaint


async def accept_complaint(*, actor: Viewer, complaint_id: int, note: str, now: datetime) -> Complaint:
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        return await move(order, Action.ACCEPT, actor=actor, now=now, note=note)


async def reject_complaint(
    *, actor: Viewer, complaint_id: int, reason: str, redirect_to: str, now: datetime
) -> Complaint:
    check_rejection(reason=reason, redirect_to=redirect_to)
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        changes = {"reject_reason": reason.strip(), "redirect_to": redirect_to.strip()}
        return await move(order, Action.REJECT, actor=actor, now=now, note=f"{reason}；请向{redirect_to}反映",
                          changes=changes)


async def dispatch_complaint(
    *, actor: Viewer, complaint_id: int, handler_id: int, note: str, now: datetime
) -> Complaint:
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        handler = await Body.get_or_none(id=handler_id)
        if handler is None:
            raise not_found("承办单位", "handlerId")
        complaint = order.complaint
        pack = await pack_of(complaint)
        due = handling_due_for(now, complaint.urgency, pack.complaints)
        changes = {
            "handler_id": handler.id,
            "accountable_id": complaint.accountable_id or handler.id,
            "dispatched_at": now,
            "acknowledged_at": None,
            "due_at": due.at,
            "due_provisional": due.provisional,
            "rule_pack": pack.reference,
        }
        return await move(order, Action.DISPATCH, actor=actor, now=now, note=note or handler.name, changes=changes)


async def acknowledge_complaint(*, actor: Viewer, complaint_id: int, note: str, now: datetime) -> Complaint:
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        return await move(order, Action.ACKNOWLEDGE, actor=actor, now=now, note=note,
                          changes={"acknowledged_at": now})


async def extend_complaint(
    *, actor: Viewer, complaint_id: int, due_at: datetime, reason: str, now: datetime
) -> Complaint:
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        check_extension(reason=reason, current_due_at=order.complaint.due_at, new_due_at=due_at, now=now)
        return await move(order, Action.EXTEND, actor=actor, now=now, note=reason.strip(),
                          changes={"due_at": due_at, "due_provisional": False})  # a date set by a person


async def report_progress(*, actor: Viewer, complaint_id: int, note: str, now: datetime) -> Complaint:
    """A co-handler's report lands on the accountable unit's order timeline (首接负责)."""
    note = required_text(note, field="note", label="进展")
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        return await move(order, Action.REPORT, actor=actor, now=now, note=note)


async def resolve_complaint(*, actor: Viewer, complaint_id: int, resolution: str, now: datetime) -> Complaint:
    resolution = required_text(resolution, field="resolution", label="办理结果")
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        return await move(order, Action.RESOLVE, actor=actor, now=now, note=resolution,
                          changes={"resolved_at": now, "resolution": resolution})


async def escalate_complaint(
    *, actor: Viewer, complaint_id: int, to_body_id: int, reason: str, now: datetime, system: bool = False
) -> Complaint:
    async with atomic():
        order = await load_order(complaint_id, actor=actor) if not system else None
        complaint = order.complaint if order else await Complaint.select_for_update().get(id=complaint_id)
        target = await Body.get_or_none(id=to_body_id)
        if target is None:
            raise not_found("单位", "toBodyId")
        current = await Body.get_or_none(id=complaint.handler_id) if complaint.handler_id else None
        check_escalation(
            current=RUNG_BY_KIND.get(str(current.kind)) if current else None,
            target=RUNG_BY_KIND.get(str(target.kind)),
            reason=reason,
        )
        _check_serves_territory(target, complaint)
        changes = {
            "handler_id": target.id,
            "escalation_level": complaint.escalation_level + 1,
            "escalated_at": now,
        }
        return await move(order or complaint, Action.ESCALATE, actor=actor, now=now,
                          note=f"吹哨至{target.name}：{reason.strip()}", changes=changes, authorized=system)


def _check_serves_territory(body: Body, complaint: Complaint) -> None:
    wrong = (body.community_id is not None and body.community_id != complaint.community_id) or (
        body.community_id is None and body.street_id is not None and body.street_id != complaint.street_id
    )
    if wrong:
        raise RuleViolation(ErrorCode.INVALID, "该单位不负责此小区", "toBodyId",
                            en="That unit does not serve this compound")


@dataclass(frozen=True)
class VisitDraft:
    reached: bool
    solved: bool | None
    satisfaction: Satisfaction | None
    note: str


async def record_return_visit(
    *, actor: Viewer, complaint_id: int, visit: VisitDraft, now: datetime
) -> Complaint:
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        return await apply_return_visit(order, visit, actor=actor, now=now)


async def apply_return_visit(order: LoadedOrder | Complaint, visit: VisitDraft, *, actor: Viewer, now: datetime,
                             by_complainant: bool = False) -> Complaint:
    """One return visit, whoever records it (staff, or the complainant rating their own order): the same moves,
    the same record, so the KPIs count both alike. Inside the caller's transaction."""
    action = return_visit_action(ReturnVisit(visit.reached, visit.solved, visit.satisfaction))
    complaint = order.complaint if isinstance(order, LoadedOrder) else order
    changes: dict[str, object] = {}
    if action is Action.REOPEN:
        pack = await pack_of(complaint)
        due = handling_due_for(now, complaint.urgency, pack.complaints)
        changes = {
            "reopen_count": complaint.reopen_count + 1,
            "due_at": due.at, "due_provisional": due.provisional,
            "dispatched_at": now, "acknowledged_at": None, "resolved_at": None, "rule_pack": pack.reference,
        }
    elif action is Action.LOG_UNREACHED_VISIT:
        changes = {"unreached_attempts": complaint.unreached_attempts + 1}
    complaint = await move(order, action, actor=actor, now=now, note=visit.note, changes=changes,
                           authorized=by_complainant)
    await ReturnVisitRecord.create(
        complaint_id=complaint.id, at=now, reached=visit.reached, solved=visit.solved,
        satisfaction=visit.satisfaction, note=visit.note, actor_id=actor.account_id, by_complainant=by_complainant,
    )
    return complaint


async def close_complaint(*, actor: Viewer, complaint_id: int, note: str, now: datetime) -> Complaint:
    async with atomic():
        order = await load_order(complaint_id, actor=actor)
        complaint = order.complaint
        pack = await pack_of(complaint)
        action = close_action(complaint.status, unreached_attempts=complaint.unreached_attempts, rules=pack.complaints)
        if action is Action.CLOSE_UNREACHED:
            note = note or f"回访 {complaint.unreached_attempts} 次未联系上诉求人"
        return await move(order, action, actor=actor, now=now, note=note, changes={"closed_at": now})


async def merge_complaints(
    *, actor: Viewer, duplicate_id: int, original_id: int, note: str, now: datetime
) -> tuple[Complaint, Complaint]:
    """The duplicate closes into its original; both timelines stay and point at each other."""
    if duplicate_id == original_id:
        raise RuleViolation(ErrorCode.INVALID, "不能与自身合并", "originalId", en="Cannot merge an order into itself")
    async with atomic():
        # row locks in id order, so that two merges of the same pair cannot deadlock
        loaded = {
            pk: await load_order(pk, actor=actor, field=field)
            for pk, field in sorted([(duplicate_id, "duplicateId"), (original_id, "originalId")])
        }
        duplicate, original = loaded[duplicate_id], loaded[original_id]
        authorize(Action.MERGE, original.capabilities)
        if original.complaint.compound_id != duplicate.complaint.compound_id:
            raise RuleViolation(ErrorCode.INVALID, "只能合并同一小区的工单", "originalId",
                                en="Only orders of the same compound can be merged")
        closed = await move(
            duplicate, Action.MERGE, actor=actor, now=now, note=note or f"并入 {original.complaint.number}",
            changes={"merged_into_id": original.complaint.id, "closed_at": now},
            related_complaint_id=original.complaint.id, audited=False,
        )
        kept = await move(
            original.complaint, Action.ABSORB_DUPLICATE, actor=actor, now=now, authorized=True,
            note=f"合并重复工单 {closed.number}", related_complaint_id=closed.id, audited=False,
        )
        # One use case, one audit event: both timelines record their half, the chain records the merge.
        await record_event(actor=actor, action="mergeComplaints", entity_type="Complaint", entity_id=closed.id,
                           summary=f"工单 {closed.number} 并入 {kept.number}" + (f"（{note}）" if note else ""),
                           now=now)
    return closed, kept
