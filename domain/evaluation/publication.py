"""Publication (公示) of a period's results: canonical serialisation, SHA-256 content hash, and a hash chain per
street, so that any later edit of a published row, or a rewrite of the chain, is detectable by recomputation."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from domain.evaluation.scoring import Listing, two_places


@dataclass(frozen=True)
class PublishedEntry:
    credit_code: str
    name: str
    score: Decimal
    grade: str
    listing: Listing
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PublicationContent:
    scope: str  # the street whose chain this publication extends
    period: str
    scheme: str  # the rule pack reference, e.g. national@2026.1
    published_at: datetime
    previous_hash: str | None
    entries: tuple[PublishedEntry, ...]


@dataclass(frozen=True)
class StoredPublication:
    content: PublicationContent
    content_hash: str


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    checked: int
    broken_period: str | None = None
    problem: str | None = None


def _instant(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("published_at must carry a time zone")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical_form(content: PublicationContent) -> str:
    """Sorted-key compact JSON (UTF-8, no escaping of Chinese), entries ordered by credit code, scores as
    two-decimal strings, the instant in UTC to the second: the same content always gives the same text."""
    document = {
        "scope": content.scope,
        "period": content.period,
        "scheme": content.scheme,
        "publishedAt": _instant(content.published_at),
        "previousHash": content.previous_hash,
        "entries": [
            {
                "creditCode": e.credit_code,
                "name": e.name,
                "score": str(two_places(e.score)),
                "grade": e.grade,
                "listing": str(e.listing),
                "reasons": list(e.reasons),
            }
            for e in sorted(content.entries, key=lambda e: e.credit_code)
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(content: PublicationContent) -> str:
    return hashlib.sha256(canonical_form(content).encode("utf-8")).hexdigest()


def verify_chain(publications: Sequence[StoredPublication]) -> ChainCheck:
    """Checks, oldest first, that each stored hash matches its recomputed content and that each publication
    names its predecessor's hash (the first names none)."""
    previous: str | None = None
    for count, publication in enumerate(publications, start=1):
        period = publication.content.period
        if publication.content.previous_hash != previous:
            return ChainCheck(False, count, period, "previous hash does not match the preceding publication")
        if content_hash(publication.content) != publication.content_hash:
            return ChainCheck(False, count, period, "content does not match its stored hash")
        previous = publication.content_hash
    return ChainCheck(True, len(publications))
