"""Who may read the notice board, as tortoise Q filters over Disclosure (registered in the read-policy table)."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery

from domain.accounts.rules import Role, Viewer
from domain.disclosures.rules import PUBLIC_KINDS


def owned_compounds(person_id: int) -> Subquery:
    from domain.geography.models import Unit

    return Subquery(Unit.filter(ownerships__person_id=person_id).values("compound_id"))


def readable_disclosures(viewer: Viewer) -> Q:
    """Anyone: the kinds the law makes public. Owners: everything on their compounds' boards (区分所有权解释 art. 13).
    Committee members through their ownership; the serving firm's staff their compounds; staff by jurisdiction."""
    allowed = [Q(kind__in=list(PUBLIC_KINDS))]
    if viewer.is_centre:
        return Q()
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
        allowed.append(Q(compound__street_id=viewer.street_id))
    if Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
        allowed.append(Q(compound__community_id=viewer.community_id))
    if Role.FIRM_STAFF in viewer.roles and viewer.firm_id is not None:
        from domain.firms.models import ContractCompound

        served = ContractCompound.filter(firm_id_copy=viewer.firm_id).values("compound_id")
        allowed.append(Q(compound_id__in=Subquery(served)))
    if viewer.person_id is not None:
        allowed.append(Q(compound_id__in=owned_compounds(viewer.person_id)))
        from domain.bodies.models import Body, Membership

        bodies = Membership.filter(person_id=viewer.person_id).values("body_id")
        allowed.append(Q(compound_id__in=Subquery(Body.filter(id__in=Subquery(bodies), compound_id__isnull=False)
                                                  .values("compound_id"))))
    return Q(*allowed, join_type="OR")
