"""Every kind of meeting, community meetings, the 物管会 double quorum, and who may call each mutation."""

import pytest

from domain.accounts.rules import Role
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind, MembershipRole
from domain.deliberation.models import Ballot, Meeting, Minutes
from schema.core.relay import parse_id
from tests import factories as f
from tests.api.test_deliberation_support import (
    CLOSE,
    CLOSE_VOTING,
    DRAFT_MINUTES,
    NOTICE,
    OPEN,
    SCHEDULE,
    TASK,
    build_world,
    cast,
    codes,
    committee_meeting_input,
    gid,
    iso,
    now,
    payload,
    voting,
)
from tests.conftest import make_token

COMMUNITY_MEETINGS = """
query($id: ID!) { community(id: $id) { meetings(first: 10) { totalCount edges { node { id kind } } } } }"""


@pytest.mark.parametrize(
    ("_case", "kind", "rule", "matter"),
    [
        ("四方联席会", "FOUR_PARTY_JOINT", "CONSENSUS", None),
        ("街道物业管理联席会议", "JOINT_CONFERENCE", "MAJORITY_OF_PRESENT", None),
        ("居民议事会", "RESIDENTS_DELIBERATION", "MAJORITY_OF_PRESENT", None),
        ("恳谈会", "HEART_TO_HEART", "CONSENSUS", None),
        ("党建联席会", "PARTY_BUILDING_JOINT", "TWO_THIRDS_OF_PRESENT", None),
        ("业委会会议 指导规则 art. 40", "OWNERS_COMMITTEE", "MAJORITY_OF_ALL_MEMBERS", None),
        ("物管会会议", "PROPERTY_MANAGEMENT_COMMITTEE", "MAJORITY_OF_ALL_MEMBERS", None),
        ("业主大会 民法典 art. 278", "OWNERS_ASSEMBLY", "OWNERS_MAJOR", "CHANGE_COMMON_PARTS"),
    ],
)
async def test_every_kind_of_meeting_can_be_scheduled_with_a_fitting_rule(gql, db, _case, kind, rule, matter):
    w = await build_world()

    result = await payload(gql, SCHEDULE, committee_meeting_input(
        w, kind=kind, agenda=[{"title": "议题", "decisionRule": rule, "matter": matter}]), w.staff_token)

    assert result["errors"] == []
    assert (result["meeting"]["kind"], result["meeting"]["agenda"][0]["decisionRule"]) == (kind, rule)


async def test_a_committee_meeting_needs_a_compound(gql, db):
    w = await build_world()

    result = await payload(gql, SCHEDULE, committee_meeting_input(
        w, compoundId=None, communityId=gid("Community", w.community.id)), w.staff_token)

    assert codes(result) == ["INVALID"] and result["errors"][0]["field"] == ["compoundId"]


async def test_a_residents_deliberation_of_a_community_needs_more_than_half_of_its_members(gql, db):
    w = await build_world()
    residents = [await f.person(f"居民代表{i}") for i in range(4)]
    meeting = (await payload(gql, SCHEDULE, committee_meeting_input(
        w, kind="RESIDENTS_DELIBERATION", compoundId=None, communityId=gid("Community", w.community.id),
        convenerBodyId=gid("Organisation", w.residents_committee.id), title="居民议事会",
        participants=[{"personId": gid("Person", p.id), "represents": "OWNER", "role": "ATTENDEE"} for p in residents],
        agenda=[{"title": "停车位划线", "decisionRule": "MAJORITY_OF_PRESENT"}]), w.staff_token))["meeting"]
    await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(now().replace(year=now().year - 1))},
                  w.staff_token)

    two = await payload(gql, OPEN, {"meetingId": meeting["id"],
                                    "presentPersonIds": [gid("Person", p.id) for p in residents[:2]]}, w.staff_token)
    three = await payload(gql, OPEN, {"meetingId": meeting["id"],
                                      "presentPersonIds": [gid("Person", p.id) for p in residents[:3]]}, w.staff_token)
    listed = (await gql(COMMUNITY_MEETINGS, {"id": gid("Community", w.community.id)}, token=w.staff_token))

    assert codes(two) == ["QUORUM_NOT_MET"]
    assert three["errors"] == [] and three["meeting"]["quorum"]["required"] == 3
    assert listed["community"]["meetings"]["totalCount"] == 1
    assert (await Meeting.get(id=parse_id(meeting["id"])[1])).compound_id is None


async def test_a_property_management_committee_needs_a_majority_of_its_owner_representatives(gql, db):
    w = await build_world()
    # The quorum reads the convener's current memberships; owner representatives are members owning a unit here.
    pmc = await Body.create(kind=BodyKind.OTHER, name="物业管理委员会", compound_id=w.compound.id,
                            community_id=w.community.id, street_id=w.street.id, created_at=f.NOW)
    owners = w.members[:4]  # each owns a unit in the compound
    officials = [w.residents_director, w.party_secretary, w.project_manager]
    for person in [*owners, *officials]:
        await f.membership(pmc, person, MembershipRole.MEMBER)
    everyone = [*owners, *officials]
    meeting = (await payload(gql, SCHEDULE, committee_meeting_input(
        w, kind="PROPERTY_MANAGEMENT_COMMITTEE", convenerBodyId=gid("Organisation", pmc.id), title="物管会会议",
        participants=[{"personId": gid("Person", p.id), "represents": "OWNERS_COMMITTEE", "role": "ATTENDEE"}
                      for p in everyone]), w.staff_token))["meeting"]
    await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(now().replace(year=now().year - 1))},
                  w.staff_token)

    few_owners = await payload(gql, OPEN, {"meetingId": meeting["id"], "presentPersonIds": [
        gid("Person", p.id) for p in [*owners[:2], *officials]]}, w.staff_token)
    enough = await payload(gql, OPEN, {"meetingId": meeting["id"], "presentPersonIds": [
        gid("Person", p.id) for p in [*owners[:3], officials[0]]]}, w.staff_token)

    assert codes(few_owners) == ["QUORUM_NOT_MET"]
    assert "业主代表应到 4 人，实到 2 人" in few_owners["errors"][0]["message"]
    assert enough["errors"] == [] and enough["meeting"]["quorum"]["met"] is True


# --- who may call what -----------------------------------------------------------------------------------------

MUTATIONS = {
    "scheduleMeeting": "ScheduleMeetingInput",
    "issueMeetingNotice": "IssueMeetingNoticeInput",
    "addAgendaItem": "AddAgendaItemInput",
    "openMeeting": "OpenMeetingInput",
    "closeMeeting": "MeetingActionInput",
    "cancelMeeting": "CancelMeetingInput",
    "openVoting": "AgendaItemActionInput",
    "closeVoting": "AgendaItemActionInput",
    "castBallot": "CastBallotInput",
    "correctBallot": "CorrectBallotInput",
    "draftMinutes": "DraftMinutesInput",
    "signMinutes": "SignMinutesInput",
    "publishMinutes": "PublishMinutesInput",
    "createFollowUpTask": "CreateFollowUpTaskInput",
    "completeFollowUpTask": "FollowUpTaskActionInput",
    "cancelFollowUpTask": "FollowUpTaskActionInput",
}


async def objects(gql, w):
    """A closed meeting with a ballot, drafted minutes and a task; a second meeting still in session."""
    meeting, item = await voting(gql, w)
    ballot = (await cast(gql, w, item, w.members[0]))["ballot"]
    for member in w.members[1:4]:
        await cast(gql, w, item, member)
    await payload(gql, CLOSE_VOTING, {"agendaItemId": item}, w.staff_token)
    await payload(gql, CLOSE, {"meetingId": meeting["id"]}, w.staff_token)
    minutes = (await payload(gql, DRAFT_MINUTES, {"meetingId": meeting["id"], "body": "纪要"}, w.staff_token))["minutes"]
    task = (await payload(gql, TASK, {"meetingId": meeting["id"], "title": "整改", "dueOn": "2099-01-01",
                                      "assigneeId": gid("Organisation", w.residents_committee.id)},
                          w.staff_token))["task"]
    person = gid("Person", w.members[0].id)
    return {
        "scheduleMeeting": committee_meeting_input(w),
        "issueMeetingNotice": {"meetingId": meeting["id"]},
        "addAgendaItem": {"meetingId": meeting["id"], "item": {"title": "x", "decisionRule": "CONSENSUS"}},
        "openMeeting": {"meetingId": meeting["id"], "presentPersonIds": [person]},
        "closeMeeting": {"meetingId": meeting["id"]},
        "cancelMeeting": {"meetingId": meeting["id"], "reason": "改期"},
        "openVoting": {"agendaItemId": item},
        "closeVoting": {"agendaItemId": item},
        "castBallot": {"agendaItemId": item, "voterId": gid("Person", w.members[4].id), "choice": "AGREE"},
        "correctBallot": {"ballotId": ballot["id"], "choice": "OPPOSE", "reason": "录入错误"},
        "draftMinutes": {"meetingId": meeting["id"], "body": "改写"},
        "signMinutes": {"minutesId": minutes["id"], "personId": person},
        "publishMinutes": {"minutesId": minutes["id"]},
        "createFollowUpTask": {"meetingId": meeting["id"], "title": "t", "dueOn": "2099-01-01",
                               "assigneeId": gid("Organisation", w.residents_committee.id)},
        "completeFollowUpTask": {"taskId": task["id"]},
        "cancelFollowUpTask": {"taskId": task["id"]},
    }


async def test_firm_staff_and_staff_of_another_street_may_call_no_deliberation_mutation(gql, db):
    w = await build_world()
    inputs = await objects(gql, w)
    firm_staff = await make_token(Role.FIRM_STAFF, firm_id=w.firm.id)
    elsewhere = await make_token(Role.STREET_STAFF, street_id=(await f.street()).id)
    ballots, minutes = await Ballot.all().count(), await Minutes.all().values_list("status", "body")

    refused = {}
    for name, input_type in MUTATIONS.items():
        document = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ errors {{ code }} }} }}"
        for who, token in (("firm", firm_staff), ("elsewhere", elsewhere)):
            data = await gql(document, {"input": inputs[name]}, token=token)
            refused[(name, who)] = [e["code"] for e in data[name]["errors"]]

    assert refused == {key: ["FORBIDDEN"] for key in refused}
    assert await Ballot.all().count() == ballots
    assert await Minutes.all().values_list("status", "body") == minutes
