"""Must show (issue 13): a meeting notice reaches every owner with an account exactly once, even when the
dispatcher runs twice or is killed mid-batch; the complainant hears of their order's progress."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from domain.accounts.rules import Role
from domain.messaging.dispatcher import dispatch_pending
from domain.messaging.models import OutboxMessage
from domain.messaging.rules import Channel, OutboxStatus
from domain.notifications.models import Notification
from domain.notifications.rules import NoticeKind
from tests import factories as f
from tests.api.messaging_support import config, database_url
from tests.api.test_deliberation_support import NOTICE, build_world, gid, iso, payload, schedule
from tests.conftest import make_token
from tests.gateway_stub import sms_gateway

REPO = Path(__file__).resolve().parents[2]


async def _owners(w, count: int, *, with_account: bool):  # type: ignore[no-untyped-def]
    people = []
    for n in range(count):
        owner = await f.person(f"业主{n}", phone=f"1370{int(with_account)}{w.compound.id:03d}{n:03d}")
        await f.unit(w.compound, owner, building="2", number=f"{'A' if with_account else 'B'}{n}")
        if with_account:
            await make_token(Role.OWNER, person_id=owner.id)
        people.append(owner)
    return people


async def test_a_meeting_notice_reaches_every_owner_with_an_account_exactly_once_despite_a_killed_dispatcher(
        db, gql):
    w = await build_world()
    for n, member in enumerate(w.members):  # the factory's members share one phone number
        member.phone = f"1360000{n:04d}"
        await member.save(update_fields=["phone"])
    with_accounts = await _owners(w, 8, with_account=True)
    without = await _owners(w, 3, with_account=False)
    meeting = await schedule(gql, w)

    result = await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(datetime.now(UTC))},
                           w.staff_token)
    again = await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(datetime.now(UTC))},
                          w.staff_token)

    assert result["errors"] == []
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]
    audience = {p.id for p in with_accounts} | {m.id for m in w.members}  # owners with accounts, participants
    notified = await Notification.filter(kind=NoticeKind.MEETING_NOTICE).values_list("person_id", flat=True)
    assert sorted(notified) == sorted(audience)
    assert not {p.id for p in without} & set(notified)
    sms = await OutboxMessage.filter(channel=Channel.SMS).count()
    assert sms == len(audience)
    assert await OutboxMessage.filter(statutory=False).count() == 0

    with sms_gateway(delay=0.3) as gateway:
        env = {**os.environ, "TONGXIN_DATABASE_URL": database_url(), "TONGXIN_SMS_GATEWAY_URL": gateway.url}
        dispatcher = subprocess.Popen([sys.executable, "-m", "api", "dispatch-outbox"], cwd=REPO, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(600):
            if len(gateway.requests) >= 3 or dispatcher.poll() is not None:
                break
            await asyncio.sleep(0.05)
        dispatcher.send_signal(signal.SIGKILL)
        dispatcher.wait()
        assert dispatcher.returncode == -signal.SIGKILL
        unsent_after_kill = await OutboxMessage.filter(status=OutboxStatus.PENDING).count()
        gateway.delay = 0
        later = datetime.now(UTC) + timedelta(minutes=6)  # past the killed dispatcher's lease
        first, second = await asyncio.gather(dispatch_pending(now=later, config=config(gateway.url, name="a")),
                                             dispatch_pending(now=later, config=config(gateway.url, name="b")))
        rerun = await dispatch_pending(now=later + timedelta(hours=1), config=config(gateway.url))

    assert unsent_after_kill > 0
    assert rerun.sent == 0
    assert await OutboxMessage.exclude(status=OutboxStatus.SENT).count() == 0
    phones = {p.phone for p in with_accounts} | {m.phone for m in w.members}
    assert {r["to"] for r in gateway.requests} == phones
    assert all(gateway.delivered_to(phone) == 1 for phone in phones)
    for owner in with_accounts:
        assert await Notification.filter(person_id=owner.id).count() == 1


async def test_the_complainant_hears_of_acceptance_and_dispatch_once_each(db, gql):
    from domain.accounts.rules import Viewer
    from domain.complaints.rules import Channel as Intake
    from domain.complaints.rules import Kind, Urgency
    from domain.complaints.service import ComplaintDraft, accept_complaint, file_complaint

    w = await build_world()
    owner = (await _owners(w, 1, with_account=True))[0]
    staff = Viewer(account_id=None, username="t", roles=frozenset({Role.CENTRE_ADMIN}))
    now = datetime.now(UTC)
    complaint = await file_complaint(actor=staff, now=now, draft=ComplaintDraft(
        compound_id=w.compound.id, channel=Intake.HOTLINE_12345, kind=Kind.COMPLAINT, category="电梯",
        urgency=Urgency.ORDINARY, title="电梯停运", description="3号楼电梯停运两天", complainant_name=owner.name,
        complainant_phone=owner.phone, complainant_person_id=owner.id, received_at=now, external_ref=None))

    await accept_complaint(actor=staff, complaint_id=complaint.id, note="", now=now)

    rows = await Notification.filter(person_id=owner.id).values_list("kind", "title", "link_type", "link_id")
    assert rows == [(NoticeKind.COMPLAINT_PROGRESS, "您的诉求已受理", "Complaint", complaint.id)]
    assert await OutboxMessage.filter(person_id=owner.id, channel=Channel.SMS, statutory=False).count() == 1
    assert gid("Person", owner.id) in await OutboxMessage.filter(channel=Channel.IN_APP).values_list(
        "recipient", flat=True)
