"""The storage behind throttles: Redis when several server processes share the counts, memory otherwise."""

from __future__ import annotations

from limits.aio.storage import MemoryStorage, RedisStorage, Storage

from api.settings import Settings
from domain.accounts.throttle import LoginThrottle, Throttle


def throttle_storage(redis_url: str | None) -> Storage:
    if not redis_url:
        return MemoryStorage()
    # limits wants its async scheme; the redis-py client is already a dependency (live events).
    scheme, _, rest = redis_url.partition("://")
    return RedisStorage(f"async+{scheme}://{rest}", implementation="redispy")


def login_throttle(settings: Settings, storage: Storage | None = None) -> LoginThrottle:
    storage = storage or throttle_storage(settings.redis_url)
    return LoginThrottle(
        per_account=Throttle(storage, settings.login_limit_per_account, namespace="login-account"),
        per_address=Throttle(storage, settings.login_limit_per_address, namespace="login-address"),
    )
