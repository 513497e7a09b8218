"""Live events for subscriptions: in-process fan-out, or Redis pub/sub when several server processes share them.

Publishers call `publish` after their transaction commits; subscribers iterate `subscribe(channel)`.
Messages are JSON-serialisable dicts.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import suppress
from typing import Any


class InProcessBroker:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        for queue in list(self._queues.get(channel, ())):
            queue.put_nowait(message)

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._queues[channel].add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues[channel].discard(queue)
            if not self._queues[channel]:
                self._queues.pop(channel, None)

    async def close(self) -> None:
        self._queues.clear()


class RedisBroker:
    """Redis pub/sub (redis-py asyncio); every process connected to the same server sees every event."""

    def __init__(self, url: str) -> None:
        from redis import asyncio as redis

        self._redis = redis.from_url(url, decode_responses=True)

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self._redis.publish(f"tongxin:{channel}", json.dumps(message, default=str, ensure_ascii=False))

    async def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(f"tongxin:{channel}")
        try:
            async for item in pubsub.listen():
                if item.get("type") == "message":
                    yield json.loads(item["data"])
        finally:
            with suppress(Exception):
                await pubsub.unsubscribe()
                await pubsub.aclose()

    async def close(self) -> None:
        await self._redis.aclose()


Broker = InProcessBroker | RedisBroker


def make_broker(redis_url: str | None) -> Broker:
    return RedisBroker(redis_url) if redis_url else InProcessBroker()
