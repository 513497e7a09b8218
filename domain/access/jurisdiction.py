"""Jurisdiction checks for mutations that name a person: the person must belong to the actor's territory (own a
unit, hold a post, have filed a complaint or have been registered there), or belong nowhere yet (just registered by
the centre), or the actor be centre staff. Otherwise linking a person to one's territory (a post, a unit, a
complaint, a listing) would open their record and personal data to the staff of that territory.
"""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from domain.access import territory as t
from domain.bodies.models import Membership
from domain.complaints.models import Complaint
from domain.accounts.rules import Role, Viewer
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Community, Ownership, Person


def persons_reached(viewer: Viewer) -> Q | None:
    """The Person filter of the persons an actor may act on; None: everyone (centre)."""
    if viewer.is_centre:
        return None
    parts: list[Q] = []
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        parts.append(t.persons_of_street(viewer.street_id))
    if Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        parts.append(t.persons_of_community(viewer.community_id))
    if not parts:
        return t.NOTHING
    found = parts[0]
    for part in parts[1:]:
        found = found | part
    return found


def unattached() -> Q:
    """Persons linked to no territory yet: no unit, no post, no complaint, registered by the centre."""
    return (
        ~Q(id__in=Subquery(Ownership.all().values("person_id")))
        & ~Q(id__in=Subquery(Membership.all().values("person_id")))
        & ~Q(id__in=Subquery(Complaint.filter(complainant_person_id__isnull=False).values("complainant_person_id")))
        & Q(registered_street_id__isnull=True, registered_community_id__isnull=True)
    )


async def require_person_in_jurisdiction(viewer: Viewer, person_id: int, field: str) -> None:
    await require_persons_in_jurisdiction(viewer, [person_id], field)


async def require_persons_in_jurisdiction(viewer: Viewer, person_ids: list[int], field: str) -> None:
    reached = persons_reached(viewer)
    wanted = set(person_ids)
    if reached is None or not wanted:
        return
    found = set(await Person.filter(reached | unattached(), id__in=list(wanted)).values_list("id", flat=True))
    if wanted - found:
        raise RuleViolation(ErrorCode.FORBIDDEN, "超出您的管辖范围", field, en="Outside your jurisdiction")


async def registering_territory(viewer: Viewer) -> tuple[int | None, int | None]:
    """(street, community) recorded on a person registered by this actor; (None, None) for the centre."""
    if viewer.is_centre:
        return None, None
    if Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        street = await Community.filter(id=viewer.community_id).first().values_list("street_id", flat=True)
        return street, viewer.community_id  # type: ignore[return-value]
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        return viewer.street_id, None
    return None, None
