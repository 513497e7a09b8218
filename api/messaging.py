"""The outbox dispatcher as configured by settings: `python -m api dispatch-outbox` and the server's background task."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

from api.settings import Settings
from domain.messaging.channels import DevLog, InApp, Sender, SmsGateway, WeChatTemplate
from domain.messaging.dispatcher import DispatchConfig, DispatchReport, dispatch_pending, run_forever
from domain.messaging.rules import Channel, QuietHours, RetryPolicy


def parse_quiet_hours(text: str) -> QuietHours:
    """"22:00-08:00" -> QuietHours; "" -> no quiet hours."""
    if not text.strip():
        return QuietHours(start=time(0, 0), end=time(0, 0))
    start, end = (time.fromisoformat(part.strip()) for part in text.split("-", 1))
    return QuietHours(start=start, end=end)


def senders(settings: Settings) -> dict[Channel, Sender]:
    configured: dict[Channel, Sender] = {Channel.IN_APP: InApp(), Channel.DEV: DevLog()}
    if settings.sms_gateway_url:
        configured[Channel.SMS] = SmsGateway(url=settings.sms_gateway_url, token=settings.sms_gateway_token,
                                             sign_name=settings.sms_sign_name)
    elif settings.messaging_dev:
        configured[Channel.SMS] = DevLog()
    if settings.wechat_app_id:
        configured[Channel.WECHAT] = WeChatTemplate(app_id=settings.wechat_app_id,
                                                    app_secret=settings.wechat_app_secret,
                                                    default_template_id=settings.wechat_template_id,
                                                    api_base=settings.wechat_api_base)
    elif settings.messaging_dev:
        configured[Channel.WECHAT] = DevLog()
    return configured


def dispatch_config(settings: Settings, *, name: str = "dispatcher") -> DispatchConfig:
    return DispatchConfig(
        senders=senders(settings),
        retry=RetryPolicy(max_attempts=settings.outbox_max_attempts,
                          base=timedelta(seconds=settings.outbox_backoff_seconds)),
        quiet=parse_quiet_hours(settings.quiet_hours),
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        name=name,
    )


async def dispatch_outbox_job(settings: Settings, *, now: datetime | None = None) -> DispatchReport:
    report = await dispatch_pending(now=now or datetime.now(UTC), config=dispatch_config(settings, name="command"))
    for error in report.errors:
        print(f"delivery failed: {error}")
    print(f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
          f"deferred for quiet hours {report.deferred}")
    return report


@contextlib.asynccontextmanager
async def background_dispatcher(settings: Settings) -> AsyncIterator[None]:
    """Runs the dispatcher inside the server when TONGXIN_OUTBOX_DISPATCH_INTERVAL > 0."""
    if settings.outbox_dispatch_interval <= 0:
        yield
        return
    stop = asyncio.Event()
    task = asyncio.create_task(run_forever(config=dispatch_config(settings, name="server"),
                                           interval=settings.outbox_dispatch_interval,
                                           clock=lambda: datetime.now(UTC), stop=stop))
    try:
        yield
    finally:
        stop.set()
        await task


async def send_reminders_job(*, now: datetime | None = None) -> int:
    """Voting reminders, orders about to be overdue, committee deadlines (for a scheduler, e.g. hourly)."""
    from domain.notifications.jobs import send_reminders

    report = await send_reminders(now=now or datetime.now(UTC))
    print(f"voting reminders {report.voting_reminders}, orders due soon {report.due_soon}, "
          f"committee deadlines {report.committee_deadlines}")
    return 0


async def flag_missing_disclosures_job(*, now: datetime | None = None, credit_points: str = "0") -> int:
    """Quarterly statements the serving firm did not post in time (for a scheduler, e.g. daily)."""
    from decimal import Decimal

    from domain.disclosures.jobs import flag_missing_disclosures

    report = await flag_missing_disclosures(now=now or datetime.now(UTC), credit_points=Decimal(credit_points))
    for compound_id, kind, quarter in report.flagged:
        print(f"compound {compound_id}: no {kind} statement for {quarter}")
    print(f"flagged {len(report.flagged)} missing quarterly disclosure(s)")
    return 0
