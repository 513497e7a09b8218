"""Kinds of disclosure, who publishes each, what anonymous readers see, quarterly duties. Pure."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from domain.errors import ErrorCode, RuleViolation


class DisclosureKind(StrEnum):
    FEE_STANDARDS = "FEE_STANDARDS"  # 收费项目和标准 (民法典 art. 943, 京条例 art. 70)
    SERVICE_CONTRACT = "SERVICE_CONTRACT"  # 物业服务合同摘要 (区分所有权解释 art. 13)
    MAINTENANCE_FUND = "MAINTENANCE_FUND"  # 专项维修资金使用情况 (民法典 art. 281; 京条例 art. 84 quarterly)
    COMMON_INCOME = "COMMON_INCOME"  # 共有部分经营收益 (民法典 art. 282)
    COMMITTEE_DECISIONS = "COMMITTEE_DECISIONS"  # 业主大会、业委会决定及会议记录 (区分所有权解释 art. 13)
    CREDIT_STANDING = "CREDIT_STANDING"  # 红黑榜 standing of the serving firm
    PEOPLE_IN_CHARGE = "PEOPLE_IN_CHARGE"  # 项目负责人、投诉电话 (京条例 art. 70)


class Publisher(StrEnum):
    FIRM = "FIRM"
    COMMITTEE = "COMMITTEE"
    STAFF = "STAFF"


# Who may publish which kind: the firm its own services, fees, income and people (民法典 art. 943); the owners'
# committee its decisions and, where the assembly manages the fund itself, the fund (京条例 art. 84); staff the
# credit standing and, as supervisors, anything a firm or committee fails to post.
PUBLISHERS: Mapping[DisclosureKind, frozenset[Publisher]] = {
    DisclosureKind.FEE_STANDARDS: frozenset({Publisher.FIRM, Publisher.STAFF}),
    DisclosureKind.SERVICE_CONTRACT: frozenset({Publisher.FIRM, Publisher.COMMITTEE, Publisher.STAFF}),
    DisclosureKind.MAINTENANCE_FUND: frozenset({Publisher.FIRM, Publisher.COMMITTEE, Publisher.STAFF}),
    DisclosureKind.COMMON_INCOME: frozenset({Publisher.FIRM, Publisher.STAFF}),
    DisclosureKind.COMMITTEE_DECISIONS: frozenset({Publisher.COMMITTEE, Publisher.STAFF}),
    DisclosureKind.CREDIT_STANDING: frozenset({Publisher.STAFF}),
    DisclosureKind.PEOPLE_IN_CHARGE: frozenset({Publisher.FIRM, Publisher.STAFF}),
}

# What anyone may read without signing in: the red/black list is published to the public (公示); the rest is the
# owners' information right (区分所有权解释 art. 13), not the public's.
PUBLIC_KINDS = frozenset({DisclosureKind.CREDIT_STANDING})

# The firm's quarterly duty (信息公示制度 "每季度进行信息公示"; 京条例 art. 84 for fund accounts).
QUARTERLY_KINDS = frozenset({DisclosureKind.MAINTENANCE_FUND, DisclosureKind.COMMON_INCOME})

_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|Q([1-4])|H([12]))?$")


def check_publisher(kind: DisclosureKind, publishers: Collection[Publisher]) -> Publisher:
    """The capacity the viewer publishes in (firm before committee before staff), or FORBIDDEN."""
    for candidate in (Publisher.FIRM, Publisher.COMMITTEE, Publisher.STAFF):
        if candidate in publishers and candidate in PUBLISHERS[kind]:
            return candidate
    raise RuleViolation(ErrorCode.FORBIDDEN, "无权发布此类公示", "kind", en="You may not publish this kind of disclosure")


def check_period(period: str) -> tuple[date, date]:
    """"2026", "2026-03", "2026Q3" or "2026H1" -> first and last day."""
    match = _PERIOD.match(period.strip())
    if not match:
        raise RuleViolation(ErrorCode.INVALID, "期间格式应为 2026、2026-03、2026Q3 或 2026H1", "period",
                            en="The period must look like 2026, 2026-03, 2026Q3 or 2026H1")
    year = int(match.group(1))
    month, quarter, half = match.group(2), match.group(3), match.group(4)
    if month:
        first, months = date(year, int(month), 1), 1
    elif quarter:
        first, months = date(year, 3 * int(quarter) - 2, 1), 3
    elif half:
        first, months = date(year, 6 * int(half) - 5, 1), 6
    else:
        first, months = date(year, 1, 1), 12
    end_month = first.month + months
    last = date(year + (end_month - 1) // 12, (end_month - 1) % 12 + 1, 1) - timedelta(days=1)
    return first, last


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def previous_quarter(day: date) -> str:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return quarter_of(first - timedelta(days=1))


def quarter_due(quarter: str, grace_days: int) -> date:
    """The last day a quarter's statement may be posted: `grace_days` after the quarter ends."""
    return check_period(quarter)[1] + timedelta(days=grace_days)


def missed_quarter(*, today: date, covered: Collection[str], grace_days: int) -> str | None:
    """The previous quarter when its statement is overdue and no publication covers it, else None."""
    quarter = previous_quarter(today)
    if today <= quarter_due(quarter, grace_days):
        return None
    first, last = check_period(quarter)
    for period in covered:
        start, end = check_period(period)
        if start <= first and last <= end:
            return None
    return quarter


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of what was published, attachments' hashes included."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()
