"""Helpers for outbox tests: the session database's URL (for a dispatcher subprocess) and a dispatch config."""

from __future__ import annotations

from datetime import timedelta

from tortoise import connections

from domain.messaging.channels import InApp, SmsGateway
from domain.messaging.dispatcher import DispatchConfig
from domain.messaging.rules import Channel, QuietHours, RetryPolicy
from tests.conftest import PG_URL

NO_QUIET = QuietHours(start=QuietHours().start, end=QuietHours().start)


def database_url() -> str:
    """The URL of the database this test session runs on, for a subprocess to open the same one."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        return f"{PG_URL.rsplit('/', 1)[0]}/{conn.database}"
    return f"sqlite://{conn.filename}"


def config(gateway_url: str, *, name: str = "test", max_attempts: int = 5, lease: float = 300) -> DispatchConfig:
    return DispatchConfig(
        senders={Channel.SMS: SmsGateway(url=gateway_url, timeout=5), Channel.IN_APP: InApp()},
        retry=RetryPolicy(max_attempts=max_attempts, base=timedelta(seconds=30)),
        quiet=NO_QUIET,
        lease=timedelta(seconds=lease),
        name=name,
    )
