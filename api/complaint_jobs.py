"""Scheduled complaint jobs, run by `python -m api escalate-overdue` (cron, systemd timer, k8s CronJob)."""

from __future__ import annotations

from datetime import UTC, datetime

from api.settings import Settings
from domain.accounts.rules import Role, Viewer
from domain.complaints.overdue import escalate_overdue
from domain.workdays import use_holiday_dir
from api.events import make_broker
from domain.complaints.alerts import COMPLAINTS_CHANNEL

SCHEDULER = Viewer(account_id=None, username="scheduler", roles=frozenset({Role.CENTRE_ADMIN}))


async def escalate_overdue_job(settings: Settings, *, now: datetime | None = None) -> int:
    use_holiday_dir(settings.holidays_dir)
    outcome = await escalate_overdue(actor=SCHEDULER, now=now or datetime.now(UTC))
    # Live alerts reach other processes only through Redis (TONGXIN_REDIS_URL); in-process they go nowhere.
    broker = make_broker(settings.redis_url)
    try:
        for complaint_id in outcome.escalated:
            await broker.publish(COMPLAINTS_CHANNEL, {"kind": "OVERDUE", "id": complaint_id})
    finally:
        await broker.close()
    for complaint_id, reason in outcome.skipped:
        print(f"complaint {complaint_id} not escalated: {reason}")
    print(f"escalated {len(outcome.escalated)} overdue complaint(s)")
    return 0
