"""Live tallies over the app's event broker: in-process for one server, Redis pub/sub when several server
processes share the events (TONGXIN_REDIS_URL).

The broker is a domain.events.EventBus (implemented in api/events.py), so that the domain imports neither api/ nor
schema/. `listen(item_id)` returns only once the subscription is in place, so that a subscriber can
be sent the current tally first and miss no later ballot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from domain.deliberation.tally import Tally
from domain.events import EventBus


def channel(item_id: int) -> str:
    return f"tally:{item_id}"


class TallyEvents:
    def __init__(self, broker: EventBus) -> None:
        self._broker = broker

    async def publish(self, item_id: int, tally: Tally) -> None:
        await self._broker.publish(channel(item_id), tally.as_dict())

    @asynccontextmanager
    async def listen(self, item_id: int) -> AsyncIterator[AsyncIterator[Tally]]:
        async with self._broker.listen(channel(item_id)) as messages:

            async def tallies() -> AsyncIterator[Tally]:
                async for message in messages:
                    yield Tally.from_dict(message)

            yield tallies()
