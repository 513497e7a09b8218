"""Meetings over GraphQL: schedule, notice, open (notice period, quorum, four parties), close, cancel."""

from datetime import datetime, timedelta

import time_machine

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.calendar import LOCAL as CHINA
from domain.deliberation.models import AgendaItem, Meeting, Participant
from schema.core.relay import parse_id
from tests.api.test_deliberation_support import (
    ADD_ITEM,
    CANCEL,
    CLOSE,
    NOTICE,
    OPEN,
    OPEN_VOTING,
    RECORD,
    SCHEDULE,
    STATUS,
    build_world,
    codes,
    committee_meeting_input,
    gid,
    in_session,
    iso,
    noticed,
    now,
    payload,
    schedule,
)
from tests import factories as f
from tests.conftest import make_token


def pk(global_id: str) -> int:
    return parse_id(global_id)[1]


async def test_scheduling_a_committee_meeting_records_participants_agenda_and_an_audit_event(gql, db):
    w = await build_world()

    meeting = await schedule(gql, w)

    assert (meeting["kind"], meeting["status"], meeting["title"]) == ("OWNERS_COMMITTEE", "DRAFT", "业委会第3次会议")
    assert [(a["title"], a["decisionRule"], a["status"]) for a in meeting["agenda"]] == [
        ("续聘物业服务企业", "MAJORITY_OF_ALL_MEMBERS", "DRAFT")
    ]
    assert [(p["represents"], p["role"]) for p in meeting["participants"]][:2] == [
        ("OWNERS_COMMITTEE", "CHAIR"), ("OWNERS_COMMITTEE", "RECORDER")
    ]
    row = await Meeting.get(id=pk(meeting["id"]))
    assert row.rule_pack == "national@2026.1"
    assert await AuditEvent.filter(action="scheduleMeeting", entity_id=str(row.id)).count() == 1


async def test_an_owners_item_whose_rule_does_not_match_its_art_278_matter_is_a_rule_mismatch(gql, db):
    w = await build_world()
    agenda = [{"title": "筹集维修资金", "decisionRule": "OWNERS_ORDINARY", "matter": "RAISE_MAINTENANCE_FUND"}]

    result = await payload(gql, SCHEDULE, committee_meeting_input(w, kind="OWNERS_ASSEMBLY", agenda=agenda),
                           w.staff_token)

    assert codes(result) == ["RULE_MISMATCH"] and result["meeting"] is None
    assert await Meeting.all().count() == 0


async def test_scheduling_with_an_unknown_convener_or_a_malformed_id_is_refused(gql, db):
    w = await build_world()

    unknown = await payload(gql, SCHEDULE, committee_meeting_input(w, convenerBodyId=gid("Organisation", 999)),
                            w.staff_token)
    malformed = await payload(gql, SCHEDULE, committee_meeting_input(w, compoundId="nonsense"), w.staff_token)
    untitled = await payload(gql, SCHEDULE, committee_meeting_input(w, title=" "), w.staff_token)
    naive = await payload(gql, SCHEDULE, committee_meeting_input(w, scheduledAt="2026-12-01T09:00:00"), w.staff_token)

    assert (codes(unknown), codes(malformed), codes(untitled)) == (["NOT_FOUND"], ["INVALID"], ["INVALID"])
    assert codes(naive) == ["INVALID"] and naive["errors"][0]["field"] == ["scheduledAt"]
    assert await Meeting.all().count() == 0


async def test_staff_of_another_street_and_owners_may_not_schedule(gql, db):
    w = await build_world()
    other = await make_token(Role.STREET_STAFF, street_id=(await f.street()).id)
    owner = await make_token(Role.OWNER, person_id=w.members[0].id)

    outside = await payload(gql, SCHEDULE, committee_meeting_input(w), other)
    by_owner = await payload(gql, SCHEDULE, committee_meeting_input(w), owner)

    assert codes(outside) == ["FORBIDDEN"] and codes(by_owner) == ["FORBIDDEN"]
    assert await Meeting.all().count() == 0


async def test_a_committee_member_may_schedule_a_meeting_of_their_committee(gql, db):
    w = await build_world()
    member = await make_token(Role.COMMITTEE_MEMBER, person_id=w.members[0].id)

    result = await payload(gql, SCHEDULE, committee_meeting_input(w), member)

    assert result["errors"] == [] and result["meeting"]["status"] == "DRAFT"


async def test_a_notice_records_when_it_went_up_and_the_earliest_start(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)
    issued = now() - timedelta(days=2)

    result = await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(issued)}, w.staff_token)

    assert result["errors"] == []
    assert result["meeting"]["status"] == "NOTICED"
    row = await Meeting.get(id=pk(meeting["id"]))
    assert row.notice_issued_at == issued.replace(microsecond=row.notice_issued_at.microsecond)
    assert result["meeting"]["earliestStartAt"] == iso(row.notice_issued_at + timedelta(days=7))
    assert {i.status for i in await AgendaItem.filter(meeting_id=row.id)} == {"NOTICED"}


async def test_a_notice_dated_in_the_future_is_invalid(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)

    result = await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(now() + timedelta(hours=1))},
                           w.staff_token)

    assert codes(result) == ["INVALID"]
    assert (await Meeting.get(id=pk(meeting["id"]))).status == "DRAFT"


async def test_opening_before_the_packs_notice_period_has_elapsed_is_refused_and_allowed_after(gql, db):
    w = await build_world()
    meeting = await noticed(gql, w, days_ago=6.9)
    present = {"meetingId": meeting["id"], "presentPersonIds": [gid("Person", m.id) for m in w.members]}

    early = await payload(gql, OPEN, present, w.staff_token)
    with time_machine.travel(now() + timedelta(hours=3)):
        later = await payload(gql, OPEN, present, w.staff_token)

    assert codes(early) == ["NOTICE_PERIOD_NOT_ELAPSED"]
    assert later["errors"] == [] and later["meeting"]["status"] == "IN_SESSION"


async def test_opening_reports_the_quorum_with_its_figures(gql, db):
    w = await build_world()
    meeting = await noticed(gql, w)

    result = await payload(gql, OPEN, {"meetingId": meeting["id"],
                                       "presentPersonIds": [gid("Person", m.id) for m in w.members[:3]]},
                           w.staff_token)

    assert result["errors"] == []
    assert result["meeting"]["quorum"] == {
        "met": True, "present": 3, "required": 3,
        "explanation": "成员应到 5 人，实到 3 人，须 > 1/2（至少 3 人），达到",
    }
    attended = await Participant.filter(meeting_id=pk(meeting["id"]), attended=True).count()
    assert attended == 3


async def test_a_committee_without_quorum_cannot_open(gql, db):
    w = await build_world()
    meeting = await noticed(gql, w)

    result = await payload(gql, OPEN, {"meetingId": meeting["id"],
                                       "presentPersonIds": [gid("Person", m.id) for m in w.members[:2]]},
                           w.staff_token)

    assert codes(result) == ["QUORUM_NOT_MET"]
    assert (await Meeting.get(id=pk(meeting["id"]))).status == "NOTICED"
    assert await Participant.filter(meeting_id=pk(meeting["id"]), attended=True).count() == 0


async def test_shandong_needs_two_thirds_of_the_committee(gql, db):
    w = await build_world(rule_pack="shandong")
    meeting = await noticed(gql, w)
    three = {"meetingId": meeting["id"], "presentPersonIds": [gid("Person", m.id) for m in w.members[:3]]}

    result = await payload(gql, OPEN, three, w.staff_token)

    assert codes(result) == ["QUORUM_NOT_MET"]
    assert "须 ≥ 2/3（至少 4 人）" in result["errors"][0]["message"]


def four_party_input(w, *, with_firm: bool = True):
    people = [(w.party_secretary, "PARTY_ORGANISATION", "CHAIR"), (w.residents_director, "RESIDENTS_COMMITTEE",
              "RECORDER"), (w.members[0], "OWNERS_COMMITTEE", "ATTENDEE")]
    if with_firm:
        people.append((w.project_manager, "PROPERTY_FIRM", "ATTENDEE"))
    return committee_meeting_input(
        w, kind="FOUR_PARTY_JOINT", convenerBodyId=gid("Organisation", w.party_org.id), title="四方联席会",
        participants=[{"personId": gid("Person", p.id), "represents": r, "role": role} for p, r, role in people],
        agenda=[{"title": "电梯加装", "decisionRule": "CONSENSUS"}],
    )


async def test_a_four_party_meeting_without_the_firm_cannot_open(gql, db):
    w = await build_world()
    meeting = (await payload(gql, SCHEDULE, four_party_input(w, with_firm=False), w.staff_token))["meeting"]
    await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(now() - timedelta(days=4))},
                  w.staff_token)

    result = await payload(gql, OPEN, {"meetingId": meeting["id"], "presentPersonIds": [
        p["person"]["id"] for p in meeting["participants"]]}, w.staff_token)

    assert codes(result) == ["MISSING_PARTY"]
    assert "物业服务企业" in result["errors"][0]["message"]


async def test_a_four_party_meeting_with_all_four_parties_opens(gql, db):
    w = await build_world()
    meeting = (await payload(gql, SCHEDULE, four_party_input(w), w.staff_token))["meeting"]
    await payload(gql, NOTICE, {"meetingId": meeting["id"], "issuedAt": iso(now() - timedelta(days=3))},
                  w.staff_token)

    result = await payload(gql, OPEN, {"meetingId": meeting["id"], "presentPersonIds": [
        p["person"]["id"] for p in meeting["participants"]]}, w.staff_token)

    assert result["errors"] == [] and result["meeting"]["status"] == "IN_SESSION"


async def test_opening_a_draft_meeting_is_an_invalid_transition(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)

    result = await payload(gql, OPEN, {"meetingId": meeting["id"],
                                       "presentPersonIds": [gid("Person", m.id) for m in w.members]}, w.staff_token)

    assert codes(result) == ["INVALID_TRANSITION"]
    assert (await Meeting.get(id=pk(meeting["id"]))).status == "DRAFT"


async def test_available_actions_follow_the_lifecycle_table_and_the_viewer(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)
    owner = await make_token(Role.OWNER, person_id=w.members[0].id)

    as_staff = (await gql(STATUS, {"id": meeting["id"]}, token=w.staff_token))["meeting"]
    as_owner = (await gql(STATUS, {"id": meeting["id"]}, token=owner))["meeting"]

    assert as_staff["availableActions"] == ["ISSUE_NOTICE", "CANCEL"]
    assert as_owner["availableActions"] == []


async def test_an_item_added_after_the_notice_cannot_be_put_to_the_vote(gql, db):
    w = await build_world()
    meeting = await in_session(gql, w)

    added = await payload(gql, ADD_ITEM, {"meetingId": meeting["id"], "item": {
        "title": "临时动议", "decisionRule": "MAJORITY_OF_ALL_MEMBERS"}}, w.staff_token)
    result = await payload(gql, OPEN_VOTING, {"agendaItemId": added["agendaItem"]["id"]}, w.staff_token)

    assert added["agendaItem"]["status"] == "DRAFT"
    assert codes(result) == ["INVALID_TRANSITION"]
    assert result["errors"][0]["message"] == "议题未列入会议通知，不能表决"


async def test_closing_and_cancelling_follow_the_table(gql, db):
    w = await build_world()
    open_meeting = await in_session(gql, w)
    draft = await schedule(gql, w)

    cancel_open = await payload(gql, CANCEL, {"meetingId": open_meeting["id"], "reason": "改期"}, w.staff_token)
    closed = await payload(gql, CLOSE, {"meetingId": open_meeting["id"]}, w.staff_token)
    cancelled = await payload(gql, CANCEL, {"meetingId": draft["id"], "reason": "改期"}, w.staff_token)

    assert codes(cancel_open) == ["INVALID_TRANSITION"]
    assert closed["errors"] == [] and closed["meeting"]["status"] == "CLOSED"
    due = (await gql("query($id: ID!) { meeting(id: $id) { closedAt resultsDueOn } }", {"id": open_meeting["id"]},
                     token=w.staff_token))["meeting"]
    closed_at = datetime.fromisoformat(due["closedAt"])
    assert due["resultsDueOn"] == (closed_at.astimezone(CHINA) + timedelta(days=3)).date().isoformat()
    assert cancelled["meeting"] == {"id": draft["id"], "status": "CANCELLED", "availableActions": []}
    assert await AuditEvent.filter(action="cancelMeeting").count() == 1


async def test_the_meeting_record_shows_attendance_agenda_minutes_and_tasks(gql, db):
    w = await build_world()
    meeting = await in_session(gql, w, present=w.members[:4])

    record = (await gql(RECORD, {"id": meeting["id"]}, token=w.staff_token))["meeting"]

    assert record["status"] == "IN_SESSION"
    assert [p["attended"] for p in record["participants"]] == [True, True, True, True, False]
    assert record["agenda"][0]["tally"]["eligibleVoters"] == 5
    assert (record["minutes"], record["tasks"]) == ([], [])


HISTORY = """
query History($id: ID!) {
  meeting(id: $id) {
    events { action summary actorUsername }
    agenda { availableActions events { action } }
  }
}"""


async def test_a_meeting_shows_its_history_and_each_items_available_actions(gql, db):
    w = await build_world()
    meeting = await in_session(gql, w)
    item = meeting["agenda"][0]["id"]
    await payload(gql, OPEN_VOTING, {"agendaItemId": item}, w.staff_token)
    owner = await make_token(Role.OWNER, person_id=w.members[0].id)

    as_staff = (await gql(HISTORY, {"id": meeting["id"]}, token=w.staff_token))["meeting"]
    as_owner = (await gql(HISTORY, {"id": meeting["id"]}, token=owner))["meeting"]

    assert [e["action"] for e in as_staff["events"]] == ["scheduleMeeting", "issueMeetingNotice", "openMeeting"]
    assert as_staff["events"][2]["summary"].startswith("开会：成员应到 5 人，实到 5 人")
    assert as_staff["agenda"][0] == {"availableActions": ["CLOSE_VOTING"], "events": [{"action": "openVoting"}]}
    assert as_owner["agenda"][0]["availableActions"] == []


async def test_a_meeting_is_a_node_for_signed_in_viewers_only(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)
    query = "query($id: ID!) { node(id: $id) { __typename id } }"

    signed_in = (await gql(query, {"id": meeting["id"]}, token=w.staff_token))["node"]
    anonymous = (await gql(query, {"id": meeting["id"]}))["node"]

    assert signed_in == {"__typename": "Meeting", "id": meeting["id"]}
    assert anonymous is None
