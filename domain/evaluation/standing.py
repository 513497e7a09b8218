"""A firm's current standing: the grade and listing of the latest publication that names it, and what follows
from it (a black-listed firm cannot sign a contract; red-listed firms are offered to compounds without a firm)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.models import PublicationEntry
from domain.evaluation.recommendation import Candidate, Proximity, rank_candidates
from domain.evaluation.scoring import Listing
from domain.firms.models import ContractCompound, PropertyFirm
from domain.geography.models import Compound, Street
from domain.geography.rules import ManagementMode
from domain.rulepacks import rule_pack
from domain.firms.coverage import coverage_in_force


@dataclass(frozen=True)
class Standing:
    firm_id: int
    grade: str | None
    listing: Listing
    score: Decimal | None
    period: str | None


async def current_standings(firm_ids: Sequence[int]) -> dict[int, Standing]:
    """One query for any number of firms; a firm never published has no grade and no listing."""
    entries = (
        await PublicationEntry.filter(firm_id__in=list(set(firm_ids)))
        .select_related("publication")
        .order_by("publication__published_at", "publication_id")
    )
    latest: dict[int, PublicationEntry] = {}
    for entry in entries:
        latest[entry.firm_id] = entry
    return {
        firm_id: (
            Standing(firm_id, e.grade, Listing(e.listing), e.score, e.publication.period)
            if (e := latest.get(firm_id)) is not None
            else Standing(firm_id, None, Listing.NONE, None, None)
        )
        for firm_id in firm_ids
    }


async def refuse_blacklisted_firm(firm: PropertyFirm, today: date) -> None:
    """Called by the firms area when a contract is signed: a firm on the currently published black list may not be
    hired (黑榜企业不得承接新项目)."""
    standing = (await current_standings([firm.id]))[firm.id]
    if standing.listing is Listing.BLACK:
        raise RuleViolation(
            ErrorCode.FIRM_BLACKLISTED,
            f"{firm.name}列入{standing.period}黑榜，不得签订物业服务合同",
            "firmId",
            en=f"{firm.name} is on the published black list of {standing.period}",
        )


async def _serving(street_id: int, today: date) -> list[ContractCompound]:
    return list(
        await coverage_in_force(today).filter(compound__street_id=street_id).select_related("compound")
    )


async def recommended_firms(*, compound: Compound, today: date) -> list[Candidate]:
    """虚拟物业超市: for a compound without a firm, the red-listed firms serving its street, ranked."""
    if compound.management_mode != ManagementMode.NONE:
        return []
    street = await Street.get(id=compound.street_id)
    pack = rule_pack(street.rule_pack) or rule_pack("national")
    assert pack is not None
    coverage = await _serving(compound.street_id, today)
    proximity: dict[int, Proximity] = {}
    for link in coverage:
        same_community = link.compound.community_id == compound.community_id
        here = Proximity.SAME_COMMUNITY if same_community else Proximity.SAME_STREET
        proximity[link.firm_id_copy] = min(proximity.get(link.firm_id_copy, here), here)
    standings = await current_standings(list(proximity))
    red = [s for s in standings.values() if s.listing is Listing.RED and s.grade is not None]
    names = dict(await PropertyFirm.filter(id__in=[s.firm_id for s in red]).values_list("id", "name"))
    candidates = [
        Candidate(s.firm_id, names[s.firm_id], s.grade or "", s.score or Decimal(0), proximity[s.firm_id])
        for s in red
    ]
    return rank_candidates(candidates, pack.credit)
