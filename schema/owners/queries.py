"""Queries of the owners' app: `me` and the public check of a ballot receipt."""

from __future__ import annotations

import strawberry

from domain.deliberation import own_ballots
from schema.core.context import Info
from schema.owners.types import BallotCheck, Me


@strawberry.type
class Query:
    @strawberry.field(description="我的 — the signed-in person's units, compounds and open votes; null for others")
    def me(self, info: Info) -> Me | None:
        viewer = info.context.viewer
        if not viewer.is_authenticated or viewer.person_id is None:
            return None
        return Me(_person_id=viewer.person_id)

    @strawberry.field(description="选票核验 — anyone holding a tracking code checks, after voting closes, that the "
                                  "ballot was counted as cast (without learning who cast it)")
    async def ballot_receipt(self, info: Info, tracking_code: str) -> BallotCheck | None:
        check = await own_ballots.ballot_receipt(tracking_code)
        if check is None:
            return None
        return BallotCheck(tracking_code=check.tracking_code, counted=check.counted, choice=check.choice,
                           _item=check.item)
