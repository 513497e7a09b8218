"""Filters of the committee lists."""

from __future__ import annotations

import strawberry

from schema.committees.types import CommitteeKind, CommitteeStatus, CrossAppointmentBasis


@strawberry.input(description="业主组织筛选")
class OwnersCommitteeFilter:
    scope_id: strawberry.ID | None = strawberry.field(default=None, description="街道、社区或小区 ID")
    kind: CommitteeKind | None = None
    status: CommitteeStatus | None = None


@strawberry.input(description="交叉任职筛选")
class CrossAppointmentFilter:
    scope_id: strawberry.ID | None = strawberry.field(default=None, description="街道、社区或小区 ID")
    person_id: strawberry.ID | None = None
    basis: CrossAppointmentBasis | None = None
