"""The quarterly duty (`python -m api flag-missing-disclosures`): a serving firm with no statement covering the
last quarter, after the grace days, is flagged once per compound, kind and quarter, and the miss may become a
BAD credit event (evaluation) when the caller gives it points."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from domain.accounts.rules import CENTRE, Viewer
from domain.calendar import local_date
from domain.disclosures import rules
from domain.disclosures.models import Disclosure, DisclosureMiss
from domain.evaluation.scoring import CreditEventKind
from domain.firms.coverage import coverage_in_force
from domain.geography.models import Compound
from domain.notifications.events import staff_accounts
from domain.notifications.rules import NoticeKind, Text
from domain.notifications.service import Link, notify
from domain.transaction import atomic

SCHEDULER = Viewer(account_id=None, username="scheduler", roles=CENTRE)
# Days after the quarter ends before a statement counts as missing (policy: 15 unless a rule pack says otherwise).
DEFAULT_GRACE_DAYS = 15


@dataclass
class MissReport:
    flagged: list[tuple[int, str, str]] = field(default_factory=list)  # (compound id, kind, quarter)


async def flag_missing_disclosures(*, now: datetime, grace_days: int = DEFAULT_GRACE_DAYS,
                                   credit_points: Decimal = Decimal("0")) -> MissReport:
    from domain.evaluation.service import record_credit_event

    today = local_date(now)
    quarter = rules.previous_quarter(today)
    first, last = rules.check_period(quarter)
    report = MissReport()
    # The firm that served the compound through the quarter's last day owed its statement.
    served = dict(await coverage_in_force(last).values_list("compound_id", "firm_id_copy"))
    for compound_id, firm_id in sorted(served.items()):
        for kind in sorted(rules.QUARTERLY_KINDS):
            covered = await Disclosure.filter(compound_id=compound_id, kind=kind, period_start__lte=first,
                                              period_end__gte=last).values_list("period", flat=True)
            missed = rules.missed_quarter(today=today, covered=covered, grace_days=grace_days)
            if missed is None or await DisclosureMiss.exists(compound_id=compound_id, kind=kind, period=missed):
                continue
            async with atomic():
                miss = await DisclosureMiss.create(compound_id=compound_id, firm_id=firm_id, kind=kind,
                                                   period=missed, flagged_at=now)
                compound = await Compound.get(id=compound_id)
                if credit_points > 0:
                    event = await record_credit_event(
                        actor=SCHEDULER, firm_id=firm_id, kind=CreditEventKind.BAD, points=credit_points,
                        reason=f"{compound.name} {missed} 未按季度公示（{kind.value}）", occurred_on=today,
                        valid_until=None, now=now)
                    await DisclosureMiss.filter(id=miss.id).update(credit_event_id=event.id)
                await notify(recipients=await staff_accounts(role="STREET_STAFF", street_id=compound.street_id),
                             kind=NoticeKind.DISCLOSURE_MISSING,
                             text=Text(f"物业未按期公示：{compound.name}", f"{compound.name}的服务企业未公示 {missed} 的"
                                       f"{'维修资金使用情况' if kind == 'MAINTENANCE_FUND' else '共有部分经营收益'}。"),
                             link=Link("Compound", compound_id), cause=f"miss:{miss.id}", now=now)
            report.flagged.append((compound_id, str(kind), missed))
    return report
