"""Lists of meetings: one batched query per relation, so 50 meetings cost as many statements as 5."""

from datetime import UTC, date, datetime, timedelta

from domain.accounts.rules import Role, Viewer
from domain.deliberation import service
from domain.deliberation.models import FollowUpTask, Meeting
from domain.deliberation.vocabulary import MeetingStatus, TaskStatus
from domain.deliberation.vocabulary import DecisionRule, MeetingKind, Party
from domain.deliberation.vocabulary import Role as MeetingRole
from tests.api.test_deliberation_support import build_world, gid
from tests.conftest import count_queries

CENTRE = Viewer(account_id=None, username="test", roles=frozenset({Role.CENTRE_ADMIN}))

LIST = """
query Meetings($compound: ID!) {
  compound(id: $compound) {
    meetings(first: 100) {
      totalCount
      edges { node {
        id kind title status scheduledAt availableActions
        convener { id name }
        participants { represents role attended person { name } }
        agenda { title decisionRule status result }
        minutes { version status }
        tasks { title status }
      } }
    }
  }
}"""


async def meetings(w, count: int) -> None:
    for i in range(count):
        draft = service.MeetingDraft(
            kind=MeetingKind.OWNERS_COMMITTEE, title=f"第{i + 1}次会议", convener_body_id=w.committee.id,
            scheduled_at=datetime.now(UTC) + timedelta(days=10), compound_id=w.compound.id,
            participants=[service.ParticipantSpec(m.id, Party.OWNERS_COMMITTEE, MeetingRole.ATTENDEE)
                          for m in w.members],
            agenda=[service.ItemSpec(f"议题{j}", DecisionRule.MAJORITY_OF_ALL_MEMBERS) for j in range(2)],
        )
        await service.schedule_meeting(actor=CENTRE, draft=draft, now=datetime.now(UTC))


async def statements_for(gql, count: int) -> tuple[int, dict]:
    w = await build_world()
    await meetings(w, count)
    with count_queries() as statements:
        data = await gql(LIST, {"compound": gid("Compound", w.compound.id)}, token=w.staff_token)
    return len(statements), data["compound"]["meetings"]


async def test_the_meeting_list_costs_the_same_number_of_statements_for_5_and_50_meetings(gql, db):
    few, five = await statements_for(gql, 5)
    many, fifty = await statements_for(gql, 50)

    assert (five["totalCount"], fifty["totalCount"]) == (5, 50)
    assert len(fifty["edges"][0]["node"]["participants"]) == 5
    assert fifty["edges"][0]["node"]["title"] == "第50次会议"  # newest first
    assert few == many


TASKS = """
query Tasks($assignee: ID!) {
  followUpTasks(assigneeId: $assignee, first: 100) {
    totalCount
    edges { node { title status dueOn availableActions assignee { id name } meeting { title status } } }
  }
}"""


async def task_statements(gql, count: int) -> tuple[int, int]:
    w = await build_world()
    await meetings(w, 1)
    meeting = await Meeting.get(compound_id=w.compound.id)
    await Meeting.filter(id=meeting.id).update(status=MeetingStatus.CLOSED)
    for i in range(count):
        await FollowUpTask.create(meeting_id=meeting.id, title=f"任务{i}", assignee_id=w.residents_committee.id,
                                  due_on=date(2099, 1, 1), status=TaskStatus.OPEN, created_at=datetime.now(UTC))
    with count_queries() as statements:
        data = await gql(TASKS, {"assignee": gid("Organisation", w.residents_committee.id)}, token=w.staff_token)
    return len(statements), data["followUpTasks"]["totalCount"]


async def test_the_task_list_of_an_assignee_costs_the_same_for_5_and_50_tasks(gql, db):
    few, five = await task_statements(gql, 5)
    many, fifty = await task_statements(gql, 50)

    assert (five, fifty) == (5, 50)
    assert few == many
