"""Which role reaches which objects — the pure part of every read policy, tested without a database.

A policy names the audiences it admits; `grants` says which of them a viewer belongs to, with the anchor (the
street, community, firm or person) their reach is measured from. The centre supervises everything (物业管理条例
art. 5: the property authority supervises all property management in its area).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.accounts.rules import Role, Viewer


class Audience(StrEnum):
    CENTRE = "CENTRE"  # centre staff: everything
    STREET = "STREET"  # street staff, inside their street
    COMMUNITY = "COMMUNITY"  # community staff, inside their community
    FIRM = "FIRM"  # firm staff, what concerns their firm
    SELF = "SELF"  # the person the object concerns (any signed-in account linked to a person)


@dataclass(frozen=True)
class Grant:
    audience: Audience
    anchor: int | None  # None for CENTRE


def grants(viewer: Viewer, admitted: frozenset[Audience]) -> tuple[Grant, ...]:
    """The audiences of `admitted` the viewer belongs to; empty for anonymous callers and roles without anchor."""
    if not viewer.is_authenticated:
        return ()
    if viewer.is_centre:
        return (Grant(Audience.CENTRE, None),)  # every policy admits the centre
    held: list[Grant] = []
    if Audience.STREET in admitted and Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        held.append(Grant(Audience.STREET, viewer.street_id))
    if Audience.COMMUNITY in admitted and Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        held.append(Grant(Audience.COMMUNITY, viewer.community_id))
    if Audience.FIRM in admitted and Role.FIRM_STAFF in viewer.roles and viewer.firm_id is not None:
        held.append(Grant(Audience.FIRM, viewer.firm_id))
    if Audience.SELF in admitted and viewer.person_id is not None:
        held.append(Grant(Audience.SELF, viewer.person_id))
    return tuple(held)


def roles_reached(admitted: frozenset[Audience]) -> frozenset[Role]:
    """The roles that can read anything of a type admitting these audiences (for documentation and tests)."""
    roles = {Role.CENTRE_ADMIN, Role.CENTRE_STAFF}
    if Audience.STREET in admitted:
        roles.add(Role.STREET_STAFF)
    if Audience.COMMUNITY in admitted:
        roles.add(Role.COMMUNITY_STAFF)
    if Audience.FIRM in admitted:
        roles.add(Role.FIRM_STAFF)
    if Audience.SELF in admitted:
        roles |= {Role.OWNER, Role.COMMITTEE_MEMBER}
    return frozenset(roles)
