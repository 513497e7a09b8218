"""The reusable throttle: failures per key, refused at the limit, with a longer tier as backoff; no database."""

from __future__ import annotations

import pytest
from limits.aio.storage import MemoryStorage

from domain.accounts.throttle import LoginThrottle, Throttle


def _throttle(tiers: str = "3/minute; 5/hour") -> Throttle:
    return Throttle(MemoryStorage(), tiers, namespace="test")


async def test_a_key_is_allowed_until_its_limit_of_failures() -> None:
    throttle = _throttle()

    states = [await throttle.hit("alice") for _ in range(3)]

    assert [s.allowed for s in states] == [True, True, False]
    refused = await throttle.check("alice")
    assert not refused.allowed and 0 < refused.retry_after_seconds <= 61


async def test_check_counts_nothing() -> None:
    throttle = _throttle()

    for _ in range(10):
        assert (await throttle.check("alice")).allowed


async def test_keys_are_counted_apart_and_clear_lifts_the_lock() -> None:
    throttle = _throttle()
    for _ in range(3):
        await throttle.hit("alice")

    assert (await throttle.check("bob")).allowed
    await throttle.clear("alice")
    assert (await throttle.check("alice")).allowed


async def test_the_longer_tier_gives_the_longer_wait() -> None:
    throttle = _throttle("100/minute; 2/hour")
    for _ in range(2):
        await throttle.hit("alice")

    state = await throttle.check("alice")

    assert not state.allowed and state.retry_after_seconds > 60


async def test_login_throttle_counts_account_names_case_blind_and_addresses() -> None:
    storage = MemoryStorage()
    login = LoginThrottle(per_account=Throttle(storage, "2/minute", namespace="a"),
                          per_address=Throttle(storage, "3/minute", namespace="b"))

    await login.hit("Alice ", "10.0.0.1")
    await login.hit("alice", "10.0.0.1")

    assert not (await login.check("ALICE", "10.0.0.9")).allowed
    assert (await login.check("bob", "10.0.0.1")).allowed
    await login.hit("bob", "10.0.0.1")
    assert not (await login.check("carol", "10.0.0.1")).allowed  # the address sprayed three accounts
    await login.clear_account("alice")
    assert (await login.check("alice", "10.0.0.9")).allowed


def test_a_throttle_needs_at_least_one_tier() -> None:
    with pytest.raises(ValueError):
        Throttle(MemoryStorage(), "", namespace="x")
