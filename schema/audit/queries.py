"""Reading and verifying the audit log (the centre's administrators only)."""

from __future__ import annotations

import strawberry

from domain.audit.models import AuditEvent as AuditEventRow
from domain.audit.service import verify_audit_chain
from schema.audit.types import AuditChainVerification, AuditEvent
from schema.core.context import Info
from schema.core.permissions import ADMIN, Allow
from schema.core.relay import Connection, PageArgs, encode_id, paginate


@strawberry.type
class Query:
    @strawberry.field(description="审计日志 — newest first", extensions=[Allow(ADMIN)])
    async def audit_events(
        self, info: Info, first: int | None = None, after: str | None = None,
    ) -> Connection[AuditEvent]:
        return await paginate(AuditEventRow.all(), PageArgs(first, after), AuditEvent.from_model, descending=True)

    @strawberry.field(description="校验审计链 — recompute every hash", extensions=[Allow(ADMIN)])
    async def verify_audit_chain(self) -> AuditChainVerification:
        check = await verify_audit_chain()
        broken = encode_id("AuditEvent", check.first_broken_event_id) if check.first_broken_event_id else None
        return AuditChainVerification(valid=check.valid, checked=check.checked, first_broken_event_id=broken,
                                      head_hash=check.head_hash, problems=list(check.problems))
