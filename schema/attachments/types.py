"""An attachment as GraphQL shows it: its metadata, SHA-256 and signed, expiring links."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.attachments import links
from domain.attachments.models import Attachment as AttachmentRow
from schema.core.context import Info
from schema.core.relay import Node, encode_id, register_node


@strawberry.type(description="附件 — a stored file; its link is signed for the viewer and expires")
class Attachment(Node):
    name: str
    content_type: str
    size: int
    sha256: str = strawberry.field(description="SHA-256 of the bytes, covered by the owning record's hash")
    width: int | None
    height: int | None
    created_at: datetime
    _row: strawberry.Private[AttachmentRow]

    @classmethod
    def from_model(cls, row: AttachmentRow) -> Attachment:
        return cls(id=encode_id("Attachment", row.id), name=row.name, content_type=row.content_type, size=row.size,
                   sha256=row.sha256, width=row.width, height=row.height, created_at=row.created_at, _row=row)

    def _link(self, info: Info, variant: str) -> str:
        files = info.context.files
        return links.download_path(attachment_id=self._row.id, variant=variant, now=info.context.now,
                                   ttl_seconds=files.ttl_seconds, secret=files.secret)

    @strawberry.field(description="下载地址 — relative, signed, valid for a few minutes")
    def url(self, info: Info) -> str:
        return self._link(info, "original")

    @strawberry.field(description="缩略图地址 — images only")
    def thumbnail_url(self, info: Info) -> str | None:
        return self._link(info, "thumbnail") if self._row.thumbnail_key else None


# node(id:) reads it through the one read policy (as the record it is attached to; its uploader until attached).
register_node("Attachment", AttachmentRow, Attachment.from_model)
