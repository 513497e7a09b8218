"""Minutes and follow-up tasks over GraphQL: drafting, signatures, publication into the hash chain, corrections,
chain verification, the challenge deadline, tasks on the meeting and on the assignee."""

from datetime import date, timedelta

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.calendar import LOCAL as CHINA
from domain.deliberation.minutes import content_hash
from domain.deliberation.models import Meeting, Minutes, Signature
from schema.core.relay import parse_id
from tests.api.test_deliberation_support import (
    CLOSE,
    CLOSE_VOTING,
    DRAFT_MINUTES,
    FINISH_TASK,
    PUBLISH,
    RECORD,
    SIGN,
    TASK,
    build_world,
    cast,
    codes,
    gid,
    now,
    payload,
    voting,
)
from tests import factories as f
from tests.conftest import make_token

CHAIN = "query Chain($id: ID) { minutesChain(compoundId: $id) { valid length headHash brokenAt explanation } }"
TASKS_OF = """query Tasks($id: ID!) { followUpTasks(assigneeId: $id) { totalCount edges { node { title status } } } }"""


def pk(global_id: str) -> int:
    return parse_id(global_id)[1]


async def closed_meeting(gql, w, *, present=None, **overrides):
    """A meeting whose first item passed (4 of 5 agree), now closed."""
    meeting, item = await voting(gql, w, **overrides)
    for member in w.members[:4]:
        await cast(gql, w, item, member)
    await payload(gql, CLOSE_VOTING, {"agendaItemId": item}, w.staff_token)
    await payload(gql, CLOSE, {"meetingId": meeting["id"]}, w.staff_token)
    return meeting, item


async def drafted(gql, w, meeting, body="会议纪要：续聘物业服务企业，表决通过。"):
    result = await payload(gql, DRAFT_MINUTES, {"meetingId": meeting["id"], "body": body}, w.staff_token)
    assert result["errors"] == [], result["errors"]
    return result["minutes"]


async def sign_all(gql, w, minutes, people=None):
    for person in people if people is not None else w.members:
        result = await payload(gql, SIGN, {"minutesId": minutes["id"], "personId": gid("Person", person.id)},
                               w.staff_token)
        assert result["errors"] == [], result["errors"]


MINUTES_ACTIONS = """
query($id: ID!) { meeting(id: $id) { minutes { status availableActions } tasks { status availableActions } } }"""


async def test_draft_minutes_and_open_tasks_offer_their_tables_actions(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)
    await drafted(gql, w, meeting)
    await payload(gql, TASK, {"meetingId": meeting["id"], "title": "整改", "dueOn": "2099-01-01",
                              "assigneeId": gid("Organisation", w.residents_committee.id)}, w.staff_token)

    actions = (await gql(MINUTES_ACTIONS, {"id": meeting["id"]}, token=w.staff_token))["meeting"]

    assert actions["minutes"] == [{"status": "DRAFT", "availableActions": ["EDIT", "SIGN", "PUBLISH"]}]
    assert actions["tasks"] == [{"status": "OPEN", "availableActions": ["COMPLETE", "CANCEL"]}]


async def test_minutes_are_drafted_only_after_the_meeting_closes(gql, db):
    w = await build_world()
    meeting, _ = await voting(gql, w)

    early = await payload(gql, DRAFT_MINUTES, {"meetingId": meeting["id"], "body": "草稿"}, w.staff_token)

    assert codes(early) == ["INVALID_TRANSITION"]
    assert await Minutes.all().count() == 0


async def test_the_recorder_drafts_the_minutes_and_another_member_may_not(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)
    chair = await make_token(Role.COMMITTEE_MEMBER, person_id=w.members[0].id)
    recorder = await make_token(Role.COMMITTEE_MEMBER, person_id=w.members[1].id)

    by_chair = await payload(gql, DRAFT_MINUTES, {"meetingId": meeting["id"], "body": "纪要"}, chair)
    by_recorder = await payload(gql, DRAFT_MINUTES, {"meetingId": meeting["id"], "body": "纪要"}, recorder)

    assert codes(by_chair) == ["FORBIDDEN"]
    assert by_recorder["errors"] == [] and by_recorder["minutes"]["version"] == 1
    assert await Minutes.all().count() == 1


async def test_a_draft_records_the_recorder_and_a_first_version(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)

    minutes = await drafted(gql, w, meeting)

    assert (minutes["version"], minutes["status"]) == (1, "DRAFT")
    row = await Minutes.get(id=pk(minutes["id"]))
    assert row.recorder_id == w.members[1].id  # the participant with role RECORDER


async def test_only_attendees_sign_and_only_once(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)
    minutes = await drafted(gql, w, meeting)
    sign = {"minutesId": minutes["id"], "personId": gid("Person", w.members[0].id)}

    first = await payload(gql, SIGN, sign, w.staff_token)
    again = await payload(gql, SIGN, sign, w.staff_token)
    stranger = await payload(gql, SIGN, {**sign, "personId": gid("Person", w.project_manager.id)}, w.staff_token)

    assert first["errors"] == []
    assert [s["person"]["id"] for s in first["minutes"]["signatures"]] == [sign["personId"]]
    assert codes(again) == ["ALREADY_SIGNED"] and codes(stranger) == ["NOT_AN_ATTENDEE"]
    assert await Signature.all().count() == 1


async def test_a_member_signs_for_themself_but_not_for_another(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)
    minutes = await drafted(gql, w, meeting)
    owner = await make_token(Role.OWNER, person_id=w.members[2].id)

    own = await payload(gql, SIGN, {"minutesId": minutes["id"], "personId": gid("Person", w.members[2].id)}, owner)
    other = await payload(gql, SIGN, {"minutesId": minutes["id"], "personId": gid("Person", w.members[3].id)}, owner)

    assert own["errors"] == [] and codes(other) == ["FORBIDDEN"]


async def test_minutes_without_every_attendees_signature_cannot_be_published(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)
    minutes = await drafted(gql, w, meeting)
    await sign_all(gql, w, minutes, w.members[:4])

    result = await payload(gql, PUBLISH, {"minutesId": minutes["id"]}, w.staff_token)

    assert codes(result) == ["MISSING_SIGNATURES"]
    assert "须 5 人签署，现有 4 人签署" in result["errors"][0]["message"]
    assert (await Minutes.get(id=pk(minutes["id"]))).status == "DRAFT"


async def test_publication_hashes_the_content_chains_it_and_freezes_the_minutes(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)
    minutes = await drafted(gql, w, meeting)
    await sign_all(gql, w, minutes)

    result = await payload(gql, PUBLISH, {"minutesId": minutes["id"]}, w.staff_token)
    resign = await payload(gql, SIGN, {"minutesId": minutes["id"], "personId": gid("Person", w.members[0].id)},
                           w.staff_token)
    republish = await payload(gql, PUBLISH, {"minutesId": minutes["id"]}, w.staff_token)

    published = result["minutes"]
    row = await Minutes.get(id=pk(minutes["id"]))
    assert (published["status"], published["previousHash"]) == ("PUBLISHED", None)
    assert published["contentHash"] == row.content_hash == content_hash(row.content, None)
    assert row.content["body"] == "会议纪要：续聘物业服务企业，表决通过。"
    assert row.content["items"][0]["result"] == "PASSED"
    assert published["challengeDeadline"] is None  # a committee decision, not an owners' decision
    assert (await Meeting.get(id=row.meeting_id)).status == "MINUTES_PUBLISHED"
    assert codes(resign) == ["INVALID_TRANSITION"] and codes(republish) == ["INVALID_TRANSITION"]
    assert await AuditEvent.filter(action="publishMinutes").count() == 1
    actions = (await gql(MINUTES_ACTIONS, {"id": meeting["id"]}, token=w.staff_token))["meeting"]
    assert actions["minutes"] == [{"status": "PUBLISHED", "availableActions": []}]


async def test_a_correction_is_a_new_version_chained_after_the_original(gql, db):
    w = await build_world()
    meeting, _ = await closed_meeting(gql, w)
    original = await drafted(gql, w, meeting)
    await sign_all(gql, w, original)
    first = (await payload(gql, PUBLISH, {"minutesId": original["id"]}, w.staff_token))["minutes"]

    correction = await drafted(gql, w, meeting, body="更正：续聘期限为三年。")
    await sign_all(gql, w, correction)
    second = (await payload(gql, PUBLISH, {"minutesId": correction["id"]}, w.staff_token))["minutes"]

    assert correction["version"] == 2
    assert second["previousHash"] == first["contentHash"]
    row = await Minutes.get(id=pk(correction["id"]))
    assert row.supersedes_id == pk(original["id"])
    assert row.content["supersedesHash"] == first["contentHash"]
    assert (await Minutes.get(id=pk(original["id"]))).body == "会议纪要：续聘物业服务企业，表决通过。"
    record = (await gql(RECORD, {"id": meeting["id"]}, token=w.staff_token))["meeting"]
    assert [m["version"] for m in record["minutes"]] == [1, 2]


async def test_the_chain_query_verifies_and_detects_a_rewritten_publication(gql, db):
    w = await build_world()
    for title in ("第一次会议", "第二次会议"):
        meeting, _ = await closed_meeting(gql, w, title=title)
        minutes = await drafted(gql, w, meeting, body=f"{title}纪要")
        await sign_all(gql, w, minutes)
        await payload(gql, PUBLISH, {"minutesId": minutes["id"]}, w.staff_token)
    compound = gid("Compound", w.compound.id)

    intact = (await gql(CHAIN, {"id": compound}, token=w.staff_token))["minutesChain"]
    first = await Minutes.filter(chain_key=f"compound:{w.compound.id}").order_by("chain_position").first()
    await Minutes.filter(id=first.id).update(content={**first.content, "body": "篡改后的纪要"})
    broken = (await gql(CHAIN, {"id": compound}, token=w.staff_token))["minutesChain"]

    assert (intact["valid"], intact["length"], intact["brokenAt"]) == (True, 2, None)
    assert intact["headHash"] == (await Minutes.get(chain_position=2)).content_hash
    assert (broken["valid"], broken["brokenAt"]) == (False, gid("Minutes", first.id))


async def test_owners_decisions_show_the_court_challenge_deadline(gql, db):
    w = await build_world()
    for number in ("201", "202"):
        await f.unit(w.compound, building="2", number=number, area="10.00", held_by_developer=True)
    agenda = [{"title": "选聘物业服务企业", "decisionRule": "OWNERS_ORDINARY", "matter": "HIRE_OR_DISMISS_MANAGER"}]
    meeting, _ = await closed_meeting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=agenda, days_ago=16)
    minutes = await drafted(gql, w, meeting, body="业主大会决议")
    await sign_all(gql, w, minutes)

    published = (await payload(gql, PUBLISH, {"minutesId": minutes["id"]}, w.staff_token))["minutes"]

    row = await Minutes.get(id=pk(minutes["id"]))
    expected = (row.published_at.astimezone(CHINA) + timedelta(days=365)).date()
    assert published["challengeDeadline"] == expected.isoformat()
    assert row.content["items"][0]["tally"]["passed"] is True


async def test_a_passed_resolution_creates_a_follow_up_task_listed_on_the_meeting_and_the_assignee(gql, db):
    w = await build_world()
    meeting, item = await closed_meeting(gql, w)
    firm = gid("PropertyFirm", w.firm.id)
    due = (now() + timedelta(days=30)).date().isoformat()

    created = await payload(gql, TASK, {"meetingId": meeting["id"], "agendaItemId": item, "title": "签订续聘合同",
                                         "assigneeId": firm, "dueOn": due}, w.staff_token)
    done = await payload(gql, FINISH_TASK, {"taskId": created["task"]["id"], "note": "合同已签"}, w.staff_token)
    again = await payload(gql, FINISH_TASK, {"taskId": created["task"]["id"]}, w.staff_token)

    assert created["errors"] == []
    assert created["task"]["assignee"]["id"] == firm and created["task"]["status"] == "OPEN"
    assert created["task"]["dueOn"] == due
    assert done["task"]["status"] == "DONE" and codes(again) == ["INVALID_TRANSITION"]
    record = (await gql(RECORD, {"id": meeting["id"]}, token=w.staff_token))["meeting"]
    assert [(t["title"], t["status"]) for t in record["tasks"]] == [("签订续聘合同", "DONE")]
    listed = (await gql(TASKS_OF, {"id": firm}, token=w.staff_token))["followUpTasks"]
    assert listed["totalCount"] == 1 and listed["edges"][0]["node"]["title"] == "签订续聘合同"


async def test_a_task_needs_a_passed_resolution_a_known_assignee_and_a_future_due_date(gql, db):
    w = await build_world()
    meeting, item = await closed_meeting(gql, w)
    base = {"meetingId": meeting["id"], "title": "整改", "assigneeId": gid("Organisation", w.residents_committee.id),
            "dueOn": date(2099, 1, 1).isoformat()}

    past = await payload(gql, TASK, {**base, "dueOn": "2020-01-01"}, w.staff_token)
    unknown = await payload(gql, TASK, {**base, "assigneeId": gid("Organisation", 9999)}, w.staff_token)
    ok = await payload(gql, TASK, base, w.staff_token)

    assert codes(past) == ["INVALID"] and codes(unknown) == ["NOT_FOUND"]
    assert ok["errors"] == [] and ok["task"]["assignee"]["name"] == "社区居委会"
