"""Where a person belongs, as filters: the streets and communities where they own a unit, hold a post or filed a
complaint, and the firms handling one of their open complaints. Shared by the Person read policy, the personal
data rule and the jurisdiction checks of mutations that name a person.
"""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from domain.bodies.models import Membership
from domain.complaints.models import Complaint
from domain.complaints.rules import OPEN_STATUSES
from domain.firms.models import PropertyFirm
from domain.geography.models import Ownership, Person

# A primary key is never NULL: the filter that matches nothing, and compiles to SQL like every other condition.
NOTHING = Q(id__isnull=True)


def posts_in_street(street_id: int) -> Q:
    return (Q(body__street_id=street_id) | Q(body__community__street_id=street_id)
            | Q(body__compound__street_id=street_id) | Q(compound__street_id=street_id))


def posts_in_community(community_id: int) -> Q:
    return (Q(body__community_id=community_id) | Q(body__compound__community_id=community_id)
            | Q(compound__community_id=community_id))


def persons_of_street(street_id: int, field: str = "id") -> Q:
    """Persons owning a unit, holding a post or having filed a complaint in the street, or registered by its staff
    (filter on `field`)."""
    return (
        Q(**{f"{field}__in": Subquery(Person.filter(registered_street_id=street_id).values("id"))})
        |
        Q(**{f"{field}__in": Subquery(Ownership.filter(unit__compound__street_id=street_id).values("person_id"))})
        | Q(**{f"{field}__in": Subquery(Membership.filter(posts_in_street(street_id)).values("person_id"))})
        | Q(**{f"{field}__in": Subquery(Complaint.filter(street_id=street_id).values("complainant_person_id"))})
    )


def persons_of_community(community_id: int, field: str = "id") -> Q:
    return (
        Q(**{f"{field}__in": Subquery(Person.filter(registered_community_id=community_id).values("id"))})
        |
        Q(**{f"{field}__in": Subquery(
            Ownership.filter(unit__compound__community_id=community_id).values("person_id"))})
        | Q(**{f"{field}__in": Subquery(Membership.filter(posts_in_community(community_id)).values("person_id"))})
        | Q(**{f"{field}__in": Subquery(
            Complaint.filter(community_id=community_id).values("complainant_person_id"))})
    )


def firm_body(firm_id: int) -> Subquery:
    return Subquery(PropertyFirm.filter(id=firm_id).values("body_id"))


def complainants_of_firm(firm_id: int, field: str = "id") -> Q:
    """Persons with an open complaint handled by (or accountable to) the firm: the firm has to call them back."""
    handled = Complaint.filter(
        Q(handler_id__in=firm_body(firm_id)) | Q(accountable_id__in=firm_body(firm_id)),
        status__in=list(OPEN_STATUSES),
    )
    return Q(**{f"{field}__in": Subquery(handled.values("complainant_person_id"))})


def staff_of_firm(firm_id: int, field: str = "id") -> Q:
    return Q(**{f"{field}__in": Subquery(Membership.filter(body_id__in=firm_body(firm_id)).values("person_id"))})
