"""Filters of the geography lists."""

from __future__ import annotations

import strawberry

from schema.geography.types import ManagementMode


@strawberry.input(description="小区筛选")
class CompoundFilter:
    street_id: strawberry.ID | None = None
    community_id: strawberry.ID | None = None
    management_mode: ManagementMode | None = None
    is_old_compound: bool | None = None
    is_red_property: bool | None = None
    has_owners_committee: bool | None = strawberry.field(
        default=None, description="是否有在任的业委会或物管会 — an owners' body in office today"
    )
    search: str | None = strawberry.field(default=None, description="名称或地址包含 — name or address contains")

@strawberry.input(description="人员筛选")
class PersonFilter:
    search: str | None = strawberry.field(default=None, description="姓名包含")
    is_party_member: bool | None = None
