"""Staff's view of delivery (outboxMessages), the compound notice board fields and the owner's own lists."""

from __future__ import annotations

import strawberry

from domain.accounts.rules import STAFF
from domain.complaints.rating import my_complaints
from domain.deliberation.access import readable_meetings
from domain.disclosures.access import readable_disclosures
from domain.disclosures.models import Disclosure as DisclosureRow
from domain.messaging.models import OutboxMessage as OutboxRow
from domain.notifications.access import readable_notifications, readable_outbox
from domain.notifications.models import Notification as NotificationRow
from schema.core.context import Info
from schema.core.permissions import Allow
from schema.core.relay import Connection, PageArgs, paginate, parse_id, register_node
from schema.notices.types import Attachment, Disclosure, Notification, OutboxMessage


async def compound_disclosures(info: Info, compound_id: int, first: int | None, after: str | None
                               ) -> Connection[Disclosure]:
    """信息公示 — newest first; what the viewer may read (anonymous: only what the law makes public)."""
    query = DisclosureRow.filter(readable_disclosures(info.context.viewer), compound_id=compound_id)
    return await paginate(query, PageArgs(first=first, after=after), Disclosure.from_model, descending=True)


async def compound_meetings(info: Info, compound_id: int, first: int | None, after: str | None):  # type: ignore[no-untyped-def]
    """会议 — the compound's meetings the viewer may read (owners: those with published minutes), newest first."""
    from schema.deliberation.types import Meeting

    query = readable_meetings(info.context.viewer).filter(compound_id=compound_id)
    return await paginate(query, PageArgs(first=first, after=after), Meeting.from_model, descending=True)


async def my_notifications(info: Info, first: int | None, after: str | None) -> Connection[Notification]:
    query = NotificationRow.filter(readable_notifications(info.context.viewer))
    return await paginate(query, PageArgs(first=first, after=after), Notification.from_model, descending=True)


async def my_complaint_list(info: Info, first: int | None, after: str | None):  # type: ignore[no-untyped-def]
    from schema.complaints.types import Complaint

    return await paginate(my_complaints(info.context.viewer), PageArgs(first=first, after=after),
                          Complaint.from_model, descending=True)


async def _readable(info: Info, model: type, where, node: Notification | Disclosure) -> bool:  # type: ignore[no-untyped-def]
    parsed = parse_id(node.id)
    return parsed is not None and await model.filter(where(info.context.viewer), id=parsed[1]).exists()


async def _visible_notification(info: Info, node: Notification) -> bool:
    return await _readable(info, NotificationRow, readable_notifications, node)


async def _visible_disclosure(info: Info, node: Disclosure) -> bool:
    return await _readable(info, DisclosureRow, readable_disclosures, node)


@strawberry.type
class Query:
    @strawberry.field(description="消息投递状态 — messages through every channel, newest first (staff; 开发环境可查验证码)",
                      extensions=[Allow(STAFF)])
    async def outbox_messages(self, info: Info, first: int | None = None, after: str | None = None,
                              recipient: str | None = None) -> Connection[OutboxMessage]:
        query = OutboxRow.filter(readable_outbox(info.context.viewer))
        if recipient:
            query = query.filter(recipient=recipient.strip())
        return await paginate(query, PageArgs(first=first, after=after), OutboxMessage.from_model, descending=True)


EXTRA_TYPES = [Attachment]
register_node("Notification", NotificationRow, Notification.from_model, visible=_visible_notification)
register_node("Disclosure", DisclosureRow, Disclosure.from_model, visible=_visible_disclosure)
__all__ = ["Query", "compound_disclosures", "compound_meetings", "my_complaint_list",
           "my_notifications"]
