"""The bodies of a community and the posts of a person."""

from __future__ import annotations

import strawberry

from domain.bodies import models as bm
from schema.bodies.types import Body, Membership, Organisation, present_bodies
from schema.core.context import Info
from schema.core.permissions import STAFF, Allow
from schema.core.relay import query_id


@strawberry.type
class Query:
    @strawberry.field(description="社区的组织 — bodies of a community")
    async def bodies(self, info: Info, community_id: strawberry.ID) -> list[Body]:
        pk = query_id(community_id, "Community")
        ids = await bm.Body.filter(community_id=pk).order_by("id").values_list("id", flat=True) if pk else []
        return [b for b in await present_bodies(info, list(ids)) if b is not None]

    @strawberry.field(description="某人的全部任职 — every post a person holds", extensions=[Allow(STAFF)])
    async def memberships_of(self, info: Info, person_id: strawberry.ID) -> list[Membership]:
        pk = query_id(person_id, "Person")
        rows = await info.context.loaders.children(bm.Membership, "person_id").load(pk) if pk else []
        return [Membership.from_model(r) for r in rows]



# Reachable through the Node and Body interfaces only.
EXTRA_TYPES = [Organisation, Membership]
