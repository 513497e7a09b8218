"""The audit chain: each event's MAC covers its content, the content digest of the record it changed and the
previous MAC, keyed with a server secret; the chain's head (count and newest MAC) is signed with the same key.

Without the key, an edited row cannot be re-signed, and a truncated chain cannot be given a matching head.
Rows written before keys existed (key_id "") are plain SHA-256 links and are accepted only as the chain's prefix.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64
# A summary longer than this is stored shortened with the digest of the full text: the record itself (a note,
# minutes) already holds the text, and the digest still binds it to the chain.
SUMMARY_LIMIT = 1000


@dataclass(frozen=True)
class AuditRecord:
    at: datetime
    actor_id: int | None
    actor_username: str | None
    action: str
    entity_type: str
    entity_id: str
    summary: str
    key_id: str = ""
    content_hash: str = ""


def canonical(record: AuditRecord) -> str:
    fields = {
        "at": record.at.isoformat(timespec="microseconds"),
        "actor_id": record.actor_id,
        "actor_username": record.actor_username,
        "action": record.action,
        "entity_type": record.entity_type,
        "entity_id": record.entity_id,
        "summary": record.summary,
    }
    if record.key_id:  # keyed rows also bind the key id and the changed record's content digest
        fields["key_id"] = record.key_id
        fields["content_hash"] = record.content_hash
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(previous_hash: str, record: AuditRecord) -> str:
    """The unkeyed link of rows written before keys existed."""
    return hashlib.sha256((previous_hash + canonical(record)).encode()).hexdigest()


def chain_mac(key: bytes, previous_hash: str, record: AuditRecord) -> str:
    return hmac.new(key, ("event|" + previous_hash + canonical(record)).encode(), hashlib.sha256).hexdigest()


def head_mac(key: bytes, count: int, last_hash: str) -> str:
    """The signed head: without the key nobody can claim a shorter (or longer) chain."""
    return hmac.new(key, f"head|{count}|{last_hash}".encode(), hashlib.sha256).hexdigest()


def content_digest(content: Mapping[str, object]) -> str:
    """Digest of a record's content as the use case wrote it (e.g. a ballot's seat, choice and corrections)."""
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def shortened_summary(summary: str) -> str:
    if len(summary) <= SUMMARY_LIMIT:
        return summary
    digest = hashlib.sha256(summary.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{summary[:SUMMARY_LIMIT]}…（共{len(summary)}字，SHA-256 {digest}）"


def first_broken_link(
    rows: list[tuple[AuditRecord, str, str]], keys: Mapping[str, bytes] | None = None
) -> int | None:
    """Index of the first row whose stored (previous_hash, hash) does not follow from the chain, else None.

    With `keys`, keyed rows are checked with their key; a row with an unknown key id, or an unkeyed row after a
    keyed one, is broken."""
    expected_previous = GENESIS
    keyed_seen = False
    for index, (record, previous_hash, stored_hash) in enumerate(rows):
        if previous_hash != expected_previous:
            return index
        if record.key_id:
            key = (keys or {}).get(record.key_id)
            if key is None or not hmac.compare_digest(chain_mac(key, previous_hash, record), stored_hash):
                return index
            keyed_seen = True
        elif keyed_seen or chain_hash(previous_hash, record) != stored_hash:
            return index
        expected_previous = stored_hash
    return None
