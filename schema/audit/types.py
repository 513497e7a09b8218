"""The append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.audit.models import AuditEvent as AuditEventRow
from schema.core.relay import encode_id


@strawberry.type(description="审计事件 — one mutation in the append-only, hash-chained audit log")
class AuditEvent:
    id: strawberry.ID
    at: datetime
    actor_username: str | None
    action: str
    entity_type: str
    entity_id: str
    summary: str
    hash: str

    @classmethod
    def from_model(cls, row: AuditEventRow) -> AuditEvent:
        return cls(id=encode_id("AuditEvent", row.id), at=row.at, actor_username=row.actor_username,
                   action=row.action, entity_type=row.entity_type, entity_id=row.entity_id, summary=row.summary,
                   hash=row.hash)


@strawberry.type(description="审计链校验结果")
class AuditChainVerification:
    valid: bool
    checked: int
    first_broken_event_id: strawberry.ID | None
    head_hash: str
