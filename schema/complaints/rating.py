"""The complainant's side of the loop: their own orders (me.complaints) and their rating (rateMyComplaint)."""

from __future__ import annotations

import strawberry

from domain.complaints.rating import Rating, my_complaints, rate_my_complaint
from schema.complaints.types import Complaint, SatisfactionLevel
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import ANYONE_SIGNED_IN, mutation
from schema.core.relay import Connection, PageArgs, decode_id, paginate


async def my_complaint_list(info: Info, first: int | None, after: str | None) -> Connection[Complaint]:
    """Orders the viewer filed or is recorded as complainant of, newest first."""
    return await paginate(my_complaints(info.context.viewer), PageArgs(first=first, after=after),
                          Complaint.from_model, descending=True)


@strawberry.input(description="诉求人评价 — after the order is resolved")
class RateMyComplaintInput:
    complaint_id: strawberry.ID
    solved: bool
    satisfaction: SatisfactionLevel
    note: str = ""


@strawberry.type
class RateMyComplaintPayload:
    complaint: Complaint | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @mutation(ANYONE_SIGNED_IN, "诉求人评价 (回访) — unsolved or unsatisfied reopens the order exactly as a staff "
                                "return visit does, counted in the same KPIs")
    async def rate_my_complaint(self, info: Info, input: RateMyComplaintInput) -> RateMyComplaintPayload:
        rating = Rating(solved=input.solved, satisfaction=input.satisfaction, note=input.note)
        row = await rate_my_complaint(actor=info.context.viewer, rating=rating, now=info.context.now,
                                      complaint_id=decode_id(input.complaint_id, "Complaint", "complaintId"))
        return RateMyComplaintPayload(complaint=Complaint.from_model(row))
