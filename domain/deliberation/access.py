"""Who may read which meetings, as one query: lists filter by it and single objects check it.

Staff read the meetings of their territory (centre staff all of them). A person reads the meetings they were
invited to, the meetings of a body they hold or held a post in, and the owners' assemblies of a compound where
they own a unit (they vote there).
"""

from __future__ import annotations

from typing import Any

from domain.access.policies import MEETING_DRAFT_READERS, visible_queryset
from domain.accounts.rules import Viewer
from domain.deliberation.models import Meeting


def readable_meetings(viewer: Viewer, *, notice_board: bool = True) -> Any:
    """A Meeting queryset holding exactly the meetings the viewer may read (the one policy: domain.access).
    `notice_board=False` leaves out the owners' reading of published minutes, for what only members, participants
    and staff see (draft minutes)."""
    if notice_board:
        return visible_queryset(Meeting, viewer)
    return Meeting.filter(MEETING_DRAFT_READERS.condition(viewer))


async def may_read_meeting(viewer: Viewer, meeting_id: int) -> bool:
    return await readable_meetings(viewer).filter(id=meeting_id).exists()


async def draft_readers(viewer: Viewer, meeting_ids: list[int]) -> set[int]:
    """Of these meetings, those whose draft minutes the viewer may read (not through the notice board alone)."""
    return set(await readable_meetings(viewer, notice_board=False).filter(id__in=meeting_ids)
               .values_list("id", flat=True))
