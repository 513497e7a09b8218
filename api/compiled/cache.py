"""A response cache for compiled reads that is correct by construction.

Key: document + operation name + variables + the viewer's visibility class + the Beijing day (fields such as a
committee's EXPIRED status or the serving firm depend on it) + the data version, i.e. the audit chain head that
every committed mutation moves. The version is read from the database on every request, so an entry can never
be served after a write committed: the key it sits under is simply never asked for again. In-process LRU;
shared between workers through Redis when TONGXIN_REDIS_URL is set.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any

import orjson

REDIS_TTL_SECONDS = 300


def cache_key(query: str, operation_name: str | None, variables: Any, visibility: str, day: str,
              version: str, namespace: str = "") -> str:
    digest = hashlib.sha256()
    # The namespace names the database: two databases may share a Redis and even a chain head (a fresh one).
    for part in (namespace, query, operation_name or "", orjson.dumps(variables, option=orjson.OPT_SORT_KEYS).decode(),
                 visibility, day, version):
        digest.update(part.encode())
        digest.update(b"\0")
    return "tongxin:read:" + digest.hexdigest()


class ResponseCache:
    def __init__(self, size: int = 2048, redis: Any = None, namespace: str = "") -> None:
        self.size = size
        self.namespace = namespace
        self.redis = redis
        self._local: OrderedDict[str, bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0

    async def get(self, key: str) -> bytes | None:
        body = self._local.get(key)
        if body is None and self.redis is not None:
            try:
                body = await self.redis.get(key)
            except Exception:  # noqa: BLE001 - Redis is an optimisation; the database answers without it
                body = None
            if body is not None:
                self._remember(key, body)
        if body is None:
            self.misses += 1
            return None
        self._local.move_to_end(key)
        self.hits += 1
        return body

    async def put(self, key: str, body: bytes) -> None:
        self._remember(key, body)
        if self.redis is not None:
            try:
                await self.redis.set(key, body, ex=REDIS_TTL_SECONDS)
            except Exception:  # noqa: BLE001
                pass

    def _remember(self, key: str, body: bytes) -> None:
        self._local[key] = body
        self._local.move_to_end(key)
        while len(self._local) > self.size:
            self._local.popitem(last=False)
