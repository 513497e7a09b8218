"""Jurisdiction checks for mutations that name a person: the person must belong to the actor's territory
(own a unit, hold a post or have filed a complaint there), or the actor be centre staff."""

from __future__ import annotations

from domain.access import territory as t
from domain.accounts.rules import Role, Viewer
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Person


def persons_reached(viewer: Viewer):  # type: ignore[no-untyped-def]
    """The Person filter of the persons an actor may act on; None: everyone (centre)."""
    if viewer.is_centre:
        return None
    parts = []
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


async def require_person_in_jurisdiction(viewer: Viewer, person_id: int, field: str) -> None:
    reached = persons_reached(viewer)
    if reached is None:
        return
    if not await Person.filter(reached, id=person_id).exists():
        raise RuleViolation(ErrorCode.FORBIDDEN, "超出您的管辖范围", field, en="Outside your jurisdiction")
