"""Read-side queries of the committees area: list filters and committees due for re-election."""

from __future__ import annotations

from collections import Counter
from datetime import date

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.bodies.models import Membership
from domain.committees.facts import current
from domain.committees.lifecycle import reelection_due
from domain.committees.models import CrossAppointment, OwnersBody
from domain.committees.values import LIVE_STATUSES, Basis, CommitteeKind, Status, Term
from domain.rulepacks import RulePack, resolve_reference, rule_pack


def pack_of(reference: str) -> RulePack:
    """The pack a body was formed under (`name@version`): that released version."""
    pack = resolve_reference(reference) or rule_pack("national")
    assert pack is not None
    return pack


def scope_filter(*, street_id: int | None, community_id: int | None, compound_id: int | None) -> Q:
    if compound_id is not None:
        return Q(compound_id=compound_id)
    if community_id is not None:
        return Q(compound__community_id=community_id)
    if street_id is not None:
        return Q(compound__street_id=street_id)
    return Q()


def status_filter(status: Status, today: date) -> Q:
    """Stored status with the derived expiry applied (a body past its term end is EXPIRED)."""
    if status is Status.EXPIRED:
        return Q(status=Status.EXPIRED) | Q(status__in=list(LIVE_STATUSES), term_ends_on__lt=today)
    if status in LIVE_STATUSES:
        return Q(status=status, term_ends_on__gte=today)
    return Q(status=status)


def owners_bodies(
    *, scope: Q, kind: CommitteeKind | None = None, status: Status | None = None, today: date
) -> QuerySet[OwnersBody]:
    query = OwnersBody.filter(scope)
    if kind is not None:
        query = query.filter(kind=kind)
    if status is not None:
        query = query.filter(status_filter(status, today))
    return query


async def due_for_reelection(*, scope: Q, today: date) -> list[int]:
    """Ids of bodies in office that are inside their pack's lead time or have fewer than half the seats filled."""
    rows = await OwnersBody.filter(scope, status__in=list(LIVE_STATUSES), term_ends_on__gte=today).values_list(
        "id", "body_id", "status", "elected_on", "term_ends_on", "seat_count", "rule_pack"
    )
    filled = Counter(
        await Membership.filter(current(today), body_id__in=[r[1] for r in rows]).values_list("body_id", flat=True)
    )
    return [
        pk for pk, body_id, status, elected_on, ends_on, seats, pack in rows
        if reelection_due(Term(Status(status), elected_on, ends_on), filled=filled[body_id], seats=seats,
                          pack=pack_of(pack), today=today)
    ]


def cross_appointments(
    *, street_id: int | None, community_id: int | None, compound_id: int | None, person_id: int | None,
    basis: Basis | None,
) -> QuerySet[CrossAppointment]:
    query = CrossAppointment.all()
    if compound_id is not None:
        query = query.filter(compound_id=compound_id)
    elif community_id is not None:
        query = query.filter(community_id=community_id)
    elif street_id is not None:
        query = query.filter(street_id=street_id)
    if person_id is not None:
        query = query.filter(person_id=person_id)
    if basis is not None:
        query = query.filter(basis=basis)
    return query
