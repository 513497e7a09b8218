"""Throttling of one-time codes behind a small interface, so that login throttling can share one implementation.

Limits (per moving window): requests per phone and per client address answer THROTTLED; the per-person limit is
silent (no code is sent, the answer is unchanged), because refusing only matched persons would reveal a match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter


class Throttle(Protocol):
    async def hit(self, bucket: str, key: str) -> bool:
        """Counts one attempt; False when the bucket's limit for `key` is exhausted."""
        ...

    async def reset(self) -> None: ...


@dataclass(frozen=True)
class Buckets:
    per_phone: str = "5/hour"
    per_person: str = "5/hour"
    per_address: str = "30/hour"
    completions_per_address: str = "30/hour"


class LimitsThrottle:
    """`limits` moving windows: in memory for one process, Redis when several workers share the limits."""

    def __init__(self, redis_url: str | None = None, buckets: Buckets | None = None) -> None:
        self.storage: Storage = (
            RedisStorage(f"async+{redis_url}", implementation="redispy", key_prefix="tongxin-codes")
            if redis_url else MemoryStorage()
        )
        self.limiter = MovingWindowRateLimiter(self.storage)
        chosen = buckets or Buckets()
        self.items: dict[str, RateLimitItem] = {
            name: parse(getattr(chosen, name)) for name in Buckets.__dataclass_fields__
        }

    async def hit(self, bucket: str, key: str) -> bool:
        return await self.limiter.hit(self.items[bucket], bucket, key)

    async def reset(self) -> None:
        await self.storage.reset()


_throttle: Throttle | None = None


def code_throttle() -> Throttle:
    """The process's throttle: in memory unless the api installed a shared one (TONGXIN_REDIS_URL)."""
    global _throttle
    if _throttle is None:
        _throttle = LimitsThrottle()
    return _throttle


def use_throttle(throttle: Throttle) -> None:
    global _throttle
    _throttle = throttle
