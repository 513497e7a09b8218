"""A serving firm that misses a quarterly statement is flagged once and, when asked, gets a BAD credit event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from domain.accounts.rules import Role, Viewer
from domain.disclosures.jobs import flag_missing_disclosures
from domain.disclosures.models import DisclosureMiss
from domain.disclosures.rules import DisclosureKind
from domain.disclosures.service import DisclosureDraft, publish_disclosure
from domain.evaluation.models import CreditEvent
from domain.notifications.models import Notification
from tests import factories as f
from tests.conftest import make_token

NOW = datetime(2026, 10, 20, 2, 0, tzinfo=UTC)  # 2026Q3 ended 30 Sep; 15 grace days are over


async def test_a_missed_quarter_is_flagged_once_and_feeds_the_credit_evaluation(db):
    community = await f.community()
    late, diligent = await f.compound(community), await f.compound(community)
    firm = await f.firm()
    await f.contract(firm, late, starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))
    await f.contract(firm, diligent, starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))
    await make_token(Role.STREET_STAFF, street_id=community.street_id)
    staff = Viewer(account_id=None, username="t", roles=frozenset({Role.CENTRE_ADMIN}))
    for kind in (DisclosureKind.MAINTENANCE_FUND, DisclosureKind.COMMON_INCOME):
        await publish_disclosure(actor=staff, now=NOW, draft=DisclosureDraft(
            compound_id=diligent.id, kind=kind, title="2026Q3", period="2026Q3", body="本季度明细"))
    await publish_disclosure(actor=staff, now=NOW, draft=DisclosureDraft(
        compound_id=late.id, kind=DisclosureKind.COMMON_INCOME, title="2026 下半年", period="2026H2", body="明细"))

    first = await flag_missing_disclosures(now=NOW, credit_points=Decimal("2"))
    again = await flag_missing_disclosures(now=NOW, credit_points=Decimal("2"))

    assert first.flagged == [(late.id, "MAINTENANCE_FUND", "2026Q3")]
    assert again.flagged == []
    miss = await DisclosureMiss.get()
    event = await CreditEvent.get(id=miss.credit_event_id)
    assert (event.firm_id, event.kind, event.points) == (firm.id, "BAD", Decimal("2.00"))
    assert await Notification.filter(kind="DISCLOSURE_MISSING").count() == 1


async def test_nothing_is_flagged_inside_the_grace_days(db):
    compound = await f.compound()
    await f.contract(await f.firm(), compound, starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))

    report = await flag_missing_disclosures(now=datetime(2026, 10, 10, 2, 0, tzinfo=UTC))

    assert report.flagged == []
    assert await DisclosureMiss.all().count() == 0
