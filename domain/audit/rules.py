"""The audit chain: each event's hash covers its content and the previous hash, so a rewrite shows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor_id: int | None
    actor_username: str | None
    action: str
    entity_type: str
    entity_id: str
    summary: str


def canonical(record: AuditRecord) -> str:
    return json.dumps(
        {
            "at": record.at.isoformat(timespec="microseconds"),
            "actor_id": record.actor_id,
            "actor_username": record.actor_username,
            "action": record.action,
            "entity_type": record.entity_type,
            "entity_id": record.entity_id,
            "summary": record.summary,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def chain_hash(previous_hash: str, record: AuditRecord) -> str:
    return hashlib.sha256((previous_hash + canonical(record)).encode()).hexdigest()


def first_broken_link(rows: list[tuple[AuditRecord, str, str]]) -> int | None:
    """Index of the first row whose stored (previous_hash, hash) does not follow from the chain, else None."""
    expected_previous = GENESIS
    for index, (record, previous_hash, stored_hash) in enumerate(rows):
        if previous_hash != expected_previous or chain_hash(previous_hash, record) != stored_hash:
            return index
        expected_previous = stored_hash
    return None
