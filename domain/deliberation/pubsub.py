"""Live tallies over the app's event broker: in-process for one server, Redis pub/sub when several server
processes share the events (TONGXIN_REDIS_URL).

The broker is duck-typed (`publish(channel, dict)`, `subscribe(channel)` async iterator; a Redis broker exposes its
client as `_redis`), so that the domain does not import schema/. `listen(item_id)` returns only once the
subscription is in place, so that a subscriber can be sent the current tally first and miss no later ballot.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from domain.deliberation.tally import Tally

REDIS_PREFIX = "tongxin:"  # the broker's channel namespace in Redis
CONFIRM_ATTEMPTS = 10


def channel(item_id: int) -> str:
    return f"tally:{item_id}"


class TallyEvents:
    def __init__(self, broker: Any) -> None:
        self._broker = broker

    async def publish(self, item_id: int, tally: Tally) -> None:
        await self._broker.publish(channel(item_id), tally.as_dict())

    @asynccontextmanager
    async def listen(self, item_id: int) -> AsyncIterator[AsyncIterator[Tally]]:
        redis = getattr(self._broker, "_redis", None)
        if redis is not None:
            async with _redis_listen(redis, REDIS_PREFIX + channel(item_id)) as updates:
                yield updates
            return
        stream = self._broker.subscribe(channel(item_id))
        pending = asyncio.ensure_future(anext(stream))
        await asyncio.sleep(0)  # the in-process broker registers its queue in the generator's first step

        async def updates() -> AsyncIterator[Tally]:
            nonlocal pending
            while True:
                message = await pending
                pending = asyncio.ensure_future(anext(stream))
                yield Tally.from_dict(message)

        try:
            yield updates()
        finally:
            pending.cancel()
            with suppress(asyncio.CancelledError, StopAsyncIteration):
                await pending
            await stream.aclose()


@asynccontextmanager
async def _redis_listen(redis: Any, name: str) -> AsyncIterator[AsyncIterator[Tally]]:
    pubsub = redis.pubsub()
    await pubsub.subscribe(name)
    # Wait for Redis to confirm: a tally published from any process after this point reaches us.
    for _ in range(CONFIRM_ATTEMPTS):
        if (await pubsub.get_message(timeout=1.0) or {}).get("type") == "subscribe":
            break
    else:
        await pubsub.aclose()
        raise ConnectionError(f"Redis did not confirm the subscription to {name}")

    async def updates() -> AsyncIterator[Tally]:
        async for message in pubsub.listen():
            if message.get("type") == "message":
                yield Tally.from_dict(json.loads(message["data"]))

    try:
        yield updates()
    finally:
        with suppress(Exception):
            await pubsub.unsubscribe()
            await pubsub.aclose()
