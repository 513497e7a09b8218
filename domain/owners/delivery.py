"""Sending one-time codes through the messaging outbox (written in the use case's transaction, delivered after
commit by the dispatcher through the SMS gateway; in development the DEV sender logs it and staff read it in
`outboxMessages`)."""

from __future__ import annotations

from datetime import datetime

from domain.calendar import LOCAL


async def send_code(*, phone: str, person_id: int, code: str, verification_id: str, expires_at: datetime,
                    now: datetime) -> None:
    from domain.messaging.outbox import enqueue
    from domain.messaging.rules import Channel

    # Statutory in effect: the owner asked for it this minute, so neither quiet hours nor opt-outs apply.
    await enqueue(
        channel=Channel.SMS, recipient=phone, kind="OWNER_VERIFICATION_CODE", title="业主身份验证码",
        body=f"【同心】您的业主身份验证码为 {code}，{expires_at.astimezone(LOCAL):%H:%M} 前有效。如非本人操作请忽略。",
        idempotency_key=f"owner-verification:{verification_id}", now=now, person_id=person_id, statutory=True,
    )
