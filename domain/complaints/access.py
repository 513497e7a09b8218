"""Who sees an order and what they may do to it — pure, over plain values.

Firm staff see and act on orders dispatched to their firm; community and street staff on their territory;
the centre everywhere; an owner sees the orders they filed.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts.rules import Role, Scope, Viewer, in_jurisdiction, may_read_personal_data
from domain.bodies.rules import BodyKind
from domain.complaints.escalation import Rung
from domain.complaints.rules import Capability
from domain.geography.rules import mask_phone

__all__ = ["mask_phone"]  # re-exported for the schema

RUNG_BY_KIND: dict[str, Rung] = {
    BodyKind.PROPERTY_FIRM: Rung.FIRM,
    BodyKind.RESIDENTS_COMMITTEE: Rung.COMMUNITY,
    BodyKind.COMMUNITY_PARTY_ORGANISATION: Rung.COMMUNITY,
    BodyKind.STREET_OFFICE: Rung.STREET,
    BodyKind.DISTRICT_CENTRE: Rung.DISTRICT,
}
# Where automatic escalation looks for the unit of the next rung (one per community / street / district).
KIND_BY_RUNG: dict[Rung, BodyKind] = {
    Rung.FIRM: BodyKind.PROPERTY_FIRM,
    Rung.COMMUNITY: BodyKind.RESIDENTS_COMMITTEE,
    Rung.STREET: BodyKind.STREET_OFFICE,
    Rung.DISTRICT: BodyKind.DISTRICT_CENTRE,
}


@dataclass(frozen=True)
class BodyRef:
    id: int
    kind: str
    street_id: int | None
    community_id: int | None


@dataclass(frozen=True)
class OrderPlace:
    """The facts of one order that decide access."""

    street_id: int
    community_id: int
    compound_id: int
    complainant_person_id: int | None
    handler: BodyRef | None
    accountable: BodyRef | None
    escalation_level: int

    @property
    def scope(self) -> Scope:
        return Scope(street_id=self.street_id, community_id=self.community_id, compound_id=self.compound_id)


def staffs_body(viewer: Viewer, body: BodyRef | None, *, order_street_id: int, firm_body_id: int | None) -> bool:
    """Whether the viewer works for `body` as a complaint handler."""
    if body is None:
        return False
    if body.kind == BodyKind.PROPERTY_FIRM:
        return Role.FIRM_STAFF in viewer.roles and firm_body_id is not None and firm_body_id == body.id
    if body.kind == BodyKind.DISTRICT_CENTRE:
        return viewer.is_centre
    if body.kind == BodyKind.STREET_OFFICE:
        street = body.street_id if body.street_id is not None else order_street_id
        return viewer.is_centre or (Role.STREET_STAFF in viewer.roles and viewer.street_id == street)
    if body.community_id is not None:
        return viewer.is_centre or (
            Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id == body.community_id
        )
    return viewer.is_centre


def capabilities(viewer: Viewer, place: OrderPlace, *, firm_body_id: int | None) -> frozenset[Capability]:
    held: set[Capability] = set()
    supervises = in_jurisdiction(viewer, place.scope)
    if supervises:
        held.add(Capability.SUPERVISE)
    for body in (place.handler, place.accountable):
        if staffs_body(viewer, body, order_street_id=place.street_id, firm_body_id=firm_body_id):
            held.add(Capability.HANDLE)
    # 吹哨报到: once an order was escalated, the units of the territory report to the accountable unit
    if supervises and place.escalation_level > 0:
        held.add(Capability.CO_HANDLE)
    return frozenset(held)


def may_see(viewer: Viewer, place: OrderPlace, *, firm_body_id: int | None) -> bool:
    if capabilities(viewer, place, firm_body_id=firm_body_id):
        return True
    return viewer.person_id is not None and viewer.person_id == place.complainant_person_id


def may_read_complainant(viewer: Viewer, place: OrderPlace, *, firm_body_id: int | None) -> bool:
    """Staff of the territory and the complainant themself; the handler too, who has to call them back."""
    scope = Scope(
        street_id=place.street_id,
        community_id=place.community_id,
        compound_id=place.compound_id,
        person_id=place.complainant_person_id,
    )
    if may_read_personal_data(viewer, scope):
        return True
    return Capability.HANDLE in capabilities(viewer, place, firm_body_id=firm_body_id)


def mask_name(name: str) -> str:
    return name[:1] + "*" * (len(name) - 1) if len(name) > 1 else name
