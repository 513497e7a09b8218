"""The Relay entry point: any object by its global ID."""

from __future__ import annotations

import strawberry

from schema.core.context import Info
from schema.core.relay import Node, load_node


@strawberry.type
class Query:
    @strawberry.field(description="按全局 ID 取对象 — any object by its global ID")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await load_node(info, id)
