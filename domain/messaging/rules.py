"""Pure delivery rules of the outbox: backoff, quiet hours, when a message may next be tried. No I/O, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from domain.calendar import LOCAL as BEIJING


class Channel(StrEnum):
    SMS = "SMS"
    WECHAT = "WECHAT"
    IN_APP = "IN_APP"
    DEV = "DEV"


class OutboxStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    FAILED = "FAILED"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a message is retried: attempt n waits base * 2**(n-1), capped."""

    max_attempts: int = 5
    base: timedelta = timedelta(seconds=30)
    cap: timedelta = timedelta(hours=1)


@dataclass(frozen=True)
class QuietHours:
    """免打扰: Beijing wall-clock window in which non-statutory messages wait. start > end wraps midnight."""

    start: time = time(22, 0)
    end: time = time(8, 0)

    def contains(self, local: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


def backoff(attempts: int, policy: RetryPolicy) -> timedelta:
    """The wait after the `attempts`-th failed attempt (1-based): exponential, never above the cap."""
    if attempts < 1:
        return timedelta(0)
    # 2**60 seconds overflows timedelta; the cap is reached long before.
    exponent = min(attempts - 1, 40)
    return min(policy.base * (2**exponent), policy.cap)


def end_of_quiet_hours(now: datetime, quiet: QuietHours) -> datetime:
    """`now` if outside the window, else the instant (same tz as `now`) the window ends in Beijing."""
    local = now.astimezone(BEIJING)
    if not quiet.contains(local.timetz().replace(tzinfo=None)):
        return now
    end = local.replace(hour=quiet.end.hour, minute=quiet.end.minute, second=0, microsecond=0)
    if end <= local:
        end += timedelta(days=1)
    return end.astimezone(now.tzinfo)


def first_attempt_at(now: datetime, *, statutory: bool, quiet: QuietHours) -> datetime:
    """Statutory notices (a meeting notice the law requires) go at once; everything else waits out quiet hours."""
    return now if statutory else end_of_quiet_hours(now, quiet)


@dataclass(frozen=True)
class AfterFailure:
    status: OutboxStatus
    next_attempt_at: datetime | None


def after_failure(
    *, attempts: int, now: datetime, statutory: bool, permanent: bool, policy: RetryPolicy, quiet: QuietHours
) -> AfterFailure:
    """A failed attempt: FAILED when the channel says it is hopeless or attempts are used up, else retry later."""
    if permanent or attempts >= policy.max_attempts:
        return AfterFailure(OutboxStatus.FAILED, None)
    retry = now + backoff(attempts, policy)
    return AfterFailure(OutboxStatus.PENDING, first_attempt_at(retry, statutory=statutory, quiet=quiet))


def may_send(*, statutory: bool, opted_out: bool) -> bool:
    """A person may opt out of everything except statutory notices."""
    return statutory or not opted_out
