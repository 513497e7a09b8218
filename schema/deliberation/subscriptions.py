"""The live tally: the current tally first, then one after every ballot (over Context.events)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry
from graphql import GraphQLError

from domain.deliberation import models as dm
from domain.deliberation.access import may_read_meeting
from domain.deliberation.pubsub import TallyEvents
from domain.deliberation.voting import current_tally
from schema.core.context import Info
from schema.core.permissions import SignedIn
from schema.core.relay import query_id
from schema.deliberation.types import Tally


@strawberry.type
class Subscription:
    @strawberry.subscription(description="实时计票 — the current tally first, then the tally after every ballot",
                             permission_classes=[SignedIn])
    async def tally_updated(self, info: Info, agenda_item_id: strawberry.ID) -> AsyncGenerator[Tally, None]:
        pk = query_id(agenda_item_id, "AgendaItem")
        item = await dm.AgendaItem.get_or_none(id=pk) if pk else None
        if item is None or not await may_read_meeting(info.context.viewer, item.meeting_id):
            raise GraphQLError("议题不存在 (NOT_FOUND)", extensions={"code": "NOT_FOUND"})
        async with TallyEvents(info.context.events).listen(item.id) as updates:
            meeting = await dm.Meeting.get(id=item.meeting_id)
            yield Tally.from_value(await current_tally(item, meeting, info.context.now))
            async for tally in updates:
                yield Tally.from_value(tally)
