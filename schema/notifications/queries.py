"""Staff's view of delivery (outboxMessages) and the viewer's own notifications (me.notifications)."""

from __future__ import annotations

import strawberry

from domain.accounts.rules import STAFF
from domain.messaging.models import OutboxMessage as OutboxRow
from domain.notifications.access import readable_notifications, readable_outbox
from domain.notifications.models import Notification as NotificationRow
from schema.core.context import Info
from schema.core.permissions import Allow
from schema.core.relay import Connection, PageArgs, paginate, parse_id, register_node
from schema.notifications.types import Notification, OutboxMessage


async def my_notifications(info: Info, first: int | None, after: str | None) -> Connection[Notification]:
    """Newest first; only the viewer's own (addressed to their person or their account)."""
    query = NotificationRow.filter(readable_notifications(info.context.viewer))
    return await paginate(query, PageArgs(first=first, after=after), Notification.from_model, descending=True)


async def _visible_notification(info: Info, node: Notification) -> bool:
    parsed = parse_id(node.id)
    return parsed is not None and await NotificationRow.filter(
        readable_notifications(info.context.viewer), id=parsed[1]).exists()


@strawberry.type
class Query:
    @strawberry.field(description="消息投递状态 — messages through every channel, newest first (staff; the centre "
                                  "sees all, street and community staff those to owners of their territory)",
                      extensions=[Allow(STAFF)])
    async def outbox_messages(self, info: Info, first: int | None = None, after: str | None = None,
                              recipient: str | None = None) -> Connection[OutboxMessage]:
        query = OutboxRow.filter(readable_outbox(info.context.viewer))
        if recipient:
            query = query.filter(recipient=recipient.strip())
        return await paginate(query, PageArgs(first=first, after=after), OutboxMessage.from_model, descending=True)


register_node("Notification", NotificationRow, Notification.from_model, visible=_visible_notification)
# Staff's view of one message's delivery, through the one read policy (centre; street/community by territory).
register_node("OutboxMessage", OutboxRow, OutboxMessage.from_model)
