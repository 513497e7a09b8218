"""Live complaint alerts: new orders (published by fileComplaint) and orders that fall overdue.

Overdue alerts come from two sources: the escalate-overdue job publishes the orders it escalates (through Redis
when several processes run), and each subscription scans the viewer's orders for deadlines that passed since
its previous scan, so that a single-process deployment without a scheduler still hears of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import suppress
from datetime import UTC, datetime
from enum import Enum

import strawberry

from domain.complaints import queries
from domain.complaints.access import may_see
from domain.complaints.models import Complaint as ComplaintRow
from domain.complaints.orders import bodies_of, order_place
from domain.events import EventBus
from domain.complaints.alerts import COMPLAINTS_CHANNEL
from schema.complaints.types import Complaint, viewer_firm_body_id
from schema.core.context import Info
from schema.core.permissions import SignedIn

OVERDUE_SCAN_SECONDS = 60.0


@strawberry.enum(description="工单提醒类型 — NEW 新工单, OVERDUE 新超期")
class ComplaintAlertKind(Enum):
    NEW = "NEW"
    OVERDUE = "OVERDUE"


@strawberry.type(description="工单提醒 — a new or newly overdue order in the viewer's scope")
class ComplaintAlert:
    kind: ComplaintAlertKind
    complaint: Complaint


async def _forward(broker: EventBus, queue: asyncio.Queue[tuple[str, int]]) -> None:
    async for message in broker.subscribe(COMPLAINTS_CHANNEL):
        await queue.put((str(message["kind"]), int(message["id"])))


async def _scan(info: Info, firm_body_id: int | None, queue: asyncio.Queue[tuple[str, int]]) -> None:
    since = info.context.now
    while True:
        await asyncio.sleep(OVERDUE_SCAN_SECONDS)
        until = datetime.now(UTC)
        for pk in await queries.newly_overdue(info.context.viewer, firm_body_id, since=since, until=until):
            await queue.put(("OVERDUE", pk))
        since = until


@strawberry.type
class Subscription:
    @strawberry.subscription(description="新工单与新超期工单 — live alerts in the viewer's scope",
                             permission_classes=[SignedIn])
    async def complaint_alerts(self, info: Info) -> AsyncGenerator[ComplaintAlert, None]:
        viewer, firm_body_id = info.context.viewer, await viewer_firm_body_id(info)
        queue: asyncio.Queue[tuple[str, int]] = asyncio.Queue()
        tasks = [asyncio.create_task(_scan(info, firm_body_id, queue))]
        if info.context.events is not None:
            tasks.append(asyncio.create_task(_forward(info.context.events, queue)))
        told: set[tuple[str, int]] = set()
        try:
            while True:
                kind, pk = await queue.get()
                if (kind, pk) in told:  # the job and the scan may both report one order falling overdue
                    continue
                row = await ComplaintRow.get_or_none(id=pk)
                if row is None or not may_see(viewer, order_place(row, await bodies_of([row])),
                                              firm_body_id=firm_body_id):
                    continue
                if kind == "OVERDUE":
                    told.add((kind, pk))
                # a subscription lives for hours: the fields of each alert are resolved as of its own moment
                info.context.now = datetime.now(UTC)
                yield ComplaintAlert(kind=ComplaintAlertKind(kind), complaint=Complaint.from_model(row))
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with suppress(asyncio.CancelledError):
                    await task
