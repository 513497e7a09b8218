"""Live events for subscriptions: in-process fan-out, or Redis pub/sub when several server processes share them.

Both implement domain.events.EventBus: the app hands one to the schema as `Context.events`. Publishers call
`publish` after their transaction commits. Subscribers open `listen(channel)`: it returns only once the subscription
is in place (Redis has confirmed it), so that a subscriber may read the current state first and miss no later event;
`subscribe(channel)` is the same as a plain async iterator. Messages are JSON-able dicts.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

CONFIRM_SECONDS = 10


class InProcessBroker:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        for queue in list(self._queues.get(channel, ())):
            queue.put_nowait(message)

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues[channel].add(queue)

        async def messages() -> AsyncIterator[dict[str, Any]]:
            while True:
                yield await queue.get()

        try:
            yield messages()
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                self._queues.pop(channel, None)

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        async with self.listen(channel) as messages:
            async for message in messages:
                yield message

    async def close(self) -> None:
        self._queues.clear()


class RedisBroker:
    """Redis pub/sub (redis-py asyncio); every process connected to the same server sees every event."""

    def __init__(self, url: str) -> None:
        from redis import asyncio as redis

        self._redis = redis.from_url(url, decode_responses=True)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self._redis.publish(f"tongxin:{channel}", json.dumps(message, default=str, ensure_ascii=False))

    @asynccontextmanager
    async def listen(self, channel: str) -> AsyncIterator[AsyncIterator[dict[str, Any]]]:
        pubsub = self._redis.pubsub()
        name = f"tongxin:{channel}"
        await pubsub.subscribe(name)
        try:
            # Wait for Redis to confirm: an event published from any process after this point reaches us.
            async with asyncio.timeout(CONFIRM_SECONDS):
                while (await pubsub.get_message(timeout=1.0) or {}).get("type") != "subscribe":
                    pass
        except TimeoutError:
            await pubsub.aclose()
            raise ConnectionError(f"Redis did not confirm the subscription to {name}") from None

        async def messages() -> AsyncIterator[dict[str, Any]]:
            async for item in pubsub.listen():
                if item.get("type") == "message":
                    yield json.loads(item["data"])

        try:
            yield messages()
        finally:
            with suppress(Exception):
                await pubsub.unsubscribe()
                await pubsub.aclose()

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        async with self.listen(channel) as messages:
            async for message in messages:
                yield message

    async def close(self) -> None:
        await self._redis.aclose()


Broker = InProcessBroker | RedisBroker


def make_broker(redis_url: str | None) -> Broker:
    return RedisBroker(redis_url) if redis_url else InProcessBroker()
