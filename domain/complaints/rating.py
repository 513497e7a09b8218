"""回访 by the complainant themself: `rateMyComplaint` after the order is resolved, and their own orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.queryset import QuerySet

from domain.accounts.rules import Viewer
from domain.complaints.models import Complaint
from domain.complaints.rules import Satisfaction, Status
from domain.complaints.service import VisitDraft, apply_return_visit
from domain.errors import ErrorCode, RuleViolation
from domain.transaction import atomic


@dataclass(frozen=True)
class Rating:
    solved: bool
    satisfaction: Satisfaction
    note: str = ""


def my_complaints(viewer: Viewer) -> QuerySet[Complaint]:
    """The orders the viewer filed or was recorded as complainant of, newest first."""
    if viewer.person_id is None:
        return Complaint.filter(id__in=[])
    return Complaint.filter(complainant_person_id=viewer.person_id).order_by("-received_at", "-id")


def may_rate(viewer: Viewer, complaint: Complaint) -> bool:
    return (viewer.person_id is not None and complaint.complainant_person_id == viewer.person_id
            and complaint.status is Status.RESOLVED)


async def rate_my_complaint(*, actor: Viewer, complaint_id: int, rating: Rating, now: datetime) -> Complaint:
    """An unsolved or unsatisfied rating reopens the order exactly as a staff return visit does (same event, same
    record, same KPIs); a satisfied one completes the return visit, and staff close the order as usual."""
    async with atomic():
        complaint = await Complaint.filter(id=complaint_id).select_for_update().first()
        if complaint is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "工单不存在", "complaintId", en="No such complaint")
        if actor.person_id is None or complaint.complainant_person_id != actor.person_id:
            raise RuleViolation(ErrorCode.FORBIDDEN, "只有诉求人本人可以评价", "complaintId",
                                en="Only the complainant may rate the order")
        if complaint.status is not Status.RESOLVED:
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "工单办结后才能评价", "complaintId",
                                en="The order can be rated once it is resolved")
        visit = VisitDraft(reached=True, solved=rating.solved, satisfaction=rating.satisfaction,
                           note=rating.note.strip()[:500] or "诉求人评价")
        return await apply_return_visit(complaint, visit, actor=actor, now=now, by_complainant=True)
