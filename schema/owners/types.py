"""Types of the owners' app: the viewer's home (`Me`), open votes with their seat, receipts of own ballots."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain.deliberation import own_ballots
from domain.geography import models as gm
from schema.core.context import Info
from schema.core.relay import Connection
from schema.deliberation.types import AgendaItem, Ballot, BallotChoice
from schema.geography.types import Compound, Person, Unit

if TYPE_CHECKING:
    from schema.complaints.types import Complaint
    from schema.notifications.types import Notification


@strawberry.type(description="待投票议题 — an item in voting where the viewer holds a seat")
class OpenVote:
    agenda_item: AgendaItem
    seat_label: str = strawberry.field(description="表决席位 — e.g. 3号楼1单元501（一人多套为一席）")
    my_ballot: Ballot | None = strawberry.field(description="本席位的选票（本人、共有人、受托人或纸质）")

    @classmethod
    def from_value(cls, vote: own_ballots.OpenVote) -> OpenVote:
        return cls(agenda_item=AgendaItem.from_model(vote.item), seat_label=vote.seat_label,
                   my_ballot=Ballot.from_model(vote.my_ballot) if vote.my_ballot else None)


@strawberry.type(description="我的 — the signed-in person's home screen; each field is its own small resolver")
class Me:
    _person_id: strawberry.Private[int]

    @strawberry.field(description="本人")
    async def person(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._person_id))

    @strawberry.field(description="本人名下的专有部分")
    async def units(self, info: Info) -> list[Unit]:
        rows = await gm.Unit.filter(ownerships__person_id=self._person_id).order_by("compound_id", "building",
                                                                                     "entrance", "number")
        return [Unit.from_model(r) for r in rows]

    @strawberry.field(description="本人拥有房屋的小区")
    async def compounds(self, info: Info) -> list[Compound]:
        rows = await gm.Compound.filter(units__ownerships__person_id=self._person_id).distinct().order_by("id")
        return [Compound.from_model(r) for r in rows]

    @strawberry.field(description="待投票 — items in voting where the viewer holds a seat")
    async def open_votes(self, info: Info) -> list[OpenVote]:
        return [OpenVote.from_value(v) for v in await own_ballots.open_votes(self._person_id)]

    @strawberry.field(description="我的诉求 — orders the viewer filed or is the complainant of, newest first")
    async def complaints(
        self, info: Info, first: int | None = None, after: str | None = None,
    ) -> Connection[Annotated[Complaint, strawberry.lazy("schema.complaints.types")]]:
        from schema.complaints.rating import my_complaint_list

        return await my_complaint_list(info, first, after)

    @strawberry.field(description="我的通知 — meeting notices, voting reminders, progress of my requests; newest first")
    async def notifications(
        self, info: Info, first: int | None = None, after: str | None = None,
    ) -> Connection[Annotated[Notification, strawberry.lazy("schema.notifications.types")]]:
        from schema.notifications.queries import my_notifications

        return await my_notifications(info, first, after)


@strawberry.type(description="投票回执 — shown once to the voter; the tracking code finds the ballot in the published list")
class BallotReceipt:
    tracking_code: str
    seat_label: str
    choice: BallotChoice | None
    cast_at: datetime

    @classmethod
    def from_value(cls, r: own_ballots.Receipt) -> BallotReceipt:
        return cls(tracking_code=r.tracking_code, seat_label=r.seat_label, choice=r.choice, cast_at=r.cast_at)


@strawberry.type(description="选票核验 — whether the ballot with this tracking code was counted, and as what")
class BallotCheck:
    tracking_code: str
    counted: bool = strawberry.field(description="表决结束后，该选票是否计入结果；表决中为 false")
    choice: str | None = strawberry.field(description="计入的意见（选举时为所选候选人序号，如 1,3,4）；表决中为空")
    _item: strawberry.Private[object]

    @strawberry.field(description="议题 — null when the caller may not read the meeting (e.g. not signed in)")
    def agenda_item(self) -> AgendaItem | None:
        return AgendaItem.from_model(self._item)  # type: ignore[arg-type]
