"""Throttling of one-time codes behind a small interface, so that login throttling can share one implementation.

Limits (per moving window): requests per phone and per client address answer THROTTLED; the per-person limit is
silent (no code is sent, the answer is unchanged), because refusing only matched persons would reveal a match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from limits.aio.storage import MemoryStorage, Storage

from domain.accounts import throttle as counting


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
    """One counting throttle per bucket (domain.accounts.throttle, the one the login uses) over one storage: memory
    for one process, the api's Redis storage when several workers share the limits."""

    def __init__(self, storage: Storage | None = None, buckets: Buckets | None = None) -> None:
        self.storage = storage or MemoryStorage()
        chosen = buckets or Buckets()
        self.buckets = {name: counting.Throttle(self.storage, getattr(chosen, name), namespace=f"codes-{name}")
                        for name in Buckets.__dataclass_fields__}

    async def hit(self, bucket: str, key: str) -> bool:
        # An attempt over the limit is refused and not counted, as a login past its limit is.
        throttle = self.buckets[bucket]
        if not (await throttle.check(key)).allowed:
            return False
        await throttle.hit(key)
        return True

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
