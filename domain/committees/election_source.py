"""Members from a passed election (民法典 art. 278 item 3): `formOwnersCommittee` with an `electionMeetingId` takes
its members from the candidates that meeting elected, or checks the members it is given against them."""

from __future__ import annotations

from domain.access.policies import may_read
from domain.accounts.rules import Viewer
from domain.committees.values import SeatRole
from domain.deliberation.models import AgendaItem, Meeting
from domain.deliberation.register_models import Candidate
from domain.deliberation.vocabulary import AgendaStatus, ItemResult, JointMatter, MeetingKind
from domain.errors import ErrorCode, RuleViolation


async def elected_person_ids(meeting_id: int, compound_id: int, actor: Viewer) -> list[int]:
    """The persons elected to the committee at that assembly, best ranked first (by heads, then area)."""
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None or not await may_read(Meeting, actor, meeting_id):  # never reveal another territory's
        raise RuleViolation(ErrorCode.NOT_FOUND, "选举会议不存在", "electionMeetingId",
                            en="No meeting with this id")
    if meeting.kind is not MeetingKind.OWNERS_ASSEMBLY or meeting.compound_id != compound_id:
        # 民法典 art. 278 (三), 指导规则 art. 31: owners elect their committee jointly, at their own assembly.
        raise RuleViolation(ErrorCode.INVALID, "业主委员会须由本小区业主大会选举产生", "electionMeetingId",
                            en="an owners' committee is elected by this compound's owners' assembly")
    items = await AgendaItem.filter(meeting_id=meeting_id, matter=JointMatter.ELECT_COMMITTEE,
                                    status=AgendaStatus.DECIDED, result=ItemResult.PASSED,
                                    max_selections__isnull=False).values_list("id", flat=True)
    rows = await Candidate.filter(item_id__in=list(items), elected=True, person_id__isnull=False).order_by(
        "-votes", "-votes_cents", "position").values_list("person_id", flat=True)
    if not rows:
        raise RuleViolation(ErrorCode.INVALID, "该业主大会没有选出业主委员会委员", "electionMeetingId",
                            en="That assembly elected no committee members")
    return list(rows)


def seats_from_election(elected: list[int]) -> list[tuple[int, SeatRole]]:
    """Without named roles, the best-ranked elected member convenes as chair until the committee elects its own
    (指导规则 art. 31: the committee elects its chair at its first meeting)."""
    return [(person_id, SeatRole.CHAIR if i == 0 else SeatRole.MEMBER) for i, person_id in enumerate(elected)]


def check_elected(person_ids: list[int], elected: list[int]) -> None:
    outsiders = [p for p in person_ids if p not in set(elected)]
    if outsiders:
        raise RuleViolation(ErrorCode.INVALID, "委员须为该次业主大会选出的人员", "members",
                            en="Members must be those the assembly elected")
