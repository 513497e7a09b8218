"""The typed context every resolver receives; api/ fills it per request, so schema/ never imports api/."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import strawberry

from domain.accounts.rules import Viewer
from domain.attachments.service import FileSettings
from domain.calendar import local_date
from domain.events import EventBus
from schema.core.demand import DemandLimits
from schema.core.exposure import ExposurePolicy
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
    # Attachment storage, upload limits and link signing (issue 13); api/ fills it, None where files are unused.
    files: FileSettings | None = None
    # trust (issue 15): demand limits and schema exposure from the settings, the login throttle
    # (domain.accounts.throttle.LoginThrottle; None: unthrottled) and the client's address.
    demand: DemandLimits = field(default_factory=DemandLimits)
    exposure: ExposurePolicy = field(default_factory=ExposurePolicy)
    login_throttle: Any = None
    client_address: str | None = None

    @property
    def today(self) -> date:
        """The calendar day in Beijing: between 16:00 and 24:00 UTC it is already tomorrow there."""
        return local_date(self.now)


Info = strawberry.Info[Context, None]
