"""The viewer: who is signed in."""

from __future__ import annotations

import strawberry

from domain.accounts.models import Account
from schema.accounts.types import ViewerAccount
from schema.core.context import Info


@strawberry.type
class Query:
    @strawberry.field(description="当前用户 — null when not signed in")
    async def viewer(self, info: Info) -> ViewerAccount | None:
        viewer = info.context.viewer
        if viewer.account_id is None:
            return None
        row = await info.context.loaders.by_id(Account).load(viewer.account_id)
        return ViewerAccount.from_model(row) if row else None
