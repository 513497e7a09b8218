"""Notifications and outbox messages as GraphQL types."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.messaging.models import OutboxMessage as OutboxRow
from domain.messaging.rules import Channel, OutboxStatus
from domain.notifications.models import Notification as NotificationRow
from domain.notifications.rules import NoticeKind
from schema.core.relay import Node, encode_id

NotificationKind = strawberry.enum(NoticeKind, name="NotificationKind", description="通知类别")
MessageChannel = strawberry.enum(Channel, name="MessageChannel", description="发送渠道 — SMS, WeChat, in-app, development log")
MessageStatus = strawberry.enum(OutboxStatus, name="MessageStatus", description="投递状态")


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
