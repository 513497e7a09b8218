"""Successful calls of the mutations the client contract does not call, for the one-audit-event-per-mutation test.

Each scenario gets the contract's base scenario and a `gql` sender, prepares what the mutation needs (through use
cases or other mutations) and returns (document, variables, token) of the one request to count around.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from domain.accounts.rules import Role
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind
from domain.deliberation import tasks
from domain.transaction import atomic
from tests import factories
from tests.conftest import make_token
from tests.contract import calls_committees, calls_complaints, calls_deliberation
from tests.contract.scenario import Scenario
from tests.factories import gid

Prepared = tuple[str, dict[str, Any], str | None]
Scenario_ = Callable[[Scenario, Any], Awaitable[Prepared]]
SCENARIOS: dict[str, Scenario_] = {}


def _doc(mutation: str, input_type: str | None) -> str:
    if input_type is None:
        return f"mutation {{ {mutation} {{ errors {{ code field message }} }} }}"
    return (f"mutation($input: {input_type}!) {{ {mutation}(input: $input) "
            f"{{ errors {{ code field message }} }} }}")


def scenario(mutation: str, input_type: str | None) -> Callable[[Callable[..., Awaitable[Any]]], Scenario_]:
    def register(prepare: Callable[..., Awaitable[Any]]) -> Scenario_:
        async def run(s: Scenario, gql: Any) -> Prepared:
            variables, token = await prepare(s, gql)
            return _doc(mutation, input_type), variables, token
        SCENARIOS[mutation] = run
        return run
    return register


def _today() -> date:
    return datetime.now(UTC).date()


def _street(s: Scenario) -> str:
    return s.tokens[Role.STREET_STAFF]


def _admin(s: Scenario) -> str:
    return s.tokens[Role.CENTRE_ADMIN]


@scenario("logout", None)
async def _logout(s: Scenario, gql: Any) -> Any:
    return {}, s.tokens[Role.CENTRE_STAFF]


@scenario("createAccount", "CreateAccountInput")
async def _create_account(s: Scenario, gql: Any) -> Any:
    return {"input": {"username": "new-staff", "password": "long enough pw", "roles": ["CENTRE_STAFF"]}}, _admin(s)


@scenario("updateCompound", "UpdateCompoundInput")
async def _update_compound(s: Scenario, gql: Any) -> Any:
    return {"input": {"compoundId": gid("Compound", s.compound.id), "isRedProperty": True}}, _admin(s)


@scenario("consolidateCompounds", "ConsolidateCompoundsInput")
async def _consolidate(s: Scenario, gql: Any) -> Any:
    return {"input": {"intoCompoundId": gid("Compound", s.compound.id),
                      "compoundIds": [gid("Compound", s.spare_compound.id)], "mergedOn": str(_today())}}, _admin(s)


# --- deliberation --------------------------------------------------------------------------------------------------

@scenario("addAgendaItem", "AddAgendaItemInput")
async def _add_item(s: Scenario, gql: Any) -> Any:
    meeting, _, _ = await calls_deliberation._meeting_at(s, "DRAFT")
    return {"input": {"meetingId": gid("Meeting", meeting.id),
                      "item": {"title": "增设充电桩", "decisionRule": "MAJORITY_OF_ALL_MEMBERS"}}}, _street(s)


@scenario("cancelMeeting", "CancelMeetingInput")
async def _cancel_meeting(s: Scenario, gql: Any) -> Any:
    meeting, _, _ = await calls_deliberation._meeting_at(s, "NOTICED")
    return {"input": {"meetingId": gid("Meeting", meeting.id), "reason": "台风停会"}}, _street(s)


@scenario("correctBallot", "CorrectBallotInput")
async def _correct(s: Scenario, gql: Any) -> Any:
    from domain.deliberation.models import Ballot

    _, item, _ = await calls_deliberation._meeting_at(s, "VOTED")
    ballot = await Ballot.filter(item_id=item.id).order_by("id").first()
    return {"input": {"ballotId": gid("Ballot", ballot.id), "choice": "OPPOSE", "reason": "纸质票录入错误"}}, _street(s)


async def _meeting_task(s: Scenario) -> tuple[Any, Any, Body]:
    meeting, item, _ = await calls_deliberation._meeting_at(s, "PUBLISHED")
    residents = await Body.get(kind=BodyKind.RESIDENTS_COMMITTEE, community_id=s.community.id)
    return meeting, item, residents


@scenario("createFollowUpTask", "CreateFollowUpTaskInput")
async def _create_task(s: Scenario, gql: Any) -> Any:
    meeting, item, residents = await _meeting_task(s)
    return {"input": {"meetingId": gid("Meeting", meeting.id), "title": "签订续聘合同",
                      "assigneeId": gid("Organisation", residents.id), "dueOn": str(_today() + timedelta(days=30)),
                      "agendaItemId": gid("AgendaItem", item.id)}}, _street(s)


async def _task(s: Scenario) -> int:
    meeting, item, residents = await _meeting_task(s)
    task = await tasks.create_task(actor=calls_deliberation.CENTRE, meeting_id=meeting.id, item_id=item.id,
                                   title="签订续聘合同", assignee_body_id=residents.id,
                                   due_on=_today() + timedelta(days=30), now=datetime.now(UTC))
    return task.id


@scenario("completeFollowUpTask", "FollowUpTaskActionInput")
async def _complete_task(s: Scenario, gql: Any) -> Any:
    return {"input": {"taskId": gid("FollowUpTask", await _task(s))}}, _street(s)


@scenario("cancelFollowUpTask", "FollowUpTaskActionInput")
async def _cancel_task(s: Scenario, gql: Any) -> Any:
    return {"input": {"taskId": gid("FollowUpTask", await _task(s))}}, _street(s)


# --- complaints ----------------------------------------------------------------------------------------------------

@scenario("extendComplaint", "ExtendComplaintInput")
async def _extend(s: Scenario, gql: Any) -> Any:
    order = await calls_complaints._order(s, "DISPATCHED")
    due = datetime.now(UTC) + timedelta(days=40)
    return {"input": {"complaintId": gid("Complaint", order), "dueAt": due.isoformat(), "reason": "需采购配件"}}, \
        _street(s)


@scenario("reportComplaintProgress", "ComplaintActionInput")
async def _progress(s: Scenario, gql: Any) -> Any:
    order = await calls_complaints._order(s, "IN_PROGRESS")
    return {"input": {"complaintId": gid("Complaint", order), "note": "已联系厂家"}}, s.tokens[Role.FIRM_STAFF]


@scenario("mergeComplaints", "MergeComplaintsInput")
async def _merge(s: Scenario, gql: Any) -> Any:
    original = await calls_complaints._order(s, "DISPATCHED")
    duplicate = await calls_complaints._order(s, "RECEIVED")
    return {"input": {"duplicateId": gid("Complaint", duplicate), "originalId": gid("Complaint", original)}}, \
        _street(s)


# --- owners' committees --------------------------------------------------------------------------------------------

async def _committee_id(s: Scenario) -> Any:
    return await calls_committees._committee(s)


@scenario("fileOwnersCommittee", "FileOwnersCommitteeInput")
async def _file_committee(s: Scenario, gql: Any) -> Any:
    committee = await _committee_id(s)
    return {"input": {"committeeId": gid("OwnersCommittee", committee.id), "filedOn": str(_today())}}, _street(s)


@scenario("recordFirstCommitteeMeeting", "RecordFirstCommitteeMeetingInput")
async def _first_meeting(s: Scenario, gql: Any) -> Any:
    committee = await _committee_id(s)
    return {"input": {"committeeId": gid("OwnersCommittee", committee.id), "heldOn": str(_today())}}, _street(s)


@scenario("dissolveOwnersCommittee", "DissolveOwnersCommitteeInput")
async def _dissolve(s: Scenario, gql: Any) -> Any:
    committee = await _committee_id(s)
    return {"input": {"committeeId": gid("OwnersCommittee", committee.id), "dissolvedOn": str(_today()),
                      "reason": "业主大会决定解散"}}, _street(s)


@scenario("endCommitteeSeat", "EndCommitteeSeatInput")
async def _end_seat(s: Scenario, gql: Any) -> Any:
    committee = await _committee_id(s)
    seat = await Membership.get(body_id=committee.body_id, person_id=s.owners[2].id)
    return {"input": {"membershipId": gid("Membership", seat.id), "reason": "RESIGNED",
                      "endedOn": str(_today())}}, _street(s)


@scenario("endSeatsOfFormerOwners", "EndSeatsOfFormerOwnersInput")
async def _end_former(s: Scenario, gql: Any) -> Any:
    committee = await _committee_id(s)
    return {"input": {"committeeId": gid("OwnersCommittee", committee.id)}}, _street(s)


@scenario("declareRelative", "DeclareRelativeInput")
async def _declare(s: Scenario, gql: Any) -> Any:
    relative = await factories.person("亲属甲")
    return {"input": {"personId": gid("Person", s.owners[0].id), "relativeId": gid("Person", relative.id),
                      "kind": "SPOUSE", "declaredOn": str(_today())}}, _street(s)


@scenario("listReserveCandidate", "ListReserveCandidateInput")
async def _list_reserve(s: Scenario, gql: Any) -> Any:
    return {"input": {"compoundId": gid("Compound", s.compound.id), "personId": gid("Person", s.owners[6].id),
                      "kind": "POSITIVE", "listedOn": str(_today())}}, _street(s)


@scenario("clearReserveListing", "ClearReserveListingInput")
async def _clear_reserve(s: Scenario, gql: Any) -> Any:
    listed = await gql(
        "mutation($input: ListReserveCandidateInput!) { listReserveCandidate(input: $input) "
        "{ listing { id } errors { code } } }",
        (await _list_reserve(s, gql))[1], token=_street(s))
    listing = listed["listReserveCandidate"]["listing"]["id"]
    return {"input": {"listingId": listing, "clearedOn": str(_today())}}, _street(s)


# --- evaluation ----------------------------------------------------------------------------------------------------

@scenario("recordRectification", "RecordRectificationInput")
async def _rectify(s: Scenario, gql: Any) -> Any:
    from tests.contract.calls_evaluation import _record_inspection

    call = await _record_inspection(s)
    recorded = await gql("mutation($input: RecordInspectionInput!) { recordInspection(input: $input) "
                         "{ inspection { id } errors { code } } }", call.variables, token=call.token)
    inspection = recorded["recordInspection"]["inspection"]["id"]
    return {"input": {"inspectionId": inspection, "rectifiedOn": "2026-08-28"}}, call.token


@scenario("clearLoginLock", "ClearLoginLockInput")
async def _clear_lock(s: Scenario, gql: Any) -> Any:
    return {"input": {"username": "contract-admin"}}, _admin(s)


# --- owners' app, notice board, notifications, attachments ------------------------------------------------------

@dataclass(frozen=True)
class File:
    """A file sent as a GraphQL multipart request (graphql-multipart-request-spec) in place of a variable."""

    name: str
    data: bytes
    content_type: str


def _files(value: Any, path: str, found: dict[str, tuple[str, File]]) -> Any:
    """The variables with every File replaced by null, and the files by their multipart key and variable path."""
    if isinstance(value, File):
        found[str(len(found))] = (path, value)
        return None
    if isinstance(value, dict):
        return {k: _files(v, f"{path}.{k}", found) for k, v in value.items()}
    if isinstance(value, list):
        return [_files(v, f"{path}.{i}", found) for i, v in enumerate(value)]
    return value


async def send(gql: Any, document: str, variables: dict[str, Any], token: str | None) -> dict[str, Any]:
    """Sends the prepared request: as JSON, or as a multipart request when a variable is a File."""
    found: dict[str, tuple[str, File]] = {}
    plain = _files(variables, "variables", found)
    if not found:
        return await gql(document, variables, token=token, expect_errors=True)  # type: ignore[no-any-return]
    response = await gql.http.post(
        "/graphql", headers={"Authorization": f"Bearer {token}"} if token else {},
        data={"operations": json.dumps({"query": document, "variables": plain}),
              "map": json.dumps({key: [path] for key, (path, _) in found.items()})},
        files={key: (f.name, f.data, f.content_type) for key, (_, f) in found.items()})
    return response.json()  # type: ignore[no-any-return]


async def _owner_token(s: Scenario) -> str:
    return await make_token(Role.OWNER, person_id=s.owners[0].id)


@scenario("issueOwnerInvitations", "IssueOwnerInvitationsInput")
async def _invite(s: Scenario, gql: Any) -> Any:
    return {"input": {"compoundId": gid("Compound", s.compound.id)}}, _street(s)


@scenario("publishDisclosure", "PublishDisclosureInput")
async def _publish_disclosure(s: Scenario, gql: Any) -> Any:
    return {"input": {"compoundId": gid("Compound", s.compound.id), "kind": "FEE_STANDARDS", "title": "收费标准",
                      "period": "2026", "body": "住宅 1.80 元/平方米·月"}}, s.tokens[Role.FIRM_STAFF]


@scenario("uploadAttachment", "UploadAttachmentInput")
async def _upload(s: Scenario, gql: Any) -> Any:
    document = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF"
    return {"input": {"file": File("收费标准.pdf", document, "application/pdf")}}, await _owner_token(s)


@scenario("requestUploadUrl", None)
async def _upload_url(s: Scenario, gql: Any) -> Any:
    return {}, await _owner_token(s)


@scenario("markNotificationRead", "MarkNotificationReadInput")
async def _mark_read(s: Scenario, gql: Any) -> Any:
    from domain.notifications.models import Notification
    from domain.notifications.rules import NoticeKind, Text
    from domain.notifications.service import Recipient, notify

    token = await _owner_token(s)
    async with atomic():
        await notify(recipients=[Recipient(person_id=s.owners[0].id)], kind=NoticeKind.DISCLOSURE_PUBLISHED,
                     text=Text("小区公示：收费标准", "阳光花园公告栏新发布《收费标准》。"), link=None,
                     cause="audit-scenario", now=datetime.now(UTC))
    notification = await Notification.get(person_id=s.owners[0].id)
    return {"input": {"notificationId": gid("Notification", notification.id)}}, token


@scenario("setMessagingOptOut", "SetMessagingOptOutInput")
async def _opt_out(s: Scenario, gql: Any) -> Any:
    return {"input": {"channel": "SMS", "optedOut": True}}, await _owner_token(s)
