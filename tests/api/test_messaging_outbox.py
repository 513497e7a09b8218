"""The outbox on real databases: exactly-once effect under two dispatchers and a killed one, retries, failure."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from domain.messaging.dispatcher import DispatchConfig, dispatch_pending
from domain.messaging.models import MessagingOptOut, OutboxMessage
from domain.messaging.outbox import enqueue
from domain.messaging.rules import Channel, OutboxStatus, QuietHours
from domain.transaction import atomic
from tests import factories
from tests.api.messaging_support import config, database_url
from tests.gateway_stub import sms_gateway

REPO = Path(__file__).resolve().parents[2]


async def _queue_sms(count: int, *, now: datetime, statutory: bool = True) -> list[str]:
    phones = [f"1390000{n:04d}" for n in range(count)]
    async with atomic():
        for phone in phones:
            await enqueue(channel=Channel.SMS, recipient=phone, kind="TEST", body="测试通知",
                          idempotency_key=f"test:{phone}", now=now, statutory=statutory)
    return phones


async def test_enqueueing_the_same_key_twice_keeps_one_message(db):
    now = datetime.now(UTC)
    async with atomic():
        first = await enqueue(channel=Channel.SMS, recipient="13900000000", kind="TEST", body="a",
                              idempotency_key="same", now=now)
        second = await enqueue(channel=Channel.SMS, recipient="13900000000", kind="TEST", body="b",
                               idempotency_key="same", now=now)

    assert first is not None and second is not None and first.id == second.id
    assert await OutboxMessage.all().count() == 1


async def test_a_rolled_back_use_case_leaves_no_message(db):
    now = datetime.now(UTC)
    try:
        async with atomic():
            await enqueue(channel=Channel.SMS, recipient="13900000000", kind="TEST", body="a",
                          idempotency_key="rolled-back", now=now)
            raise RuntimeError("the use case failed after enqueueing")
    except RuntimeError:
        pass

    assert await OutboxMessage.all().count() == 0


async def test_an_opted_out_person_gets_statutory_notices_only(db):
    owner = await factories.person()
    now = datetime.now(UTC)
    await MessagingOptOut.create(person_id=owner.id, channel=Channel.SMS, created_at=now)
    async with atomic():
        ordinary = await enqueue(channel=Channel.SMS, recipient=owner.phone, kind="TEST", body="a",
                                 idempotency_key="ordinary", now=now, person_id=owner.id)
        statutory = await enqueue(channel=Channel.SMS, recipient=owner.phone, kind="TEST", body="b",
                                  idempotency_key="statutory", now=now, person_id=owner.id, statutory=True)

    assert ordinary is None
    assert statutory is not None
    assert await OutboxMessage.all().values_list("idempotency_key", flat=True) == ["statutory"]


async def test_two_dispatchers_at_once_send_each_message_once(db):
    now = datetime.now(UTC)
    phones = await _queue_sms(8, now=now)

    with sms_gateway() as gateway:
        first, second = await asyncio.gather(
            dispatch_pending(now=now, config=config(gateway.url, name="one")),
            dispatch_pending(now=now, config=config(gateway.url, name="two")),
        )

    assert first.sent + second.sent == 8
    assert sorted(request["to"] for request in gateway.requests) == phones  # no request twice, not even dropped
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 8


async def test_a_dispatcher_run_again_sends_nothing_more(db):
    now = datetime.now(UTC)
    await _queue_sms(3, now=now)

    with sms_gateway() as gateway:
        await dispatch_pending(now=now, config=config(gateway.url))
        again = await dispatch_pending(now=now + timedelta(hours=1), config=config(gateway.url))

    assert again.sent == 0
    assert len(gateway.requests) == 3


async def test_a_killed_dispatcher_loses_nothing_and_the_rerun_delivers_each_message_once(db):
    now = datetime.now(UTC)
    phones = await _queue_sms(6, now=now)

    with sms_gateway(delay=0.5) as gateway:
        env = {**os.environ, "TONGXIN_DATABASE_URL": database_url(), "TONGXIN_SMS_GATEWAY_URL": gateway.url}
        dispatcher = subprocess.Popen([sys.executable, "-m", "api", "dispatch-outbox"], cwd=REPO, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        # Wait (without a time limit on the assertion) until the subprocess is inside the batch, then kill it.
        for _ in range(600):
            if len(gateway.requests) >= 2 or dispatcher.poll() is not None:
                break
            await asyncio.sleep(0.05)
        dispatcher.send_signal(signal.SIGKILL)
        dispatcher.wait()
        assert dispatcher.returncode == -signal.SIGKILL, dispatcher.stderr.read() if dispatcher.stderr else ""
        killed_mid_batch = await OutboxMessage.filter(status=OutboxStatus.PENDING).count()

        gateway.delay = 0
        # Its claims expire after the lease; a dispatcher running after that takes the rest.
        await dispatch_pending(now=now + timedelta(minutes=6), config=config(gateway.url))

    assert killed_mid_batch > 0
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 6
    assert all(gateway.delivered_to(phone) == 1 for phone in phones)
    assert {request["key"] for request in gateway.requests} == {f"test:{phone}" for phone in phones}


async def test_a_failing_sms_is_retried_with_backoff_then_marked_failed(db):
    now = datetime.now(UTC)
    (phone,) = await _queue_sms(1, now=now)

    with sms_gateway(failing={phone}) as gateway:
        settings = config(gateway.url, max_attempts=3)
        first = await dispatch_pending(now=now, config=settings)
        message = await OutboxMessage.get()
        too_early = await dispatch_pending(now=now + timedelta(seconds=29), config=settings)
        await dispatch_pending(now=now + timedelta(seconds=30), config=settings)
        retried = await OutboxMessage.get()
        await dispatch_pending(now=now + timedelta(seconds=30 + 60), config=settings)
        final = await OutboxMessage.get()

    assert (first.retrying, message.status, message.attempts) == (1, OutboxStatus.PENDING, 1)
    assert message.next_attempt_at == now + timedelta(seconds=30)
    assert too_early.handled == 0
    assert (retried.status, retried.attempts) == (OutboxStatus.PENDING, 2)
    assert (final.status, final.attempts, final.delivered_at) == (OutboxStatus.FAILED, 3, None)
    assert "503" in (final.last_error or "")
    assert len(gateway.requests) == 3


async def test_an_ordinary_sms_waits_out_quiet_hours_but_a_statutory_one_goes(db):
    night = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 Beijing
    async with atomic():
        await enqueue(channel=Channel.SMS, recipient="13900000001", kind="TEST", body="a",
                      idempotency_key="ordinary", now=night)
        await enqueue(channel=Channel.SMS, recipient="13900000002", kind="TEST", body="b",
                      idempotency_key="statutory", now=night, statutory=True)

    with sms_gateway() as gateway:
        quiet = DispatchConfig(senders=config(gateway.url).senders,
                               quiet=QuietHours(start=time(22, 0), end=time(8, 0)))
        report = await dispatch_pending(now=night, config=quiet)

    assert (report.sent, report.deferred) == (1, 1)
    assert [request["to"] for request in gateway.requests] == ["13900000002"]
    waiting = await OutboxMessage.get(idempotency_key="ordinary")
    assert (waiting.status, waiting.next_attempt_at) == (OutboxStatus.PENDING, datetime(2026, 3, 2, 0, 0, tzinfo=UTC))


async def test_the_servers_background_dispatcher_delivers_when_configured(db):
    from api.messaging import background_dispatcher
    from api.settings import Settings

    now = datetime.now(UTC)
    await _queue_sms(2, now=now)
    settings = Settings(database_url="unused", redis_url=None, messaging_dev=True, outbox_dispatch_interval=0.05,
                        quiet_hours="")

    async with background_dispatcher(settings):
        for _ in range(400):  # waits for the task, asserts nothing about how long it took
            if await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 2:
                break
            await asyncio.sleep(0.05)

    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == 2


async def test_no_background_dispatcher_unless_configured(db):
    from api.messaging import background_dispatcher
    from api.settings import Settings

    await _queue_sms(1, now=datetime.now(UTC))

    async with background_dispatcher(Settings(database_url="unused", redis_url=None, messaging_dev=True)):
        await asyncio.sleep(0.2)

    assert await OutboxMessage.filter(status=OutboxStatus.PENDING).count() == 1
