"""The live-event interface the schema and the domain publish and listen through; api/events.py implements it
(in-process fan-out, or Redis pub/sub when several server processes share events), so neither floor imports api/.

Publishers call `publish` after their transaction commits. `listen(channel)` returns only once the subscription is
in place, so a subscriber may read the current state first and miss no later event; `subscribe(channel)` is the
same as a plain async iterator. Messages are JSON-able dicts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol


class EventBus(Protocol):
    async def publish(self, channel: str, message: dict[str, Any]) -> None: ...

    def listen(self, channel: str) -> AbstractAsyncContextManager[AsyncIterator[dict[str, Any]]]: ...

    def subscribe(self, channel: str) -> AsyncIterator[dict[str, Any]]: ...
