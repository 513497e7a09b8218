"""Writing notifications with their outbox messages (inside the causing use case's transaction) and reading them."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.accounts.models import Account
from domain.accounts.rules import Viewer
from domain.errors import ErrorCode, RuleViolation
from domain.messaging.outbox import Draft, enqueue_many
from domain.messaging.rules import Channel
from domain.notifications.models import Notification
from domain.notifications.rules import BY_SMS, STATUTORY, NoticeKind, Text
from domain.transaction import atomic


@dataclass(frozen=True)
class Recipient:
    """A person (an owner, a participant) or a staff account; `phone` where an SMS may go."""

    person_id: int | None = None
    account_id: int | None = None
    phone: str | None = None

    @property
    def key(self) -> str:
        return f"p{self.person_id}" if self.person_id is not None else f"a{self.account_id}"

    @property
    def node_id(self) -> str:
        # The in-app recipient as clients know it: the Person's (or Account's) global ID.
        type_name, pk = ("Person", self.person_id) if self.person_id is not None else ("Account", self.account_id)
        return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@dataclass(frozen=True)
class Link:
    type_name: str
    id: int


async def notify(
    *, recipients: Iterable[Recipient], kind: NoticeKind, text: Text, link: Link | None, cause: str, now: datetime
) -> int:
    """Notifies each recipient once per `cause` (e.g. "meeting:12"): an in-app notification plus its outbox
    message, and an SMS for the kinds that warrant one. Call inside the use case's transaction."""
    unique = {r.key: r for r in recipients}
    if not unique:
        return 0
    keys = {k: f"{kind}:{cause}:{k}" for k in unique}
    known: set[str] = set()
    key_list = list(keys.values())
    for start in range(0, len(key_list), 500):
        known |= set(await Notification.filter(idempotency_key__in=key_list[start:start + 500])
                     .values_list("idempotency_key", flat=True))
    statutory = kind in STATUTORY
    rows, drafts = [], []
    for k, r in unique.items():
        if keys[k] in known:
            continue
        rows.append(Notification(person_id=r.person_id, account_id=r.account_id, kind=kind, title=text.title,
                                 body=text.body, link_type=link.type_name if link else None,
                                 link_id=link.id if link else None, idempotency_key=keys[k], created_at=now))
        drafts.append(Draft(channel=Channel.IN_APP, recipient=r.node_id, kind=kind, title=text.title, body=text.body,
                            idempotency_key=f"{keys[k]}:IN_APP", person_id=r.person_id, statutory=statutory))
        if kind in BY_SMS and r.phone:
            drafts.append(Draft(channel=Channel.SMS, recipient=r.phone, kind=kind, title=text.title,
                                body=f"{text.title}：{text.body}", idempotency_key=f"{keys[k]}:SMS",
                                person_id=r.person_id, statutory=statutory))
    await Notification.bulk_create(rows, batch_size=500)
    await enqueue_many(drafts, now=now)
    return len(rows)


async def person_recipients(person_ids: Iterable[int]) -> list[Recipient]:
    """Persons who have an account (the app is where they read notices), with their phones."""
    ids = list(set(person_ids))
    if not ids:
        return []
    rows = await Account.filter(person_id__in=ids, is_active=True).values_list("person_id", "person__phone")
    return [Recipient(person_id=p, phone=phone) for p, phone in {p: phone for p, phone in rows}.items()]


async def mark_read(*, actor: Viewer, notification_id: int, now: datetime) -> Notification:
    from domain.audit.service import record_event
    from domain.notifications.access import readable_notifications

    async with atomic():
        notification = await Notification.filter(readable_notifications(actor), id=notification_id).first()
        if notification is None:
            raise RuleViolation(ErrorCode.NOT_FOUND, "通知不存在", "notificationId", en="No such notification")
        first_time = notification.read_at is None
        if first_time:
            await Notification.filter(id=notification.id, read_at__isnull=True).update(read_at=now)
            notification.read_at = now
        # One event per successful use case (issue 15 item 8), also when it was already read (the first time stays).
        summary = "通知已读" if first_time else "通知再次标为已读（保留首次时间）"
        await record_event(actor=actor, action="markNotificationRead", entity_type="Notification",
                           entity_id=notification.id, summary=summary, now=now)
    return notification


async def set_opt_out(*, actor: Viewer, channel: Channel, opted_out: bool, now: datetime) -> list[Channel]:
    """A person refuses (or accepts again) non-statutory messages on a channel; statutory notices still go.
    Returns the channels the person has opted out of."""
    from domain.audit.service import record_event
    from domain.messaging.models import MessagingOptOut

    if actor.person_id is None:
        raise RuleViolation(ErrorCode.FORBIDDEN, "只有登记的个人可以设置", "channel", en="Only a registered person may")
    async with atomic():
        if opted_out:
            await MessagingOptOut.bulk_create([MessagingOptOut(person_id=actor.person_id, channel=channel,
                                                               created_at=now)], ignore_conflicts=True)
        else:
            await MessagingOptOut.filter(person_id=actor.person_id, channel=channel).delete()
        await record_event(actor=actor, action="setMessagingOptOut", entity_type="Person", entity_id=actor.person_id,
                           summary=f"{'退订' if opted_out else '恢复'} {channel.value} 非法定通知", now=now)
        rows = await MessagingOptOut.filter(person_id=actor.person_id).order_by("channel").values_list(
            "channel", flat=True)
    return [Channel(c) for c in rows]
