"""Marking one's notification read."""

from __future__ import annotations

import strawberry

from domain.notifications.service import mark_read, set_opt_out
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import ANYONE_SIGNED_IN, mutation
from schema.core.relay import decode_id
from schema.notifications.types import MessageChannel, Notification


@strawberry.input
class MarkNotificationReadInput:
    notification_id: strawberry.ID


@strawberry.type
class MarkNotificationReadPayload:
    notification: Notification | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="退订 — refuse non-statutory messages on a channel (meeting notices still arrive)")
class SetMessagingOptOutInput:
    channel: MessageChannel
    opted_out: bool


@strawberry.type
class SetMessagingOptOutPayload:
    opted_out_channels: list[MessageChannel] | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @mutation(ANYONE_SIGNED_IN, "标记通知已读 — one's own notification; reading it twice keeps the first time")
    async def mark_notification_read(self, info: Info, input: MarkNotificationReadInput
                                     ) -> MarkNotificationReadPayload:
        row = await mark_read(actor=info.context.viewer, now=info.context.now,
                              notification_id=decode_id(input.notification_id, "Notification", "notificationId"))
        return MarkNotificationReadPayload(notification=Notification.from_model(row))

    @mutation(ANYONE_SIGNED_IN, "退订/恢复非法定通知 — per person and channel")
    async def set_messaging_opt_out(self, info: Info, input: SetMessagingOptOutInput) -> SetMessagingOptOutPayload:
        channels = await set_opt_out(actor=info.context.viewer, channel=input.channel, opted_out=input.opted_out,
                                     now=info.context.now)
        return SetMessagingOptOutPayload(opted_out_channels=channels)
