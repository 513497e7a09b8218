"""The meeting filter."""

from __future__ import annotations

import strawberry

from schema.deliberation.types import MeetingKind, MeetingStatus


@strawberry.input(description="会议筛选")
class MeetingFilter:
    compound_id: strawberry.ID | None = None
    community_id: strawberry.ID | None = None
    kind: MeetingKind | None = None
    status: MeetingStatus | None = None
