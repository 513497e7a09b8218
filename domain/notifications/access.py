"""Who may read notifications and outbox messages, as tortoise Q filters (registered in the read-policy table)."""

from __future__ import annotations

from tortoise.expressions import Q

from domain.accounts.rules import Viewer

NOTHING = Q(id__in=[])


def readable_notifications(viewer: Viewer) -> Q:
    """Only one's own: addressed to the viewer's person or to the viewer's account."""
    if not viewer.is_authenticated:
        return NOTHING
    mine = Q(account_id=viewer.account_id)
    if viewer.person_id is not None:
        mine |= Q(person_id=viewer.person_id)
    return mine


def readable_outbox(viewer: Viewer) -> Q:
    """Delivery status is for staff: the centre sees every message (one-time codes included); street and community
    staff see messages to owners in their territory."""
    from tortoise.expressions import Subquery

    from domain.accounts.rules import CENTRE, Role
    from domain.geography.models import Ownership

    if viewer.has_any(CENTRE):
        return Q()
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        owners = Ownership.filter(unit__compound__street_id=viewer.street_id).values("person_id")
        return Q(person_id__in=Subquery(owners))
    if Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        owners = Ownership.filter(unit__compound__community_id=viewer.community_id).values("person_id")
        return Q(person_id__in=Subquery(owners))
    return NOTHING
