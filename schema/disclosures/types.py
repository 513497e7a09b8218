"""A disclosure on the notice board as a GraphQL type."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.attachments.models import Attachment as AttachmentRow
from domain.disclosures.models import Disclosure as DisclosureRow
from domain.disclosures.rules import DisclosureKind as DomainDisclosureKind
from domain.disclosures.rules import Publisher
from schema.attachments.types import Attachment
from schema.core.context import Info
from schema.core.relay import Node, encode_id

DisclosureKind = strawberry.enum(DomainDisclosureKind, name="DisclosureKind", description=(
    "公示类别 — 收费标准、服务合同、维修资金、共有部分收益、业主大会/业委会决定和会议记录、红黑榜、项目负责人"))
DisclosurePublisher = strawberry.enum(Publisher, name="DisclosurePublisher", description="公示主体 — firm, committee or staff")


@strawberry.type(description="信息公示 — one notice on a compound's board, immutable; a correction is a new version")
class Disclosure(Node):
    kind: DisclosureKind
    title: str
    period: str = strawberry.field(description="所属期间 — 2026, 2026-03, 2026Q3 or 2026H1")
    body: str
    publisher: DisclosurePublisher
    published_at: datetime
    version: int
    content_hash: str = strawberry.field(description="SHA-256 over the content and the attachments' hashes")
    _row: strawberry.Private[DisclosureRow]

    @classmethod
    def from_model(cls, row: DisclosureRow) -> Disclosure:
        return cls(id=encode_id("Disclosure", row.id), kind=row.kind, title=row.title, period=row.period,
                   body=row.body, publisher=row.publisher, published_at=row.published_at, version=row.version,
                   content_hash=row.content_hash, _row=row)

    @strawberry.field(description="附件")
    async def attachments(self, info: Info) -> list[Attachment]:
        rows = await info.context.loaders.children(AttachmentRow, "owner_id", owner_kind="DISCLOSURE").load(
            self._row.id)
        return [Attachment.from_model(r) for r in rows]

    @strawberry.field(description="更正的版本 — the version this one corrects (kept as published)")
    async def corrects(self, info: Info) -> Disclosure | None:
        if self._row.corrects_id is None:
            return None
        row = await info.context.loaders.by_id(DisclosureRow).load(self._row.corrects_id)
        return Disclosure.from_model(row) if row else None

    @strawberry.field(description="被更正 — the version correcting this one, if any")
    async def corrected_by(self, info: Info) -> Disclosure | None:
        rows = await info.context.loaders.children(DisclosureRow, "corrects_id").load(self._row.id)
        return Disclosure.from_model(rows[0]) if rows else None
