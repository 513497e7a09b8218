"""Writing to the outbox. `enqueue` runs INSIDE the caller's transaction, so a message exists iff its cause committed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Draft:
    """One message for `enqueue_many`; the fields mean what `enqueue`'s arguments mean."""

    channel: Channel
    recipient: str
    kind: str
    body: str
    idempotency_key: str
    title: str = ""
    person_id: int | None = None
    statutory: bool = False


async def enqueue_many(drafts: Sequence[Draft], *, now: datetime) -> int:
    """`enqueue` for many recipients in three statements (a meeting notice to a whole compound); inside the
    caller's transaction. Returns how many messages were queued (known keys and opted-out persons skipped)."""
    if not drafts:
        return 0
    keys = [d.idempotency_key for d in drafts]
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        known |= set(await OutboxMessage.filter(idempotency_key__in=keys[start:start + 500])
                     .values_list("idempotency_key", flat=True))
    persons = list({d.person_id for d in drafts if d.person_id is not None and not d.statutory})
    opted_out: set[tuple[int, str]] = set()
    if persons:
        opted_out = {(p, str(c)) for p, c in await MessagingOptOut.filter(person_id__in=persons)
                     .values_list("person_id", "channel")}
    rows, seen = [], set()
    for d in drafts:
        if d.idempotency_key in known or d.idempotency_key in seen:
            continue
        if d.person_id is not None and not may_send(statutory=d.statutory,
                                                    opted_out=(d.person_id, str(d.channel)) in opted_out):
            continue
        seen.add(d.idempotency_key)
        rows.append(OutboxMessage(channel=d.channel, recipient=d.recipient, kind=d.kind, title=d.title, body=d.body,
                                  status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now,
                                  idempotency_key=d.idempotency_key, person_id=d.person_id, statutory=d.statutory,
                                  created_at=now))
    await OutboxMessage.bulk_create(rows, batch_size=500)
    return len(rows)
