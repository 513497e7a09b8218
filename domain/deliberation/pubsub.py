"""Live tallies: in-process for one server, Redis pub/sub when several server processes share the events.

`listen(item_id)` is an async context manager that is subscribed when it returns, so that a caller can send the
current tally first and miss no ballot cast afterwards.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Protocol

from domain.deliberation.tally import Tally

CHANNEL = "tongxin:tally:{item_id}"


class TallyBroker(Protocol):
    async def publish(self, item_id: int, tally: Tally) -> None: ...

    def listen(self, item_id: int) -> AbstractAsyncContextManager[AsyncIterator[Tally]]: ...

    async def close(self) -> None: ...


class InProcessTallyBroker:
    def __init__(self) -> None:
        self._queues: dict[int, set[asyncio.Queue[Tally]]] = defaultdict(set)

    async def publish(self, item_id: int, tally: Tally) -> None:
        for queue in list(self._queues.get(item_id, ())):
            queue.put_nowait(tally)

    @asynccontextmanager
    async def listen(self, item_id: int) -> AsyncIterator[AsyncIterator[Tally]]:
        queue: asyncio.Queue[Tally] = asyncio.Queue()
        self._queues[item_id].add(queue)

        async def updates() -> AsyncIterator[Tally]:
            while True:
                yield await queue.get()

        try:
            yield updates()
        finally:
            self._queues[item_id].discard(queue)
            if not self._queues[item_id]:
                del self._queues[item_id]

    async def close(self) -> None:
        self._queues.clear()


class RedisTallyBroker:
    def __init__(self, url: str) -> None:
        from redis.asyncio import Redis

        self._redis: Any = Redis.from_url(url)

    async def publish(self, item_id: int, tally: Tally) -> None:
        await self._redis.publish(CHANNEL.format(item_id=item_id), json.dumps(tally.as_dict(), ensure_ascii=False))

    @asynccontextmanager
    async def listen(self, item_id: int) -> AsyncIterator[AsyncIterator[Tally]]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(CHANNEL.format(item_id=item_id))
        # Wait for Redis to confirm the subscription: a tally published after this point reaches us.
        while (await pubsub.get_message(timeout=5.0) or {}).get("type") != "subscribe":
            pass

        async def updates() -> AsyncIterator[Tally]:
            async for message in pubsub.listen():
                if message.get("type") == "message":
                    yield Tally.from_dict(json.loads(message["data"]))

        try:
            yield updates()
        finally:
            await pubsub.unsubscribe()
            await pubsub.aclose()

    async def close(self) -> None:
        await self._redis.aclose()


def tally_broker(redis_url: str | None) -> TallyBroker:
    return RedisTallyBroker(redis_url) if redis_url else InProcessTallyBroker()
