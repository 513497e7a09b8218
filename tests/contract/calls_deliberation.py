"""How the contract's deliberation operations are called (committee/meetings.graphql).

Each call drives one owners' committee meeting of the scenario's compound to the stage the operation needs,
through the domain's use cases, then sends the operation as the street's staff.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from domain.accounts.rules import Role, Viewer
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees.models import OwnersBody
from domain.committees.values import CommitteeKind
from domain.committees.values import Status as CommitteeStatus
from domain.deliberation import records, service, tasks, voting
from domain.deliberation.models import AgendaItem, Meeting, Minutes
from domain.deliberation.vocabulary import Choice, DecisionRule, MeetingKind, Party
from domain.deliberation.vocabulary import Role as MeetingRole
from tests.contract.scenario import Call, Scenario, call
from tests.factories import gid

CENTRE = Viewer(account_id=None, username="contract", roles=frozenset({Role.CENTRE_ADMIN}))
STAGES = ("DRAFT", "NOTICED", "IN_SESSION", "VOTING", "VOTED", "DECIDED", "CLOSED", "DRAFTED", "SIGNED",
          "PUBLISHED")


def _now() -> datetime:
    return datetime.now(UTC)


async def _committee(s: Scenario) -> Body:
    body = await Body.create(kind=BodyKind.OWNERS_COMMITTEE, name="阳光花园业主委员会", compound_id=s.compound.id,
                             community_id=s.community.id, street_id=s.street.id, created_at=_now())
    await OwnersBody.create(body_id=body.id, compound_id=s.compound.id, kind=CommitteeKind.OWNERS_COMMITTEE,
                            status=CommitteeStatus.ACTIVE, elected_on=date(2026, 1, 1), term_ends_on=date(2030, 12, 31),
                            seat_count=5, rule_pack="national", live_compound_id=s.compound.id, created_at=_now())
    for index, owner in enumerate(s.owners[:5]):
        await Membership.create(body_id=body.id, person_id=owner.id, created_at=_now(), starts_on=date(2026, 1, 1),
                                role=MembershipRole.CHAIR if index == 0 else MembershipRole.MEMBER)
    return body


def _draft(s: Scenario, body: Body) -> service.MeetingDraft:
    roles = [MeetingRole.CHAIR, MeetingRole.RECORDER] + [MeetingRole.ATTENDEE] * 3
    return service.MeetingDraft(
        kind=MeetingKind.OWNERS_COMMITTEE, title="业委会第1次会议", convener_body_id=body.id,
        scheduled_at=_now() + timedelta(days=8), compound_id=s.compound.id, location="社区议事厅",
        participants=[service.ParticipantSpec(o.id, Party.OWNERS_COMMITTEE, r) for o, r in zip(s.owners, roles)],
        agenda=[service.ItemSpec("续聘物业服务企业", DecisionRule.MAJORITY_OF_ALL_MEMBERS)],
    )


async def _meeting_at(s: Scenario, stage: str) -> tuple[Meeting, AgendaItem, Minutes | None]:
    """One committee meeting driven to `stage`; returns it, its item and its minutes (if drafted)."""
    reached = STAGES.index(stage)
    body = await _committee(s)
    meeting = await service.schedule_meeting(actor=CENTRE, draft=_draft(s, body), now=_now())
    item = await AgendaItem.get(meeting_id=meeting.id)
    minutes = None
    members = s.owners[:5]
    steps = [
        lambda: service.issue_notice(actor=CENTRE, meeting_id=meeting.id, issued_at=_now() - timedelta(days=8),
                                     now=_now()),
        lambda: service.open_meeting(actor=CENTRE, meeting_id=meeting.id, present_person_ids=[m.id for m in members],
                                     now=_now()),
        lambda: voting.open_voting(actor=CENTRE, item_id=item.id, now=_now()),
        lambda: _cast_three(item.id, members),
        lambda: voting.close_voting(actor=CENTRE, item_id=item.id, now=_now(), broker=None),
        lambda: service.close_meeting(actor=CENTRE, meeting_id=meeting.id, now=_now()),
        lambda: records.draft_minutes(actor=CENTRE, meeting_id=meeting.id, body="续聘物业服务企业，表决通过。",
                                      now=_now()),
        lambda: _sign_all(meeting.id, members),
        lambda: _publish(meeting.id),
    ]
    for step in steps[:reached]:
        await step()
    if reached >= STAGES.index("DRAFTED"):
        minutes = await Minutes.get(meeting_id=meeting.id)
    return await Meeting.get(id=meeting.id), await AgendaItem.get(id=item.id), minutes


async def _cast_three(item_id: int, members: list) -> None:
    for member in members[:3]:
        await voting.cast_ballot(actor=CENTRE, entry=voting.BallotEntry(item_id, member.id, Choice.AGREE),
                                 now=_now(), broker=None)


async def _sign_all(meeting_id: int, members: list) -> None:
    minutes = await Minutes.get(meeting_id=meeting_id)
    for member in members:
        await records.sign_minutes(actor=CENTRE, minutes_id=minutes.id, person_id=member.id, now=_now())


async def _publish(meeting_id: int) -> None:
    minutes = await Minutes.get(meeting_id=meeting_id)
    await records.publish_minutes(actor=CENTRE, minutes_id=minutes.id, now=_now())


def _staff(s: Scenario, variables: dict) -> Call:
    return Call(variables, s.tokens[Role.STREET_STAFF])


@call("ScheduleMeeting")
async def _schedule(s: Scenario) -> Call:
    body = await _committee(s)
    roles = ["CHAIR", "RECORDER", "ATTENDEE", "ATTENDEE", "ATTENDEE"]
    return _staff(s, {"input": {
        "kind": "OWNERS_COMMITTEE", "compoundId": gid("Compound", s.compound.id),
        "convenerBodyId": gid("Organisation", body.id), "title": "业委会第2次会议",
        "scheduledAt": (_now() + timedelta(days=10)).isoformat(), "location": "社区议事厅",
        "participants": [{"personId": gid("Person", o.id), "represents": "OWNERS_COMMITTEE", "role": r}
                         for o, r in zip(s.owners, roles)],
        "agenda": [{"title": "公共收益使用", "description": "年度公共收益分配", "decisionRule": "MAJORITY_OF_ALL_MEMBERS"}],
    }})


@call("IssueMeetingNotice")
async def _notice(s: Scenario) -> Call:
    meeting, _, _ = await _meeting_at(s, "DRAFT")
    return _staff(s, {"input": {"meetingId": gid("Meeting", meeting.id),
                                "issuedAt": (_now() - timedelta(days=1)).isoformat()}})


@call("OpenMeeting")
async def _open(s: Scenario) -> Call:
    meeting, _, _ = await _meeting_at(s, "NOTICED")
    return _staff(s, {"input": {"meetingId": gid("Meeting", meeting.id),
                                "presentPersonIds": [gid("Person", o.id) for o in s.owners[:4]]}})


@call("OpenVoting")
async def _open_voting(s: Scenario) -> Call:
    _, item, _ = await _meeting_at(s, "IN_SESSION")
    return _staff(s, {"input": {"agendaItemId": gid("AgendaItem", item.id)}})


@call("CastBallot")
async def _cast(s: Scenario) -> Call:
    _, item, _ = await _meeting_at(s, "VOTING")
    return _staff(s, {"input": {"agendaItemId": gid("AgendaItem", item.id), "voterId": gid("Person", s.owners[0].id),
                                "choice": "AGREE", "evidence": "纸质表决票 No.1"}})


@call("CloseVoting")
async def _close_voting(s: Scenario) -> Call:
    _, item, _ = await _meeting_at(s, "VOTED")
    return _staff(s, {"input": {"agendaItemId": gid("AgendaItem", item.id)}})


@call("AgendaItemTally")
async def _item_tally(s: Scenario) -> Call:
    _, item, _ = await _meeting_at(s, "VOTED")
    return _staff(s, {"id": gid("AgendaItem", item.id)})


@call("CloseMeeting")
async def _close(s: Scenario) -> Call:
    meeting, _, _ = await _meeting_at(s, "DECIDED")
    return _staff(s, {"input": {"meetingId": gid("Meeting", meeting.id)}})


@call("DraftMinutes")
async def _draft_minutes(s: Scenario) -> Call:
    meeting, _, _ = await _meeting_at(s, "CLOSED")
    return _staff(s, {"input": {"meetingId": gid("Meeting", meeting.id), "body": "会议纪要：续聘物业服务企业。"}})


@call("SignMinutes")
async def _sign(s: Scenario) -> Call:
    _, _, minutes = await _meeting_at(s, "DRAFTED")
    assert minutes is not None
    return _staff(s, {"input": {"minutesId": gid("Minutes", minutes.id), "personId": gid("Person", s.owners[0].id)}})


@call("PublishMinutes")
async def _publish_call(s: Scenario) -> Call:
    _, _, minutes = await _meeting_at(s, "SIGNED")
    assert minutes is not None
    return _staff(s, {"input": {"minutesId": gid("Minutes", minutes.id)}})


@call("MeetingRecord")
async def _record(s: Scenario) -> Call:
    meeting, item, _ = await _meeting_at(s, "PUBLISHED")
    residents = await Body.get(kind=BodyKind.RESIDENTS_COMMITTEE, community_id=s.community.id)
    await tasks.create_task(actor=CENTRE, meeting_id=meeting.id, item_id=item.id, title="签订续聘合同",
                            assignee_body_id=residents.id, due_on=_now().date() + timedelta(days=30), now=_now())
    return _staff(s, {"id": gid("Meeting", meeting.id)})
