"""Publishing to a compound's notice board (a correction is a new version pointing to what it corrects)."""

from __future__ import annotations

import strawberry

from domain.accounts.rules import Role
from domain.disclosures.service import DisclosureDraft, publish_disclosure
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import STAFF, mutation
from schema.core.relay import decode_id, decode_ids
from schema.disclosures.types import Disclosure, DisclosureKind

# Who may try at all; which kinds each may publish, and where, the domain decides (disclosures.rules.PUBLISHERS).
PUBLISHERS = STAFF | {Role.FIRM_STAFF, Role.COMMITTEE_MEMBER, Role.OWNER}


@strawberry.input(description="发布信息公示；correctsId 更正某一版本（原版本保留）")
class PublishDisclosureInput:
    compound_id: strawberry.ID
    kind: DisclosureKind
    title: str
    period: str = strawberry.field(description="所属期间 — 2026, 2026-03, 2026Q3 or 2026H1")
    body: str
    attachment_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    corrects_id: strawberry.ID | None = None


@strawberry.type
class PublishDisclosurePayload:
    disclosure: Disclosure | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @mutation(PUBLISHERS, "发布信息公示 — by the firm, the owners' committee or staff according to kind; immutable")
    async def publish_disclosure(self, info: Info, input: PublishDisclosureInput) -> PublishDisclosurePayload:
        draft = DisclosureDraft(
            compound_id=decode_id(input.compound_id, "Compound", "compoundId"), kind=input.kind, title=input.title,
            period=input.period, body=input.body,
            attachment_ids=tuple(decode_ids(list(input.attachment_ids), "Attachment", "attachmentIds")),
            corrects_id=decode_id(input.corrects_id, "Disclosure", "correctsId") if input.corrects_id else None)
        row = await publish_disclosure(actor=info.context.viewer, draft=draft, now=info.context.now)
        return PublishDisclosurePayload(disclosure=Disclosure.from_model(row))
