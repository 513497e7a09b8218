"""Meetings, their items, ballots, minutes and follow-up tasks: the queries, and node(id:) for them."""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import GraphQLError
from tortoise.expressions import Subquery

from domain.accounts.rules import Viewer
from domain.deliberation import models as dm
from domain.deliberation.access import may_read_meeting, readable_meetings
from domain.deliberation.records import verify_minutes_chain
from schema.bodies.types import body_pk
from schema.core.context import Info
from schema.core.relay import Connection, PageArgs, encode_id, filter_id, paginate, query_id, register_node
from schema.deliberation.inputs import MeetingFilter
from schema.deliberation.types import (
    READ,
    AgendaItem,
    Ballot,
    FollowUpTask,
    FollowUpTaskStatus,
    Meeting,
    Minutes,
    MinutesChainVerification,
    Participant,
)


def meeting_query(viewer: Viewer, filter: MeetingFilter | None) -> Any:
    """The meetings list's rows (shared with the compiled read path, api.compiled)."""
    query = readable_meetings(viewer)
    if filter is not None:
        if filter.compound_id is not None:
            query = query.filter(compound_id=filter_id(filter.compound_id, "Compound"))
        if filter.community_id is not None:
            query = query.filter(community_id=filter_id(filter.community_id, "Community"))
        if filter.kind is not None:
            query = query.filter(kind=filter.kind)
        if filter.status is not None:
            query = query.filter(status=filter.status)
    return query


async def compound_meetings(info: Info, compound_id: int, page: PageArgs) -> Connection[Meeting]:
    """Compound.meetings: those the viewer may read, newest first."""
    query = readable_meetings(info.context.viewer).filter(compound_id=compound_id)
    return await paginate(query, page, Meeting.from_model, descending=True)


async def community_meetings(info: Info, community_id: int, page: PageArgs) -> Connection[Meeting]:
    """Community.meetings: the community's own meetings and those of its compounds the viewer may read."""
    query = readable_meetings(info.context.viewer).filter(community_id=community_id)
    return await paginate(query, page, Meeting.from_model, descending=True)


@strawberry.type
class Query:
    @strawberry.field(description="会议", extensions=[READ])
    async def meeting(self, info: Info, id: strawberry.ID) -> Meeting | None:
        pk = query_id(id, "Meeting")
        row = await info.context.loaders.by_id(dm.Meeting).load(pk) if pk else None
        return Meeting.from_model(row) if row and await may_read_meeting(info.context.viewer, row.id) else None

    @strawberry.field(description="会议列表 — newest first", extensions=[READ])
    async def meetings(self, info: Info, filter: MeetingFilter | None = None, first: int | None = None,
                       after: str | None = None, last: int | None = None, before: str | None = None,
                       ) -> Connection[Meeting]:
        return await paginate(meeting_query(info.context.viewer, filter), PageArgs(first, after, last, before), Meeting.from_model,
                              descending=True)

    @strawberry.field(description="议题", extensions=[READ])
    async def agenda_item(self, info: Info, id: strawberry.ID) -> AgendaItem | None:
        pk = query_id(id, "AgendaItem")
        row = await info.context.loaders.by_id(dm.AgendaItem).load(pk) if pk else None
        readable = row is not None and await may_read_meeting(info.context.viewer, row.meeting_id)
        return AgendaItem.from_model(row) if row and readable else None

    @strawberry.field(description="承办组织的督办任务 — follow-up tasks assigned to a body", extensions=[READ])
    async def follow_up_tasks(self, info: Info, assignee_id: strawberry.ID, status: FollowUpTaskStatus | None = None,
                              first: int | None = None, after: str | None = None) -> Connection[FollowUpTask]:
        query = dm.FollowUpTask.filter(
            assignee_id=await body_pk(assignee_id, "assigneeId"),
            meeting_id__in=Subquery(readable_meetings(info.context.viewer).values("id")))
        if status is not None:
            query = query.filter(status=status)
        return await paginate(query, PageArgs(first, after), FollowUpTask.from_model)

    @strawberry.field(description="核验纪要哈希链 — recompute every published minutes' hash in a compound's "
                      "(or community's) chain", extensions=[READ])
    async def minutes_chain(self, info: Info, compound_id: strawberry.ID | None = None,
                            community_id: strawberry.ID | None = None) -> MinutesChainVerification:
        if (compound_id is None) == (community_id is None):
            raise GraphQLError("Pass compoundId or communityId", extensions={"code": "INVALID"})
        check = await verify_minutes_chain(
            compound_id=filter_id(compound_id, "Compound") if compound_id else None,
            community_id=filter_id(community_id, "Community") if community_id else None)
        return MinutesChainVerification(
            valid=check.valid, length=check.length, head_hash=check.head_hash,
            broken_at=encode_id("Minutes", int(check.broken_at)) if check.broken_at else None,
            explanation=check.explanation)



async def _readable(info: Info, node: Any) -> bool:
    """node(id:) shows what meeting(id:) shows: objects of meetings the viewer may read."""
    return await may_read_meeting(info.context.viewer, await node.owning_meeting_id(info))


for _name, _model, _type in (
    ("Meeting", dm.Meeting, Meeting), ("AgendaItem", dm.AgendaItem, AgendaItem), ("Ballot", dm.Ballot, Ballot),
    ("Minutes", dm.Minutes, Minutes), ("FollowUpTask", dm.FollowUpTask, FollowUpTask),
    ("Participant", dm.Participant, Participant),
):
    register_node(_name, _model, _type.from_model, visible=_readable)
