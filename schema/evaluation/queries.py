"""Red and black lists, publications, evaluations, standings, overviews, recommendations (public lists: no login)."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from domain.accounts.rules import STAFF
from domain.errors import RuleViolation
from domain.evaluation import models as em
from domain.evaluation import overview as overviews
from domain.evaluation.periods import parse_period
from domain.evaluation.queries import may_see_evaluation, visible_inspections
from domain.evaluation.scoring import Listing as ListingEnum
from domain.evaluation.snapshots import published_lists, verify_street_chain
from domain.evaluation.standing import recommended_firms
from domain.geography import models as gm
from schema.core.context import Info
from schema.core.permissions import Allow
from schema.core.relay import Connection, PageArgs, filter_id, paginate, parse_id, query_id
from schema.core.scalars import Period
from schema.evaluation.types import (
    CreditEvent,
    Evaluation,
    FirmRecommendation,
    GovernanceOverview,
    Inspection,
    ListedFirm,
    ListEntry,
    ManagementModeCount,
    Publication,
    PublicationChainVerification,
    RedBlackList,
)


T = TypeVar("T")


async def _as_query(call: Awaitable[T]) -> T:
    """Queries have no payload: a domain rejection is a GraphQL error carrying its code."""
    try:
        return await call
    except RuleViolation as violation:
        raise GraphQLError(violation.message, extensions={"code": violation.code.value}) from None


def _entry(e: em.PublicationEntry) -> ListEntry:
    return ListEntry(firm=ListedFirm(name=e.name, credit_code=e.credit_code), score=e.score, grade=e.grade,
                     reasons=list(e.reasons))


def _listed(publications: list[em.Publication], listing: ListingEnum) -> list[ListEntry]:
    entries = [e for p in publications for e in p.entries if e.listing == listing]
    return [_entry(e) for e in sorted(entries, key=lambda e: (-e.score, e.credit_code))]


@strawberry.type
class Query:
    @strawberry.field(description="红黑榜 — the published lists of a period; public, no login needed")
    async def red_black_list(
        self, period: Period, street_id: strawberry.ID | None = None
    ) -> RedBlackList | None:
        street = filter_id(street_id, "Street") if street_id is not None else None
        publications = await published_lists(parse_period(period), street)
        if not publications:
            return None
        hashes = sorted(p.content_hash for p in publications)
        digest = hashes[0] if len(hashes) == 1 else hashlib.sha256("\n".join(hashes).encode()).hexdigest()
        return RedBlackList(
            period=period, published_at=max(p.published_at for p in publications), content_hash=digest,
            red=_listed(publications, ListingEnum.RED), black=_listed(publications, ListingEnum.BLACK),
            publications=[Publication.from_model(p) for p in publications],
        )

    @strawberry.field(description="公示历史 — a street's publications, newest first; public")
    async def publication_history(
        self, street_id: strawberry.ID, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[Publication]:
        query = em.Publication.filter(street_id=filter_id(street_id, "Street"))
        return await paginate(query, PageArgs(first, after, last, before), Publication.from_model, descending=True)

    @strawberry.field(description="校验公示哈希链 — recompute a street's publications; public")
    async def verify_publication_chain(self, street_id: strawberry.ID) -> PublicationChainVerification:
        result = await verify_street_chain(filter_id(street_id, "Street"))
        return PublicationChainVerification(
            valid=result.check.valid, checked=result.check.checked, broken_period=result.check.broken_period,
            problem=result.check.problem, head_hash=result.head_hash)

    @strawberry.field(description="信用评价", extensions=[Allow(STAFF)])
    async def evaluation(self, info: Info, id: strawberry.ID) -> Evaluation | None:
        pk = query_id(id, "Evaluation")
        row = await info.context.loaders.by_id(em.Evaluation).load(pk) if pk is not None else None
        return Evaluation.from_model(row) if row and may_see_evaluation(info.context.viewer, row) else None

    @strawberry.field(description="日常检查 — inspections, newest first", extensions=[Allow(STAFF)])
    async def inspections(
        self, info: Info, firm_id: strawberry.ID | None = None, compound_id: strawberry.ID | None = None,
        first: int | None = None, after: str | None = None, last: int | None = None, before: str | None = None,
    ) -> Connection[Inspection]:
        query = visible_inspections(
            info.context.viewer,
            firm_id=filter_id(firm_id, "PropertyFirm") if firm_id is not None else None,
            compound_id=filter_id(compound_id, "Compound") if compound_id is not None else None,
        )
        return await paginate(query, PageArgs(first, after, last, before), Inspection.from_model, descending=True)

    @strawberry.field(description="信用信息 — credit events of a firm, newest first", extensions=[Allow(STAFF)])
    async def credit_events(
        self, firm_id: strawberry.ID, first: int | None = None, after: str | None = None,
        last: int | None = None, before: str | None = None,
    ) -> Connection[CreditEvent]:
        query = em.CreditEvent.filter(firm_id=filter_id(firm_id, "PropertyFirm"))
        return await paginate(query, PageArgs(first, after, last, before), CreditEvent.from_model, descending=True)

    @strawberry.field(description="治理概况 — of a street or community (scopeId), or everything", extensions=[Allow(STAFF)])
    async def governance_overview(self, info: Info, scope_id: strawberry.ID | None = None) -> GovernanceOverview:
        parsed = parse_id(scope_id) if scope_id is not None else None
        if scope_id is not None and (parsed is None or parsed[0] not in ("Street", "Community")):
            raise GraphQLError(f"Not an ID of Street/Community: {scope_id}", extensions={"code": "INVALID"})
        figures = await _as_query(overviews.governance_overview(
            actor=info.context.viewer,
            street_id=parsed[1] if parsed and parsed[0] == "Street" else None,
            community_id=parsed[1] if parsed and parsed[0] == "Community" else None,
            today=info.context.today))
        return GovernanceOverview(
            compound_count=figures.compound_count,
            compounds_by_management_mode=[
                ManagementModeCount(mode=mode, count=count)
                for mode, count in figures.compounds_by_management_mode.items()
            ],
            committee_formation_rate=figures.committee_formation_rate,
            party_member_share_in_committees=figures.party_member_share_in_committees,
            red_property_count=figures.red_property_count,
            firm_party_organisation_coverage=figures.firm_party_organisation_coverage,
            cross_appointment_count=figures.cross_appointment_count,
        )

    @strawberry.field(description="虚拟物业超市 — red-listed firms for a compound without a firm, best first",
                      extensions=[Allow(STAFF)])
    async def firm_recommendations(self, info: Info, compound_id: strawberry.ID) -> list[FirmRecommendation]:
        pk = query_id(compound_id, "Compound")
        compound = await info.context.loaders.by_id(gm.Compound).load(pk) if pk is not None else None
        if compound is None:
            return []
        ranked = await recommended_firms(compound=compound, today=info.context.today)
        return [FirmRecommendation(grade=c.grade, score=c.score, proximity=c.proximity, _firm_id=c.firm_id)
                for c in ranked]
