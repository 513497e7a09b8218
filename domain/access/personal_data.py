"""Phone and ID number by jurisdiction (PIPL arts. 28, 51: sensitive personal information, minimum necessary access).

Unmasked only for the person themself; centre staff; street staff of a street where the person owns a unit, holds
a post or filed a complaint (or whose staff registered them: they collected the data); community staff likewise for
their community; and the firm handling one of the person's open complaints — the phone only, to call them back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from tortoise.expressions import Q

from domain.access import territory as t
from domain.accounts.rules import Role, Viewer
from domain.bodies.models import Membership
from domain.complaints.models import Complaint
from domain.complaints.rules import OPEN_STATUSES
from domain.firms.models import PropertyFirm
from domain.geography.models import Ownership, Person


@dataclass(frozen=True)
class PersonFacts:
    """Where one person belongs (owns, holds a post, filed a complaint) and which firms handle their open orders."""

    person_id: int
    street_ids: frozenset[int] = field(default_factory=frozenset)
    community_ids: frozenset[int] = field(default_factory=frozenset)
    handling_firm_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Disclosure:
    phone: bool
    id_number: bool


HIDDEN = Disclosure(phone=False, id_number=False)
FULL = Disclosure(phone=True, id_number=True)


def disclosure(viewer: Viewer, facts: PersonFacts) -> Disclosure:
    if viewer.person_id is not None and viewer.person_id == facts.person_id:
        return FULL
    if viewer.is_centre:
        return FULL
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None and viewer.street_id in facts.street_ids:
        return FULL
    if (Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None
            and viewer.community_id in facts.community_ids):
        return FULL
    if Role.FIRM_STAFF in viewer.roles and viewer.firm_id is not None and viewer.firm_id in facts.handling_firm_ids:
        return Disclosure(phone=True, id_number=False)
    return HIDDEN


def unmasked_condition(viewer: Viewer) -> tuple[Q, Q]:
    """The same rule as filters on Person (phone, ID number), for the compiled read path: a row matching the
    filter is shown unmasked."""
    if not viewer.is_authenticated:
        return t.NOTHING, t.NOTHING
    if viewer.is_centre:
        return Q(), Q()
    both: list[Q] = []
    if viewer.person_id is not None:
        both.append(Q(id=viewer.person_id))
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        both.append(t.persons_of_street(viewer.street_id))
    if Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        both.append(t.persons_of_community(viewer.community_id))
    phone = list(both)
    if Role.FIRM_STAFF in viewer.roles and viewer.firm_id is not None:
        phone.append(t.complainants_of_firm(viewer.firm_id))
    return _any(phone), _any(both)


def _any(parts: list[Q]) -> Q:
    if not parts:
        return t.NOTHING
    found = parts[0]
    for part in parts[1:]:
        found = found | part
    return found


async def load_person_facts(person_ids: Iterable[int]) -> list[PersonFacts]:
    """Facts for many persons in five statements, whatever their number (aligned with `person_ids`)."""
    ids = list(person_ids)
    streets: dict[int, set[int]] = defaultdict(set)
    communities: dict[int, set[int]] = defaultdict(set)
    firms: dict[int, set[int]] = defaultdict(set)
    if ids:
        for person, street, community in await Person.filter(id__in=ids).values_list(
            "id", "registered_street_id", "registered_community_id"
        ):
            _note(streets, communities, person, street, community)
        for person, street, community in await Ownership.filter(person_id__in=ids).values_list(
            "person_id", "unit__compound__street_id", "unit__compound__community_id"
        ):
            _note(streets, communities, person, street, community)
        for row in await Membership.filter(person_id__in=ids).values_list(
            "person_id", "body__street_id", "body__community_id", "body__community__street_id",
            "body__compound__street_id", "body__compound__community_id", "compound__street_id",
            "compound__community_id",
        ):
            person = row[0]
            _note(streets, communities, person, row[1], row[2])
            _note(streets, communities, person, row[3], None)
            _note(streets, communities, person, row[4], row[5])
            _note(streets, communities, person, row[6], row[7])
        handled: dict[int, set[int]] = defaultdict(set)
        for person, street, community, status, handler, accountable in await Complaint.filter(
            complainant_person_id__in=ids
        ).values_list("complainant_person_id", "street_id", "community_id", "status", "handler_id", "accountable_id"):
            _note(streets, communities, person, street, community)
            if status in OPEN_STATUSES:
                for body in (handler, accountable):
                    if body is not None:
                        handled[body].add(person)
        # Always sent, even with no open order among them: a constant statement count whatever the data.
        for firm, body in await PropertyFirm.filter(body_id__in=list(handled) or [0]).values_list("id", "body_id"):
            for person in handled[body]:
                firms[person].add(firm)
    return [PersonFacts(person_id=p, street_ids=frozenset(streets[p]), community_ids=frozenset(communities[p]),
                        handling_firm_ids=frozenset(firms[p])) for p in ids]


def _note(streets: dict[int, set[int]], communities: dict[int, set[int]], person: int,
          street: int | None, community: int | None) -> None:
    if street is not None:
        streets[person].add(street)
    if community is not None:
        communities[person].add(community)
