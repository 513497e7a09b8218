"""Reading publications back: their hashed content rebuilt from the stored rows, the public lists, and the
verification of a street's chain."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.evaluation.models import Publication, PublicationEntry
from domain.evaluation.periods import Period
from domain.evaluation.publication import (
    ChainCheck,
    PublicationContent,
    PublishedEntry,
    StoredPublication,
    verify_chain,
)
from domain.evaluation.scoring import Listing


def street_scope(street_id: int) -> str:
    return f"street:{street_id}"


def publication_content(publication: Publication, entries: Iterable[PublicationEntry]) -> PublicationContent:
    return PublicationContent(
        scope=street_scope(publication.street_id),
        period=publication.period,
        scheme=publication.scheme,
        published_at=publication.published_at,
        previous_hash=publication.previous_hash,
        entries=tuple(
            PublishedEntry(e.credit_code, e.name, e.score, e.grade, Listing(e.listing), tuple(e.reasons))
            for e in entries
        ),
    )


@dataclass(frozen=True)
class StreetChainCheck:
    check: ChainCheck
    head_hash: str | None  # the newest hash: shown where the list leaves the database


async def verify_street_chain(street_id: int) -> StreetChainCheck:
    """Recomputes every publication of the street from its stored rows, oldest first."""
    publications = await Publication.filter(street_id=street_id).order_by("sequence").prefetch_related("entries")
    stored = [StoredPublication(publication_content(p, p.entries), p.content_hash) for p in publications]
    check = verify_chain(stored)
    if check.valid:
        gap = next((p for n, p in enumerate(publications, start=1) if p.sequence != n), None)
        if gap is not None:
            check = ChainCheck(False, len(publications), gap.period, "a publication is missing before this one")
    return StreetChainCheck(check, publications[-1].content_hash if publications else None)


async def published_lists(period: Period, street_id: int | None) -> list[Publication]:
    """The publications of a period (one per street, or the one street asked for), entries loaded."""
    query = Publication.filter(period=str(period))
    if street_id is not None:
        query = query.filter(street_id=street_id)
    return list(await query.order_by("street_id").prefetch_related("entries"))
