"""Owners' assemblies driven through the domain's use cases, for the owners' app tests and contract calls.
No tests here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from domain.accounts.rules import Role, Viewer
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind
from domain.deliberation import service, voting
from domain.deliberation.models import AgendaItem, Meeting
from domain.deliberation.vocabulary import DecisionRule, JointMatter, MeetingKind
from domain.geography.models import Compound

CENTRE = Viewer(account_id=None, username="owners-support", roles=frozenset({Role.CENTRE_ADMIN}))
FUND = service.ItemSpec("使用维修资金更换电梯", DecisionRule.OWNERS_ORDINARY, matter=JointMatter.USE_MAINTENANCE_FUND)


def now() -> datetime:
    return datetime.now(UTC)


def election(person_ids: Sequence[int], seats: int, title: str = "选举业主委员会委员") -> service.ItemSpec:
    return service.ItemSpec(title, DecisionRule.OWNERS_ORDINARY, matter=JointMatter.ELECT_COMMITTEE,
                            max_selections=seats, candidates=[service.CandidateSpec(person_id=p) for p in person_ids])


async def convener(compound: Compound) -> Body:
    """The body convening the assembly (the compound's preparatory group or committee; any body of the compound)."""
    existing = await Body.filter(compound_id=compound.id).first()
    if existing is not None:
        return existing
    return await Body.create(kind=BodyKind.OWNERS_COMMITTEE, name=f"{compound.name}业主大会筹备组",
                             compound_id=compound.id, community_id=compound.community_id,
                             street_id=compound.street_id, created_at=now())


async def assembly(compound: Compound, items: Sequence[service.ItemSpec] = (FUND,), *, open_voting: bool = True,
                   noticed_days_ago: float = 16) -> tuple[Meeting, list[AgendaItem]]:
    """An owners' assembly of the compound, noticed long enough ago, in session, its items open for voting."""
    body = await convener(compound)
    meeting = await service.schedule_meeting(actor=CENTRE, draft=service.MeetingDraft(
        kind=MeetingKind.OWNERS_ASSEMBLY, title="业主大会", convener_body_id=body.id,
        scheduled_at=now() + timedelta(days=1), compound_id=compound.id, location="小区会所", agenda=list(items),
    ), now=now())
    await service.issue_notice(actor=CENTRE, meeting_id=meeting.id, issued_at=now() - timedelta(days=noticed_days_ago),
                               now=now())
    await service.open_meeting(actor=CENTRE, meeting_id=meeting.id, present_person_ids=[], now=now())
    rows = await AgendaItem.filter(meeting_id=meeting.id).order_by("position")
    if open_voting:
        for row in rows:
            await voting.open_voting(actor=CENTRE, item_id=row.id, now=now())
    return await Meeting.get(id=meeting.id), list(await AgendaItem.filter(meeting_id=meeting.id).order_by("position"))
