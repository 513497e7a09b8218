"""Appending to and verifying the audit chain. `record_event` must run inside the use case's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Viewer
from domain.audit.models import AuditChainHead, AuditEvent
from domain.audit.rules import GENESIS, AuditRecord, chain_hash, first_broken_link

HEAD_ID = 1


async def ensure_chain_head() -> None:
    """Creates the chain's head row once (at migrate time and at start-up), so appends only ever lock it."""
    if not await AuditChainHead.exists(id=HEAD_ID):
        try:
            await AuditChainHead.create(id=HEAD_ID, last_hash=GENESIS)
        except IntegrityError:
            pass


async def data_version() -> str:
    """The chain head: every committed mutation appends an event and moves it, so it versions all data."""
    rows = await AuditChainHead.filter(id=HEAD_ID).values_list("last_hash", flat=True)
    return rows[0] if rows else GENESIS


async def record_event(
    *, actor: Viewer, action: str, entity_type: str, entity_id: int | str, summary: str, now: datetime
) -> AuditEvent:
    record = AuditRecord(
        at=now.astimezone(UTC),
        actor_id=actor.account_id,
        actor_username=actor.username,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        summary=summary,
    )
    # The head row lock orders concurrent appends on PostgreSQL; SQLite write transactions are already serial.
    head = await AuditChainHead.select_for_update().get_or_none(id=HEAD_ID)
    if head is None:
        await ensure_chain_head()
        head = await AuditChainHead.select_for_update().get(id=HEAD_ID)
    digest = chain_hash(head.last_hash, record)
    event = await AuditEvent.create(
        at=record.at,
        actor_id=record.actor_id,
        actor_username=record.actor_username,
        action=action,
        entity_type=entity_type,
        entity_id=record.entity_id,
        summary=summary,
        previous_hash=head.last_hash,
        hash=digest,
    )
    await AuditChainHead.filter(id=HEAD_ID).update(last_hash=digest)
    return event


@dataclass(frozen=True)
class ChainCheck:
    valid: bool
    checked: int
    first_broken_event_id: int | None
    head_hash: str


async def verify_audit_chain() -> ChainCheck:
    events = await AuditEvent.all().order_by("id")
    rows = [
        (
            AuditRecord(
                at=e.at.astimezone(UTC),
                actor_id=e.actor_id,
                actor_username=e.actor_username,
                action=e.action,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                summary=e.summary,
            ),
            e.previous_hash,
            e.hash,
        )
        for e in events
    ]
    broken = first_broken_link(rows)
    head = await AuditChainHead.get_or_none(id=HEAD_ID)
    head_hash = head.last_hash if head else GENESIS
    tail_ok = (events[-1].hash if events else GENESIS) == head_hash
    return ChainCheck(
        valid=broken is None and tail_ok,
        checked=len(events),
        first_broken_event_id=events[broken].id if broken is not None else None,
        head_hash=head_hash,
    )
