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
from domain.deliberation.vocabulary import MeetingKind
from domain.geography.models import Unit


def readable_meetings(viewer: Viewer) -> Any:
    """A Meeting queryset holding exactly the meetings the viewer may read."""
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
        allowed.append(Q(kind=MeetingKind.OWNERS_ASSEMBLY,
                         compound_id__in=Subquery(Unit.filter(ownerships__person_id=person).values("compound_id"))))
    if not allowed:
        return Meeting.filter(id__in=[])
    return Meeting.filter(Q(*allowed, join_type="OR"))


async def may_read_meeting(viewer: Viewer, meeting_id: int) -> bool:
    return await readable_meetings(viewer).filter(id=meeting_id).exists()
