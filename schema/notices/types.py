"""Notifications, outbox messages, disclosures and attachments as GraphQL types."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.attachments import links
from domain.attachments.models import Attachment as AttachmentRow
from domain.disclosures.models import Disclosure as DisclosureRow
from domain.disclosures.rules import DisclosureKind as DomainDisclosureKind
from domain.disclosures.rules import Publisher
from domain.messaging.models import OutboxMessage as OutboxRow
from domain.messaging.rules import Channel, OutboxStatus
from domain.notifications.models import Notification as NotificationRow
from domain.notifications.rules import NoticeKind
from schema.core.context import Info
from schema.core.relay import Node, encode_id

NotificationKind = strawberry.enum(NoticeKind, name="NotificationKind", description="通知类别")
MessageChannel = strawberry.enum(Channel, name="MessageChannel", description="发送渠道 — SMS, WeChat, in-app, development log")
MessageStatus = strawberry.enum(OutboxStatus, name="MessageStatus", description="投递状态")
DisclosureKind = strawberry.enum(DomainDisclosureKind, name="DisclosureKind", description=(
    "公示类别 — 收费标准、服务合同、维修资金、共有部分收益、业主大会/业委会决定和会议记录、红黑榜、项目负责人"))
DisclosurePublisher = strawberry.enum(Publisher, name="DisclosurePublisher", description="公示主体 — firm, committee or staff")


@strawberry.type(description="通知所指对象 — the object a notification is about (a Meeting, a Complaint ...)")
class NotificationLink:
    id: strawberry.ID
    type_name: str


@strawberry.type(description="站内通知 — an in-app notification to the viewer")
class Notification(Node):
    kind: NotificationKind
    title: str
    body: str
    created_at: datetime
    read_at: datetime | None = strawberry.field(description="已读时间；未读为空")
    link: NotificationLink | None

    @classmethod
    def from_model(cls, row: NotificationRow) -> Notification:
        link = (NotificationLink(id=encode_id(row.link_type, row.link_id), type_name=row.link_type)
                if row.link_type and row.link_id is not None else None)
        return cls(id=encode_id("Notification", row.id), kind=row.kind, title=row.title, body=row.body,
                   created_at=row.created_at, read_at=row.read_at, link=link)


@strawberry.type(description="待发消息 — one message through one channel and its delivery status (staff)")
class OutboxMessage(Node):
    channel: MessageChannel
    recipient: str = strawberry.field(description="手机号、微信 openid 或人员 ID")
    kind: str
    title: str
    body: str
    status: MessageStatus
    attempts: int
    statutory: bool = strawberry.field(description="法定通知 — ignores opt-outs and quiet hours")
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str | None

    @classmethod
    def from_model(cls, row: OutboxRow) -> OutboxMessage:
        return cls(id=encode_id("OutboxMessage", row.id), channel=row.channel, recipient=row.recipient, kind=row.kind,
                   title=row.title, body=row.body, status=row.status, attempts=row.attempts, statutory=row.statutory,
                   created_at=row.created_at, next_attempt_at=row.next_attempt_at if row.status == "PENDING" else None,
                   delivered_at=row.delivered_at, last_error=row.last_error)


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
