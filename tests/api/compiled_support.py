"""The demo city of the compiled console lists (complaints, meetings, firms), seen by every kind of viewer.

The demo data of scale 1 is loaded as tests/api/test_compiled_reads.py loads it; a few rows are then changed so
that every compiled field meets each of its cases (the demo has no escalated order, no provisional deadline, no
order handled by an owners' committee, and quorum and compound on every meeting).
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Subquery

from api.seed import seed_demo
from domain.accounts.rules import Role
from domain.bodies.models import Membership
from domain.committees.models import OwnersBody
from domain.complaints.models import Complaint
from domain.complaints.rules import HANDLING_STATUSES
from domain.deliberation.models import Meeting
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Compound, Street
from tests.api.test_compiled_reads import _same_answer  # noqa: F401 - re-exported for the console tests
from tests.conftest import make_token

ROLES = ["anonymous", "admin", "street", "community", "firm", "committee", "owner"]


async def _exercise_every_case(firm: PropertyFirm) -> None:
    handling = await Complaint.filter(status__in=list(HANDLING_STATUSES)).order_by("id")
    await Complaint.filter(id=handling[0].id).update(escalation_level=1)
    await Complaint.filter(id=handling[1].id).update(due_provisional=True)
    # An order the firm is accountable for, handed on to an owners' committee (a Body of kind OWNERS_COMMITTEE):
    # the firm staff see the order but not the committee (its handler: null).
    street = await Street.all().order_by("id").first()
    committee = await OwnersBody.filter(compound__street_id=street.id).order_by("id").first() if street else None
    order = await Complaint.filter(accountable_id=firm.body_id).order_by("id").first()
    assert committee is not None and order is not None
    await Complaint.filter(id=order.id).update(handler_id=committee.body_id)
    meeting = await Meeting.all().order_by("id").first()
    assert meeting is not None
    await Meeting.filter(id=meeting.id).update(quorum_met=None, quorum_present=None, quorum_required=None,
                                               quorum_explanation=None, compound_id=None)


async def console_city() -> dict[str, Any]:
    await seed_demo(scale=1, seed=7)
    street = await Street.all().order_by("id").first()
    community = await Community.all().order_by("id").first()
    assert street and community
    firm = await PropertyFirm.filter(body_id__in=Subquery(Complaint.filter(accountable_id__not_isnull=True)
                                                          .values("accountable_id"))).order_by("id").first()
    assert firm is not None
    await _exercise_every_case(firm)
    committee_meeting = await Meeting.filter(convener__kind="OWNERS_COMMITTEE").order_by("id").first()
    assert committee_meeting is not None
    member = await Membership.filter(body_id=committee_meeting.convener_id).order_by("id").first()
    owner = await Complaint.filter(complainant_person_id__not_isnull=True,
                                   compound_id=committee_meeting.compound_id).order_by("id").first() \
        or await Complaint.filter(complainant_person_id__not_isnull=True).order_by("id").first()
    assert member is not None and owner is not None
    tokens = {
        "anonymous": None,
        "admin": await make_token(Role.CENTRE_ADMIN),
        "street": await make_token(Role.STREET_STAFF, street_id=street.id),
        "community": await make_token(Role.COMMUNITY_STAFF, street_id=street.id, community_id=community.id),
        "firm": await make_token(Role.FIRM_STAFF, firm_id=firm.id),
        "committee": await make_token(Role.COMMITTEE_MEMBER, person_id=member.person_id),
        "owner": await make_token(Role.OWNER, person_id=owner.complainant_person_id),
    }
    return {
        "tokens": tokens,
        "streets": [s.id for s in await Street.all()],
        "communities": [c.id for c in await Community.all()],
        "compounds": list(await Compound.all().order_by("id").values_list("id", flat=True)),
        "complaints": await Complaint.all().count(),
        "received": sorted(r.isoformat() for r in await Complaint.all().values_list("received_at", flat=True)),
        "handlers": list(await Complaint.filter(handler_id__not_isnull=True).distinct()
                         .values_list("handler_id", flat=True)),
        "firms": list(await PropertyFirm.all().order_by("id").values_list("id", flat=True)),
        "meetings": await Meeting.all().count(),
    }
