"""Who may read which meetings, as one query: lists filter by it and single objects check it.

Staff read the meetings of their territory (centre staff all of them). A person reads the meetings they were
invited to, the meetings of a body they hold or held a post in, and the owners' assemblies of a compound where
they own a unit (they vote there).
"""

from __future__ import annotations

from typing import Any

from domain.access.policies import visible_queryset
from domain.accounts.rules import Viewer
from domain.deliberation.models import Meeting


def readable_meetings(viewer: Viewer) -> Any:
    """A Meeting queryset holding exactly the meetings the viewer may read (the one policy: domain.access)."""
    return visible_queryset(Meeting, viewer)


async def may_read_meeting(viewer: Viewer, meeting_id: int) -> bool:
    return await readable_meetings(viewer).filter(id=meeting_id).exists()
