"""Who may read which meetings, as one query: lists filter by it and single objects check it.

Staff read the meetings of their territory (centre staff all of them). A person reads the meetings they were
invited to, the meetings of a body they hold or held a post in, and the owners' assemblies of a compound where
they own a unit (they vote there).
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q, Subquery

from domain.accounts.rules import Role, Viewer
from domain.bodies.models import Membership
from domain.deliberation.models import Meeting, Participant
from domain.deliberation.vocabulary import MeetingKind, MeetingStatus
from domain.geography.models import Unit


def readable_meetings(viewer: Viewer, *, notice_board: bool = True) -> Any:
    """A Meeting queryset holding exactly the meetings the viewer may read. `notice_board=False` leaves out the
    owners' reading of published minutes, for what only members, participants and staff see (draft minutes)."""
    if viewer.is_centre:
        return Meeting.all()
    allowed: list[Q] = []
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        allowed.append(Q(community__street_id=viewer.street_id))
    if Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        allowed.append(Q(community_id=viewer.community_id))
    if viewer.person_id is not None:
        person = viewer.person_id
        allowed.append(Q(id__in=Subquery(Participant.filter(person_id=person).values("meeting_id"))))
        allowed.append(Q(convener_id__in=Subquery(Membership.filter(person_id=person).values("body_id"))))
        owned = Unit.filter(ownerships__person_id=person).values("compound_id")
        allowed.append(Q(kind=MeetingKind.OWNERS_ASSEMBLY, compound_id__in=Subquery(owned)))
        if notice_board:
            # 区分所有权解释 art. 13: owners may read the decisions and minutes of their compound's meetings.
            allowed.append(Q(status=MeetingStatus.MINUTES_PUBLISHED, compound_id__in=Subquery(
                Unit.filter(ownerships__person_id=person).values("compound_id"))))
    if not allowed:
        return Meeting.filter(id__in=[])
    return Meeting.filter(Q(*allowed, join_type="OR"))


async def may_read_meeting(viewer: Viewer, meeting_id: int) -> bool:
    return await readable_meetings(viewer).filter(id=meeting_id).exists()


async def draft_readers(viewer: Viewer, meeting_ids: list[int]) -> set[int]:
    """Of these meetings, those whose draft minutes the viewer may read (not through the notice board alone)."""
    return set(await readable_meetings(viewer, notice_board=False).filter(id__in=meeting_ids)
               .values_list("id", flat=True))
