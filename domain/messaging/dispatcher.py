"""Delivering the outbox after commit: claim, send, record. At-least-once towards the channel, exactly-once in
effect because every send carries the message's idempotency key.

Claiming is one conditional UPDATE (`... WHERE status = 'PENDING' AND claim expired`) stamped with a token unique
to this batch, so two dispatchers never hold one message; a dispatcher that dies mid-batch leaves claims that
expire after `lease`, and the next run takes those messages again. Nothing is deleted or lost.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tortoise.expressions import F, Q

from domain.messaging.channels import Delivery, DeliveryFailed, Sender
from domain.messaging.models import OutboxMessage
from domain.messaging.rules import (
    Channel,
    OutboxStatus,
    QuietHours,
    RetryPolicy,
    after_failure,
    end_of_quiet_hours,
)

log = logging.getLogger("tongxin.messaging")

# In-app and development messages disturb nobody at night.
_QUIET_CHANNELS = (Channel.SMS, Channel.WECHAT)


@dataclass(frozen=True)
class DispatchConfig:
    senders: Mapping[Channel, Sender]
    retry: RetryPolicy = RetryPolicy()
    quiet: QuietHours = QuietHours()
    lease: timedelta = timedelta(minutes=5)
    batch_size: int = 50
    concurrency: int = 8
    name: str = "dispatcher"


@dataclass
class DispatchReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    deferred: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def _due(now: datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


async def _defer_quiet(now: datetime, quiet: QuietHours) -> int:
    until = end_of_quiet_hours(now, quiet)
    if until == now:
        return 0
    return await OutboxMessage.filter(_due(now), statutory=False, channel__in=_QUIET_CHANNELS).update(
        next_attempt_at=until
    )


async def claim_batch(*, now: datetime, config: DispatchConfig) -> list[OutboxMessage]:
    token = f"{config.name}:{uuid.uuid4().hex}"[:60]
    # A channel with no sender configured keeps its messages PENDING (visible to staff) until one is.
    channels = list(config.senders)
    ids = await OutboxMessage.filter(_due(now), channel__in=channels).order_by("next_attempt_at", "id").limit(
        config.batch_size
    ).values_list("id", flat=True)
    if not ids:
        return []
    # The conditional update is the claim: a row another dispatcher took meanwhile no longer matches _due.
    await OutboxMessage.filter(_due(now), id__in=list(ids)).update(
        claimed_by=token, claimed_until=now + config.lease, attempts=F("attempts") + 1
    )
    return await OutboxMessage.filter(claimed_by=token).order_by("id")


async def _record_sent(messages: list[OutboxMessage], now: datetime) -> int:
    """One UPDATE for the batch's delivered messages; a row whose claim was lost meanwhile is left alone."""
    if not messages:
        return 0
    return await OutboxMessage.filter(id__in=[m.id for m in messages], claimed_by=messages[0].claimed_by,
                                      status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENT, delivered_at=now, last_error=None, claimed_by=None, claimed_until=None
    )


async def _record_failure(message: OutboxMessage, failure: DeliveryFailed, now: datetime,
                          config: DispatchConfig) -> OutboxStatus:
    outcome = after_failure(attempts=message.attempts, now=now, statutory=message.statutory,
                            permanent=failure.permanent, policy=config.retry, quiet=config.quiet)
    await OutboxMessage.filter(id=message.id, claimed_by=message.claimed_by, status=OutboxStatus.PENDING).update(
        status=outcome.status,
        next_attempt_at=outcome.next_attempt_at or message.next_attempt_at,
        last_error=str(failure)[:2000],
        claimed_by=None,
        claimed_until=None,
    )
    return outcome.status


async def deliver(message: OutboxMessage, *, now: datetime, config: DispatchConfig, report: DispatchReport) -> bool:
    """Sends one claimed message; a failure is recorded at once, a success is returned for the batch's record."""
    sender = config.senders[message.channel]
    delivery = Delivery(message_id=message.id, channel=message.channel, recipient=message.recipient,
                        kind=message.kind, title=message.title, body=message.body,
                        idempotency_key=message.idempotency_key)
    try:
        await sender.send(delivery)
    except DeliveryFailed as failure:
        status = await _record_failure(message, failure, now, config)
        report.errors.append(f"{message.id}: {failure}")
        if status == OutboxStatus.FAILED:
            report.failed += 1
        else:
            report.retrying += 1
        return False
    return True


async def dispatch_once(*, now: datetime, config: DispatchConfig) -> DispatchReport:
    """One batch: quiet-hour deferrals, then claim up to `batch_size` due messages, send them (`concurrency` at a
    time) and record the delivered ones in one statement. A crash before that record resends at most this batch,
    and the idempotency keys make the gateway drop the repeats."""
    report = DispatchReport()
    report.deferred = await _defer_quiet(now, config.quiet)
    batch = await claim_batch(now=now, config=config)
    gate = asyncio.Semaphore(config.concurrency)

    async def one(message: OutboxMessage) -> bool:
        async with gate:
            return await deliver(message, now=now, config=config, report=report)

    outcomes = await asyncio.gather(*(one(m) for m in batch))
    report.sent += await _record_sent([m for m, ok in zip(batch, outcomes, strict=True) if ok], now)
    return report


async def dispatch_pending(*, now: datetime, config: DispatchConfig, max_batches: int = 1000) -> DispatchReport:
    """Batches until nothing is due (a retry scheduled later than `now` is left for a later run)."""
    total = DispatchReport()
    for _ in range(max_batches):
        report = await dispatch_once(now=now, config=config)
        total.sent += report.sent
        total.retrying += report.retrying
        total.failed += report.failed
        total.deferred += report.deferred
        total.errors.extend(report.errors)
        if report.handled == 0:
            break
    return total


async def run_forever(*, config: DispatchConfig, interval: float, clock: Callable[[], datetime],
                      stop: asyncio.Event) -> None:
    """The server's background dispatcher: a batch, then a pause, until `stop` is set."""
    while not stop.is_set():
        try:
            await dispatch_pending(now=clock(), config=config)
        except Exception:  # a lost database connection must not end the loop; the next round retries
            log.exception("outbox dispatch round failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
        except TimeoutError:
            pass
