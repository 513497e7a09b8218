"""formOwnersCommittee names the meeting that elected the committee: it must exist, and an owners' committee is
elected by this compound's owners' assembly (民法典 art. 278 (三))."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from domain.deliberation.models import Meeting
from domain.deliberation.vocabulary import MeetingKind, MeetingStatus
from tests import factories as f
from tests.api.test_committees_support import FORM, committee_snapshot, form_input, send, world
from tests.factories import gid

AT = datetime(2026, 11, 1, 2, 0, tzinfo=timezone.utc)


async def meeting(w, kind: MeetingKind, compound=None) -> Meeting:
    return await Meeting.create(
        kind=kind, status=MeetingStatus.CLOSED, title="选举", compound_id=(compound or w.compound).id,
        community_id=w.community.id, convener_id=w.residents_committee.id, scheduled_at=AT,
        rule_pack="national@2026.2", created_at=AT,
    )


async def test_an_assembly_that_elected_nobody_cannot_be_named_as_the_election(gql, db):
    # The assembly must have passed an election item (issue 10); the elected case is in test_owners_app.py.
    w = await world()
    assembly = await meeting(w, MeetingKind.OWNERS_ASSEMBLY)
    before = await committee_snapshot()

    payload = await send(gql, FORM, form_input(w, electionMeetingId=gid("Meeting", assembly.id)), w.token())

    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", ["electionMeetingId"])]
    assert await committee_snapshot() == before


async def test_an_election_meeting_that_does_not_exist_is_not_found(gql, db):
    w = await world()
    before = await committee_snapshot()

    payload = await send(gql, FORM, form_input(w, electionMeetingId=gid("Meeting", 4711)), w.token())

    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("NOT_FOUND", ["electionMeetingId"])]
    assert await committee_snapshot() == before


@pytest.mark.parametrize("_case, kind, elsewhere", [
    ("_case a committee meeting does not elect an owners' committee", MeetingKind.OWNERS_COMMITTEE, False),
    ("_case a four-party meeting does not either", MeetingKind.FOUR_PARTY_JOINT, False),
    ("_case another compound's assembly does not either", MeetingKind.OWNERS_ASSEMBLY, True),
])
async def test_an_owners_committee_needs_this_compounds_owners_assembly(gql, db, _case, kind, elsewhere):
    w = await world()
    other = await f.compound(w.community, "明月小区") if elsewhere else None
    held = await meeting(w, kind, other)
    before = await committee_snapshot()

    payload = await send(gql, FORM, form_input(w, electionMeetingId=gid("Meeting", held.id)), w.token())

    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", ["electionMeetingId"])]
    assert await committee_snapshot() == before
