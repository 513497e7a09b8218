"""Throttling of guessable secrets (passwords, sign-up codes): failures counted per key, refused with backoff.

A key (an account name, a client address, a sign-up code) is refused once it has failed `limit` times inside any
of the windows, e.g. "10/15 minutes; 20/hour; 40/day": after ten failures the caller waits until the 15-minute
window slides, after twenty until the hour slides — each tier lengthens the wait (backoff), and a
success or an administrator clears the key. Counting lives in the `limits` library's storage (memory in one
process, Redis when several processes serve), so the count is shared by every server process.

The interface is `check(key)` (may this key try now? without counting), `hit(key)` (count one failure) and
`clear(key)`. Check before doing the expensive or revealing work (verifying a password), hit after a failure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter


@dataclass(frozen=True)
class ThrottleState:
    allowed: bool
    retry_after_seconds: int = 0


class Throttle:
    """Failures per key in moving windows; `tiers` like "10/15 minutes; 20/hour" (limits' notation)."""

    def __init__(self, storage: Storage, tiers: str, *, namespace: str) -> None:
        self.items: list[RateLimitItem] = parse_many(tiers)
        if not self.items:
            raise ValueError(f"no throttle tiers in {tiers!r}")
        self.namespace = namespace
        self._limiter = MovingWindowRateLimiter(storage)

    async def check(self, key: str) -> ThrottleState:
        """Whether one more attempt is allowed now; counts nothing."""
        retry_after = 0
        for item in self.items:
            if not await self._limiter.test(item, self.namespace, key):
                stats = await self._limiter.get_window_stats(item, self.namespace, key)
                retry_after = max(retry_after, int(stats.reset_time - time.time()) + 1)
        return ThrottleState(allowed=retry_after == 0, retry_after_seconds=retry_after)

    async def hit(self, key: str) -> ThrottleState:
        """Counts one failure; the returned state says whether the next attempt is still allowed."""
        for item in self.items:
            await self._limiter.hit(item, self.namespace, key)
        return await self.check(key)

    async def clear(self, key: str) -> None:
        for item in self.items:
            await self._limiter.clear(item, self.namespace, key)


@dataclass(frozen=True)
class LoginThrottle:
    """Wrong passwords are counted per account name and per client address (a spray over many accounts)."""

    per_account: Throttle
    per_address: Throttle

    @staticmethod
    def account_key(username: str) -> str:
        return username.strip().casefold()

    async def check(self, username: str, address: str | None) -> ThrottleState:
        states = [await self.per_account.check(self.account_key(username))]
        if address:
            states.append(await self.per_address.check(address))
        refused = [s for s in states if not s.allowed]
        if not refused:
            return ThrottleState(allowed=True)
        return ThrottleState(allowed=False, retry_after_seconds=max(s.retry_after_seconds for s in refused))

    async def hit(self, username: str, address: str | None) -> ThrottleState:
        state = await self.per_account.hit(self.account_key(username))
        if address:
            address_state = await self.per_address.hit(address)
            if not address_state.allowed:
                return address_state
        return state

    async def clear_account(self, username: str) -> None:
        await self.per_account.clear(self.account_key(username))
