"""Reads the plain facts the committee rules decide over (owners, posts, relatives, listings): one query each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tortoise.expressions import Q

from domain.bodies.models import Membership
from domain.bodies.rules import BodyKind
from domain.committees.models import DeclaredRelation, OwnersBody, ReserveListing
from domain.committees.values import FirmPost, Listing, Relation
from domain.firms.models import PropertyFirm
from domain.geography.models import Ownership
from domain.firms.coverage import serving_firm_ids  # noqa: F401  (the committees read it from here)


def current(today: date) -> Q:
    """Memberships held on `today`."""
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


async def owner_ids(compound_id: int, person_ids: Iterable[int]) -> set[int]:
    rows = await Ownership.filter(unit__compound_id=compound_id, person_id__in=list(person_ids)).values_list(
        "person_id", flat=True
    )
    return set(rows)


async def residents_committee_member_ids(community_id: int, person_ids: Iterable[int], today: date) -> set[int]:
    rows = await Membership.filter(
        current(today), body__kind=BodyKind.RESIDENTS_COMMITTEE, body__community_id=community_id,
        person_id__in=list(person_ids),
    ).values_list("person_id", flat=True)
    return set(rows)




async def firm_body_id(firm_id: int) -> int | None:
    return await PropertyFirm.filter(id=firm_id).first().values_list("body_id", flat=True)


async def firm_posts(firm_id: int | None, person_ids: Iterable[int], today: date) -> list[FirmPost]:
    """Current posts at the firm held by any of the persons."""
    if firm_id is None:
        return []
    body_id = await firm_body_id(firm_id)
    rows = await Membership.filter(current(today), body_id=body_id, person_id__in=list(person_ids)).values_list(
        "person_id", "role", "paid"
    )
    return [FirmPost(person_id, str(role), paid) for person_id, role, paid in rows]


async def relations_of(person_ids: Iterable[int]) -> list[Relation]:
    ids = list(person_ids)
    rows = await DeclaredRelation.filter(Q(person_id__in=ids) | Q(relative_id__in=ids)).values_list(
        "person_id", "relative_id", "kind"
    )
    return [Relation(p, r, k) for p, r, k in rows]


def relatives(relations: Iterable[Relation]) -> set[int]:
    return {r.person_id for r in relations} | {r.relative_id for r in relations}


async def listings(compound_id: int, person_ids: Iterable[int]) -> list[Listing]:
    rows = await ReserveListing.filter(compound_id=compound_id, person_id__in=list(person_ids))
    return [Listing(r.person_id, r.kind, r.listed_on, r.reason, r.cleared_on) for r in rows]


async def live_body(compound_id: int) -> OwnersBody | None:
    return await OwnersBody.get_or_none(live_compound_id=compound_id)


async def open_seats(owners_body: OwnersBody) -> list[Membership]:
    """Seats whose end has not been recorded."""
    return list(await Membership.filter(body_id=owners_body.body_id, ends_on__isnull=True).order_by("id"))
