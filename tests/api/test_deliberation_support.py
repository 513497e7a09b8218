"""A small world for the deliberation API tests: a compound with owners, an owners' committee with members, the
four parties, GraphQL documents and helpers that drive a meeting along. No tests here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.accounts.rules import Role
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees.models import OwnersBody
from domain.committees.values import CommitteeKind
from domain.committees.values import Status as CommitteeStatus
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Compound, Person, Street
from tests import factories as f
from tests.conftest import make_token
from tests.contract.operations import contract_operations

CONTRACT = {op.name: op.document for op in contract_operations() if op.file.startswith("committee/")}
ERRORS = "errors { code field message }"

SCHEDULE = CONTRACT["ScheduleMeeting"]
NOTICE = CONTRACT["IssueMeetingNotice"]
OPEN = CONTRACT["OpenMeeting"]
OPEN_VOTING = CONTRACT["OpenVoting"]
CAST = CONTRACT["CastBallot"]
CLOSE_VOTING = CONTRACT["CloseVoting"]
CLOSE = CONTRACT["CloseMeeting"]
DRAFT_MINUTES = CONTRACT["DraftMinutes"]
SIGN = CONTRACT["SignMinutes"]
PUBLISH = CONTRACT["PublishMinutes"]
RECORD = CONTRACT["MeetingRecord"]
ITEM_TALLY = CONTRACT["AgendaItemTally"]

ADD_ITEM = """
mutation AddAgendaItem($input: AddAgendaItemInput!) {
  addAgendaItem(input: $input) { agendaItem { id status } %s }
}""" % ERRORS

CORRECT = """
mutation CorrectBallot($input: CorrectBallotInput!) {
  correctBallot(input: $input) {
    ballot { id choice corrections { oldChoice newChoice reason } }
    tally { agreeVoters opposeVoters passed }
    %s
  }
}""" % ERRORS

CANCEL = """
mutation CancelMeeting($input: CancelMeetingInput!) {
  cancelMeeting(input: $input) { meeting { id status availableActions } %s }
}""" % ERRORS

TASK = """
mutation CreateFollowUpTask($input: CreateFollowUpTaskInput!) {
  createFollowUpTask(input: $input) { task { id title status dueOn assignee { id name } } %s }
}""" % ERRORS

FINISH_TASK = """
mutation Finish($input: FollowUpTaskActionInput!) {
  completeFollowUpTask(input: $input) { task { id status } %s }
}""" % ERRORS

STATUS = "query Status($id: ID!) { meeting(id: $id) { id status availableActions noticeIssuedAt earliestStartAt } }"


def gid(type_name: str, pk: int) -> str:
    return f.gid(type_name, pk)


@dataclass
class World:
    street: Street
    community: Community
    compound: Compound
    committee: Body
    members: list[Person]
    party_org: Body
    residents_committee: Body
    firm: PropertyFirm
    party_secretary: Person
    residents_director: Person
    project_manager: Person
    staff_token: str
    admin_token: str

    @property
    def committee_gid(self) -> str:
        return gid("Organisation", self.committee.id)


async def owners_committee(compound: Compound) -> Body:
    """An owners' committee in office: the Body its members hold posts in, and the committees area's term row."""
    body = await Body.create(kind=BodyKind.OWNERS_COMMITTEE, name="业主委员会", compound_id=compound.id,
                             community_id=compound.community_id, street_id=compound.street_id, created_at=f.NOW)
    await OwnersBody.create(body_id=body.id, compound_id=compound.id, kind=CommitteeKind.OWNERS_COMMITTEE,
                            status=CommitteeStatus.ACTIVE, elected_on=date(2026, 1, 1), term_ends_on=date(2030, 12, 31),
                            seat_count=5, rule_pack="national", live_compound_id=compound.id, created_at=f.NOW)
    return body


async def build_world(rule_pack: str = "national", members: int = 5) -> World:
    street = await f.street(rule_pack=rule_pack)
    community = await f.community(street)
    compound = await f.compound(community)
    committee = await owners_committee(compound)
    people = []
    for i in range(members):
        member = await f.person(f"委员{i + 1}")
        await f.unit(compound, member, number=f"{101 + i}")
        await f.membership(committee, member, MembershipRole.CHAIR if i == 0 else MembershipRole.MEMBER)
        people.append(member)
    party_org = await f.body(BodyKind.COMMUNITY_PARTY_ORGANISATION, community, "社区党委")
    residents = await f.body(BodyKind.RESIDENTS_COMMITTEE, community, "社区居委会")
    firm = await f.firm()
    secretary, director, manager = await f.person("书记"), await f.person("居委会主任"), await f.person("项目经理")
    await f.membership(party_org, secretary, MembershipRole.SECRETARY)
    await f.membership(residents, director, MembershipRole.CHAIR)
    return World(
        street, community, compound, committee, people, party_org, residents, firm, secretary, director, manager,
        staff_token=await make_token(Role.STREET_STAFF, street_id=street.id),
        admin_token=await make_token(Role.CENTRE_ADMIN),
    )


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def committee_meeting_input(w: World, **overrides: Any) -> dict[str, Any]:
    participants = [
        {"personId": gid("Person", m.id), "represents": "OWNERS_COMMITTEE",
         "role": "CHAIR" if i == 0 else ("RECORDER" if i == 1 else "ATTENDEE")}
        for i, m in enumerate(w.members)
    ]
    values = {
        "kind": "OWNERS_COMMITTEE", "compoundId": gid("Compound", w.compound.id),
        "convenerBodyId": w.committee_gid, "title": "业委会第3次会议", "scheduledAt": iso(now() + timedelta(days=8)),
        "location": "社区议事厅", "participants": participants,
        "agenda": [{"title": "续聘物业服务企业", "description": "续聘两年", "decisionRule": "MAJORITY_OF_ALL_MEMBERS"}],
    }
    return {**values, **overrides}


async def payload(gql: Any, document: str, input: dict[str, Any], token: str) -> dict[str, Any]:
    """The single root field's payload of a mutation."""
    data = await gql(document, {"input": input}, token=token)
    (value,) = data.values()
    return value


async def schedule(gql: Any, w: World, **overrides: Any) -> dict[str, Any]:
    result = await payload(gql, SCHEDULE, committee_meeting_input(w, **overrides), w.staff_token)
    assert result["errors"] == [], result["errors"]
    return result["meeting"]


async def noticed(gql: Any, w: World, *, days_ago: float = 8, **overrides: Any) -> dict[str, Any]:
    meeting = await schedule(gql, w, **overrides)
    result = await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(now() - timedelta(days=days_ago))},
                           w.staff_token)
    assert result["errors"] == [], result["errors"]
    return meeting


async def in_session(gql: Any, w: World, present: list[Person] | None = None, **overrides: Any) -> dict[str, Any]:
    meeting = await noticed(gql, w, **overrides)
    people = w.members if present is None else present
    result = await payload(gql, OPEN, {"meetingId": meeting["id"],
                                       "presentPersonIds": [gid("Person", p.id) for p in people]}, w.staff_token)
    assert result["errors"] == [], result["errors"]
    return meeting


async def voting(gql: Any, w: World, **overrides: Any) -> tuple[dict[str, Any], str]:
    """A meeting in session with its first item open for voting; returns the meeting and the item's ID."""
    meeting = await in_session(gql, w, **overrides)
    item_id = meeting["agenda"][0]["id"]
    result = await payload(gql, OPEN_VOTING, {"agendaItemId": item_id}, w.staff_token)
    assert result["errors"] == [], result["errors"]
    return meeting, item_id


async def cast(gql: Any, w: World, item_id: str, voter: Person, choice: str = "AGREE", token: str | None = None,
               **extra: Any) -> dict[str, Any]:
    return await payload(gql, CAST, {"agendaItemId": item_id, "voterId": gid("Person", voter.id), "choice": choice,
                                     **extra}, token or w.staff_token)


def codes(result: dict[str, Any]) -> list[str]:
    return [e["code"] for e in result["errors"]]
