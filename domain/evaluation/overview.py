"""Governance overview (党建引领物业治理 figures) of a street, a community or the whole jurisdiction: the figures the
seeds report, e.g. 业委会组建率 46%, 党员占比 50%, 105 个红色物业."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from domain.accounts.rules import Scope, Viewer, require_jurisdiction
from domain.committees.indicators import committee_indicators
from domain.firms.models import PropertyFirm
from domain.firms.rules import PartyOrganisation
from domain.geography.models import Community, Compound, Street
from domain.geography.rules import ManagementMode
from domain.geography.service import not_found
from domain.firms.coverage import serving_firm_ids

SHARE_PLACES = Decimal("0.0001")


def share(part: Any, whole: int | None = None) -> Decimal | None:
    """A share in [0, 1] to four decimals (0.4600 = 46 %); None when there is nothing to divide by."""
    if part is None or whole == 0:
        return None
    value = Fraction(part) / whole if whole is not None else Fraction(part)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class GovernanceOverview:
    compound_count: int
    compounds_by_management_mode: dict[ManagementMode, int]
    committee_formation_rate: Decimal | None
    party_member_share_in_committees: Decimal | None
    red_property_count: int
    firm_party_organisation_coverage: Decimal | None
    cross_appointment_count: int


async def _committee_figures(compound_ids: list[int], today: date) -> tuple[Decimal | None, Decimal | None, int]:
    figures = await committee_indicators(compound_ids, today=today)
    return (
        share(figures.formation_rate),
        share(figures.party_member_share),
        figures.cross_appointment_count,
    )


async def governance_overview(
    *, actor: Viewer, street_id: int | None, community_id: int | None, today: date
) -> GovernanceOverview:
    query = Compound.filter(merged_into_id__isnull=True)  # a consolidated compound counts in its new area
    if community_id is not None:
        community = await Community.get_or_none(id=community_id)
        if community is None:
            raise not_found("社区", "scopeId")
        require_jurisdiction(actor, Scope(street_id=community.street_id, community_id=community.id))
        query = query.filter(community_id=community.id)
    elif street_id is not None:
        if not await Street.exists(id=street_id):
            raise not_found("街道", "scopeId")
        require_jurisdiction(actor, Scope(street_id=street_id))
        query = query.filter(street_id=street_id)
    else:
        require_jurisdiction(actor, Scope())
    compounds = await query.values_list("id", "management_mode", "is_red_property")
    compound_ids = [c[0] for c in compounds]
    modes = Counter(ManagementMode(c[1]) for c in compounds)
    firm_ids = set((await serving_firm_ids(compound_ids, today)).values())
    organised = await PropertyFirm.filter(id__in=list(firm_ids)).exclude(
        party_organisation=PartyOrganisation.NONE
    ).count()
    formation, party_share, cross = await _committee_figures(compound_ids, today)
    return GovernanceOverview(
        compound_count=len(compounds),
        compounds_by_management_mode={mode: modes.get(mode, 0) for mode in ManagementMode},
        committee_formation_rate=formation,
        party_member_share_in_committees=party_share,
        red_property_count=sum(1 for c in compounds if c[2]),
        firm_party_organisation_coverage=share(organised, len(firm_ids)),
        cross_appointment_count=cross,
    )
