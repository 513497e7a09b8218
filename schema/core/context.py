"""The typed context every resolver receives; api/ fills it per request, so schema/ never imports api/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import strawberry

from domain.accounts.rules import Viewer
from domain.calendar import local_date
from domain.events import EventBus
from schema.core.loaders import Loaders


@dataclass
class Context:
    viewer: Viewer
    now: datetime
    loaders: Loaders = field(default_factory=Loaders)
    language: str = "zh-CN"
    request: Any = None
    response: Any = None
    # Broadcasting of live events (tallies, complaints): the app's api/events.py broker; None in unit tests of resolvers.
    events: EventBus | None = None

    @property
    def today(self) -> date:
        """The calendar day in Beijing: between 16:00 and 24:00 UTC it is already tomorrow there."""
        return local_date(self.now)


Info = strawberry.Info[Context, None]
