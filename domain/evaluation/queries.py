"""What a viewer may list: centre staff everything, street and community staff their own territory."""

from __future__ import annotations

from typing import Any

from domain.accounts.rules import Role, Viewer
from domain.evaluation.models import Evaluation, Inspection


def visible_inspections(viewer: Viewer, *, firm_id: int | None, compound_id: int | None) -> Any:
    query = Inspection.all()
    if not viewer.is_centre:
        if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None:
            query = query.filter(compound__street_id=viewer.street_id)
        elif Role.COMMUNITY_STAFF in viewer.roles and viewer.community_id is not None:
            query = query.filter(compound__community_id=viewer.community_id)
        else:
            query = query.filter(id__lt=0)
    if firm_id is not None:
        query = query.filter(firm_id=firm_id)
    if compound_id is not None:
        query = query.filter(compound_id=compound_id)
    return query


def may_see_evaluation(viewer: Viewer, evaluation: Evaluation) -> bool:
    """A street's evaluation: the centre, and the street's own staff (community staff see the published list)."""
    return viewer.is_centre or (Role.STREET_STAFF in viewer.roles and viewer.street_id == evaluation.street_id)
