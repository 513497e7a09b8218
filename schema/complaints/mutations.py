"""Mutations of the complaint loop: each parses its input, calls one use case, maps the order."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from domain.complaints.alerts import COMPLAINTS_CHANNEL
from domain.accounts.rules import Role
from domain.complaints import service
from domain.complaints.models import Complaint as ComplaintRow
from schema.bodies.types import body_pk
from schema.complaints.types import (
    Complaint,
    ComplaintChannel,
    ComplaintKind,
    ComplaintUrgency,
    SatisfactionLevel,
)
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import STAFF, mutation
from schema.core.relay import decode_id, decode_ids

INTAKE = STAFF | {Role.OWNER}
HANDLERS = STAFF | {Role.FIRM_STAFF}


@strawberry.input(description="诉求人")
class ComplainantInput:
    name: str
    phone: str | None = None


@strawberry.input(description="登记诉求 — intake from any channel")
class FileComplaintInput:
    compound_id: strawberry.ID
    channel: ComplaintChannel
    kind: ComplaintKind
    category: str
    urgency: ComplaintUrgency
    title: str
    description: str = ""
    complainant: ComplainantInput
    external_ref: str | None = strawberry.field(default=None, description="外部编号 — e.g. the 12345 order number")
    received_at: datetime | None = strawberry.field(default=None, description="受理时间；缺省为现在，不得晚于现在")
    complainant_person_id: strawberry.ID | None = strawberry.field(default=None, description="已登记的诉求人")
    attachment_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="现场照片 — attachments uploaded first (uploadAttachment) by the filer")


@strawberry.input
class ComplaintActionInput:
    complaint_id: strawberry.ID
    note: str = ""


@strawberry.input
class RejectComplaintInput:
    complaint_id: strawberry.ID
    reason: str
    redirect_to: str = strawberry.field(description="应向何处反映 — where the complainant should go instead")


@strawberry.input
class DispatchComplaintInput:
    complaint_id: strawberry.ID
    handler_id: strawberry.ID = strawberry.field(description="承办单位 — any body: a firm, a residents' committee ...")
    note: str = ""


@strawberry.input
class ResolveComplaintInput:
    complaint_id: strawberry.ID
    resolution: str


@strawberry.input
class ExtendComplaintInput:
    complaint_id: strawberry.ID
    due_at: datetime = strawberry.field(description="新的办理时限")
    reason: str


@strawberry.input
class EscalateComplaintInput:
    complaint_id: strawberry.ID
    to_body_id: strawberry.ID
    reason: str


@strawberry.input
class RecordReturnVisitInput:
    complaint_id: strawberry.ID
    reached: bool
    solved: bool | None = None
    satisfaction: SatisfactionLevel | None = None
    note: str = ""


@strawberry.input
class MergeComplaintsInput:
    duplicate_id: strawberry.ID
    original_id: strawberry.ID
    note: str = ""


def _payload_type(name: str) -> Any:
    """`<Verb>ComplaintPayload { complaint, errors }`, one per mutation as the conventions ask."""
    namespace = {
        "__annotations__": {"complaint": Complaint | None, "errors": list[UserError]},
        "complaint": None,
        "errors": strawberry.field(default_factory=list),
    }
    return strawberry.type(type(name, (), namespace))


FileComplaintPayload = _payload_type("FileComplaintPayload")
AcceptComplaintPayload = _payload_type("AcceptComplaintPayload")
RejectComplaintPayload = _payload_type("RejectComplaintPayload")
DispatchComplaintPayload = _payload_type("DispatchComplaintPayload")
AcknowledgeComplaintPayload = _payload_type("AcknowledgeComplaintPayload")
ExtendComplaintPayload = _payload_type("ExtendComplaintPayload")
EscalateComplaintPayload = _payload_type("EscalateComplaintPayload")
ReportComplaintProgressPayload = _payload_type("ReportComplaintProgressPayload")
ResolveComplaintPayload = _payload_type("ResolveComplaintPayload")
RecordReturnVisitPayload = _payload_type("RecordReturnVisitPayload")
CloseComplaintPayload = _payload_type("CloseComplaintPayload")


@strawberry.type
class MergeComplaintsPayload:
    duplicate: Complaint | None = None
    original: Complaint | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _id(value: strawberry.ID, field: str = "complaintId") -> int:
    return decode_id(value, "Complaint", field)


def _payload(payload_type: Any, row: ComplaintRow) -> Any:
    return payload_type(complaint=Complaint.from_model(row))


@strawberry.type
class Mutation:
    @mutation(INTAKE, "登记诉求 — file a complaint from any channel")
    async def file_complaint(self, info: Info, input: FileComplaintInput) -> FileComplaintPayload:
        now = info.context.now
        draft = service.ComplaintDraft(
            compound_id=decode_id(input.compound_id, "Compound", "compoundId"), channel=input.channel,
            kind=input.kind, category=input.category, urgency=input.urgency, title=input.title,
            description=input.description, complainant_name=input.complainant.name,
            complainant_phone=input.complainant.phone, external_ref=input.external_ref,
            received_at=input.received_at or now,
            complainant_person_id=decode_id(input.complainant_person_id, "Person", "complainantPersonId")
            if input.complainant_person_id else None,
            attachment_ids=tuple(decode_ids(list(input.attachment_ids), "Attachment", "attachmentIds")),
        )
        row = await service.file_complaint(actor=info.context.viewer, draft=draft, now=now)
        if info.context.events is not None:
            await info.context.events.publish(COMPLAINTS_CHANNEL, {"kind": "NEW", "id": row.id})
        return _payload(FileComplaintPayload, row)

    @mutation(STAFF, "受理 — accept")
    async def accept_complaint(self, info: Info, input: ComplaintActionInput) -> AcceptComplaintPayload:
        return _payload(AcceptComplaintPayload, await service.accept_complaint(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), note=input.note, now=info.context.now))

    @mutation(STAFF, "不予受理 — reject, saying where to go instead")
    async def reject_complaint(self, info: Info, input: RejectComplaintInput) -> RejectComplaintPayload:
        return _payload(RejectComplaintPayload, await service.reject_complaint(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), reason=input.reason,
            redirect_to=input.redirect_to, now=info.context.now))

    @mutation(STAFF, "派单 — dispatch to a handling unit; dueAt from the urgency and the street's rule pack")
    async def dispatch_complaint(self, info: Info, input: DispatchComplaintInput) -> DispatchComplaintPayload:
        complaint_id = _id(input.complaint_id)
        handler_id = await body_pk(input.handler_id, "handlerId")
        return _payload(DispatchComplaintPayload, await service.dispatch_complaint(
            actor=info.context.viewer, complaint_id=complaint_id, handler_id=handler_id, note=input.note,
            now=info.context.now))

    @mutation(HANDLERS, "签收 — the handler signs for the order and has contacted the complainant")
    async def acknowledge_complaint(self, info: Info, input: ComplaintActionInput) -> AcknowledgeComplaintPayload:
        return _payload(AcknowledgeComplaintPayload, await service.acknowledge_complaint(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), note=input.note, now=info.context.now))

    @mutation(HANDLERS, "延期 — move the deadline, with a reason")
    async def extend_complaint(self, info: Info, input: ExtendComplaintInput) -> ExtendComplaintPayload:
        return _payload(ExtendComplaintPayload, await service.extend_complaint(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), due_at=input.due_at,
            reason=input.reason, now=info.context.now))

    @mutation(HANDLERS, "吹哨 — escalate to a higher unit; the first receiver stays accountable")
    async def escalate_complaint(self, info: Info, input: EscalateComplaintInput) -> EscalateComplaintPayload:
        complaint_id = _id(input.complaint_id)
        to_body_id = await body_pk(input.to_body_id, "toBodyId")
        return _payload(EscalateComplaintPayload, await service.escalate_complaint(
            actor=info.context.viewer, complaint_id=complaint_id, to_body_id=to_body_id, reason=input.reason,
            now=info.context.now))

    @mutation(HANDLERS, "协办报告 — a co-handler's report on the accountable unit's timeline")
    async def report_complaint_progress(self, info: Info, input: ComplaintActionInput) -> ReportComplaintProgressPayload:
        return _payload(ReportComplaintProgressPayload, await service.report_progress(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), note=input.note, now=info.context.now))

    @mutation(HANDLERS, "办结 — the handler reports the order resolved")
    async def resolve_complaint(self, info: Info, input: ResolveComplaintInput) -> ResolveComplaintPayload:
        return _payload(ResolveComplaintPayload, await service.resolve_complaint(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), resolution=input.resolution,
            now=info.context.now))

    @mutation(STAFF, "回访 — an unsatisfied or unsolved visit sends the order back to its handler")
    async def record_return_visit(self, info: Info, input: RecordReturnVisitInput) -> RecordReturnVisitPayload:
        visit = service.VisitDraft(reached=input.reached, solved=input.solved, satisfaction=input.satisfaction,
                                   note=input.note)
        return _payload(RecordReturnVisitPayload, await service.record_return_visit(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), visit=visit, now=info.context.now))

    @mutation(STAFF, "销号 — close after a satisfied visit, or after the pack's number of failed attempts")
    async def close_complaint(self, info: Info, input: ComplaintActionInput) -> CloseComplaintPayload:
        return _payload(CloseComplaintPayload, await service.close_complaint(
            actor=info.context.viewer, complaint_id=_id(input.complaint_id), note=input.note, now=info.context.now))

    @mutation(STAFF, "合并重复工单 — merge a duplicate into its original, keeping both timelines")
    async def merge_complaints(self, info: Info, input: MergeComplaintsInput) -> MergeComplaintsPayload:
        duplicate, original = await service.merge_complaints(
            actor=info.context.viewer, duplicate_id=_id(input.duplicate_id, "duplicateId"),
            original_id=_id(input.original_id, "originalId"), note=input.note, now=info.context.now)
        return MergeComplaintsPayload(duplicate=Complaint.from_model(duplicate),
                                      original=Complaint.from_model(original))
