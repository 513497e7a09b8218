"""The ledger filter."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.complaints.types import ComplaintChannel, ComplaintStatus


@strawberry.input(description="工单台账筛选 — ledger filter")
class ComplaintFilter:
    status: list[ComplaintStatus] | None = None
    compound_id: strawberry.ID | None = None
    handler_id: strawberry.ID | None = None
    overdue: bool | None = strawberry.field(default=None, description="只看超期 (true) 或未超期 (false)")
    channel: ComplaintChannel | None = None
    received_from: datetime | None = None
    received_to: datetime | None = None
    search: str | None = strawberry.field(default=None, description="编号、标题或外部编号包含")
