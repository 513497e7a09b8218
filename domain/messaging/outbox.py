"""Writing to the outbox. `enqueue` runs INSIDE the caller's transaction, so a message exists iff its cause committed."""

from __future__ import annotations

from datetime import datetime

from domain.messaging.models import MessagingOptOut, OutboxMessage
from domain.messaging.rules import Channel, OutboxStatus, may_send


async def enqueue(
    *,
    channel: Channel,
    recipient: str,
    kind: str,
    body: str,
    idempotency_key: str,
    now: datetime,
    title: str = "",
    person_id: int | None = None,
    statutory: bool = False,
) -> OutboxMessage | None:
    """Queues one message for delivery after commit.

    Call it inside the use case's `atomic()` block. `idempotency_key` names the message, not the attempt
    (e.g. "meeting-notice:12:person:7:SMS"): enqueueing the same key twice returns the first message, and the
    key travels to the gateway so a resend is recognised there. `statutory` messages (required by law) ignore
    opt-outs and quiet hours; others return None when the person opted out of the channel, and wait out quiet
    hours at dispatch time.
    """
    existing = await OutboxMessage.get_or_none(idempotency_key=idempotency_key)
    if existing is not None:
        return existing
    if person_id is not None and not statutory:
        opted_out = await MessagingOptOut.exists(person_id=person_id, channel=channel)
        if not may_send(statutory=statutory, opted_out=opted_out):
            return None
    return await OutboxMessage.create(
        channel=channel,
        recipient=recipient,
        kind=kind,
        title=title,
        body=body,
        status=OutboxStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        idempotency_key=idempotency_key,
        person_id=person_id,
        statutory=statutory,
        created_at=now,
    )
