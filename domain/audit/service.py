"""Appending to and verifying the audit chain. `record_event` must run inside the use case's transaction."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Viewer
from domain.audit.keys import keyring
from domain.audit.models import AuditChainHead, AuditEvent
from domain.audit.rules import (
    GENESIS,
    AuditRecord,
    chain_mac,
    content_digest,
    first_broken_link,
    head_mac,
    shortened_summary,
)
from domain.statements import client, is_postgres, rows

HEAD_ID = 1


async def ensure_chain_head() -> None:
    """Creates the chain's head row once (at migrate time and at start-up), so appends only ever lock it.

    A head left unsigned by a database from before keys existed is adopted: signed for the chain it holds, if that
    chain verifies."""
    head = await AuditChainHead.get_or_none(id=HEAD_ID)
    if head is None:
        ring = keyring()
        try:
            await AuditChainHead.create(id=HEAD_ID, last_hash=GENESIS, count=0, key_id=ring.signing_key_id,
                                        mac=head_mac(ring.signing_key, 0, GENESIS))
        except IntegrityError:
            pass
    elif not head.mac:
        events = await AuditEvent.all().order_by("id")
        if first_broken_link([(_record_of(e), e.previous_hash, e.hash) for e in events], keyring().keys) is None:
            ring = keyring()
            last = events[-1].hash if events else GENESIS
            await AuditChainHead.filter(id=HEAD_ID, mac="").update(
                last_hash=last, count=len(events), key_id=ring.signing_key_id,
                mac=head_mac(ring.signing_key, len(events), last))


async def data_version() -> str:
    """The chain head: every committed mutation appends an event and moves it, so it versions all data."""
    rows = await AuditChainHead.filter(id=HEAD_ID).values_list("last_hash", flat=True)
    return rows[0] if rows else GENESIS


@dataclass(frozen=True)
class AppendedEvent:
    """The event as appended (a plain value: building an ORM instance per mutation cost more than the insert)."""

    id: int
    record: AuditRecord
    previous_hash: str
    hash: str

    @property
    def summary(self) -> str:
        return self.record.summary


@dataclass(frozen=True)
class ChainHead:
    """The chain's newest hash and length, as read (and on PostgreSQL locked) inside the appending transaction."""

    last_hash: str
    count: int


def chain_head_columns(db: BaseDBAsyncClient) -> str:
    """Columns a use case may add to the RETURNING of its last write before the append, to read the head in that
    same statement (and lock it on PostgreSQL): one round trip fewer while the head is locked. Read them back with
    `chain_head_in`."""
    lock = " FOR UPDATE" if is_postgres(db) else ""
    return ", ".join(f'(SELECT "{column}" FROM "audit_chain_head" WHERE "id" = {HEAD_ID}{lock}) AS "chain_{column}"'
                     for column in ("last_hash", "count"))


def chain_head_in(row: Mapping[str, Any]) -> ChainHead | None:
    """None when the head row does not exist yet (record_event then creates and reads it itself)."""
    if row.get("chain_last_hash") is None:
        return None
    return ChainHead(row["chain_last_hash"], int(row["chain_count"]))


async def record_event(
    *, actor: Viewer, action: str, entity_type: str, entity_id: int | str, summary: str, now: datetime,
    content: Mapping[str, object] | None = None, head: ChainHead | None = None,
) -> AppendedEvent:
    """Appends one event. `content` (the changed record's fields, e.g. a ballot's seat and choice) is bound to
    the chain by its digest, so that `verify_audit_chain` can compare it with the record as it is now. `head` is
    the head the caller's previous statement in this transaction read through `chain_head_columns`; without it
    the head is read and locked here."""
    ring = keyring()
    record = AuditRecord(
        at=now.astimezone(UTC),
        actor_id=actor.account_id,
        actor_username=actor.username,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=shortened_summary(summary),
        key_id=ring.signing_key_id,
        content_hash=content_digest(content) if content is not None else "",
    )
    db = client()
    # The head row lock orders concurrent appends on PostgreSQL; SQLite write transactions are already serial.
    # Callers append last in their transaction, so the lock is held only for the append and the commit.
    if head is None:
        head = await _locked_head(db)
    if head is None:
        await ensure_chain_head()
        head = await _locked_head(db)
        assert head is not None
    previous, count = head.last_hash, head.count + 1
    digest = chain_mac(ring.signing_key, previous, record)
    values = [record.at, record.actor_id, record.actor_username, action, entity_type, record.entity_id,
              record.summary, previous, digest, record.key_id, record.content_hash]
    head_values = [digest, count, ring.signing_key_id, head_mac(ring.signing_key, count, digest), HEAD_ID]
    if is_postgres(db):
        # One round trip for the event and the head while the head is locked.
        appended = f'WITH event AS ({_INSERT_EVENT}) {_MOVE_HEAD} RETURNING (SELECT "id" FROM event) AS "id"'
        event_id = (await rows(appended, [*values, *head_values], db))[0]["id"]
    else:
        event_id = (await rows(_INSERT_EVENT, values, db))[0]["id"]
        await rows(_MOVE_HEAD, head_values, db)
    return AppendedEvent(event_id, record, previous, digest)


# Plain statements (domain/statements.py): every mutation appends, so the ORM's per-query building was a cost
# paid by every use case while holding the one lock of the chain.
_INSERT_EVENT = (
    'INSERT INTO "audit_event" ("at", "actor_id", "actor_username", "action", "entity_type", "entity_id", '
    '"summary", "previous_hash", "hash", "key_id", "content_hash") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) '
    'RETURNING "id"')
_MOVE_HEAD = 'UPDATE "audit_chain_head" SET "last_hash" = ?, "count" = ?, "key_id" = ?, "mac" = ? WHERE "id" = ?'


async def _locked_head(db: BaseDBAsyncClient) -> ChainHead | None:
    lock = " FOR UPDATE" if is_postgres(db) else ""
    found = await rows(f'SELECT "last_hash", "count" FROM "audit_chain_head" WHERE "id" = ?{lock}', [HEAD_ID], db)
    return ChainHead(found[0]["last_hash"], int(found[0]["count"])) if found else None


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    checked: int
    first_broken_event_id: int | None
    head_hash: str
    # Why the chain is not valid, for people: a broken link, a head that does not match, a record edited
    # behind the chain's back.
    problems: tuple[str, ...] = field(default_factory=tuple)


def _record_of(e: AuditEvent) -> AuditRecord:
    return AuditRecord(at=e.at.astimezone(UTC), actor_id=e.actor_id, actor_username=e.actor_username,
                       action=e.action, entity_type=e.entity_type, entity_id=e.entity_id, summary=e.summary,
                       key_id=e.key_id, content_hash=e.content_hash)


def _head_problems(head: AuditChainHead | None, events: list[AuditEvent]) -> list[str]:
    if head is None:
        return [] if not events else ["chain head missing"]
    problems = []
    key = keyring().keys.get(head.key_id)
    if key is None or not hmac.compare_digest(head_mac(key, head.count, head.last_hash), head.mac):
        problems.append("chain head signature invalid (the head was rewritten without the key)")
    if head.count != len(events):
        problems.append(f"chain head counts {head.count} events, the table holds {len(events)}")
    if (events[-1].hash if events else GENESIS) != head.last_hash:
        problems.append("newest event is not the signed head (events deleted or appended behind the chain)")
    return problems


async def verify_audit_chain() -> ChainCheck:
    from domain.audit.coverage import covered_record_problems

    events = await AuditEvent.all().order_by("id")
    broken = first_broken_link([(_record_of(e), e.previous_hash, e.hash) for e in events], keyring().keys)
    head = await AuditChainHead.get_or_none(id=HEAD_ID)
    problems = []
    if broken is not None:
        problems.append(f"event {events[broken].id} does not follow from the chain (edited, deleted or re-hashed)")
    problems.extend(_head_problems(head, events))
    problems.extend(await covered_record_problems(events))
    return ChainCheck(
        valid=not problems,
        checked=len(events),
        first_broken_event_id=events[broken].id if broken is not None else None,
        head_hash=head.last_hash if head else GENESIS,
        problems=tuple(problems),
    )
