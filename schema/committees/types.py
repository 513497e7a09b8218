"""Owners' committees and 物管会, member changes, reserve candidates and cross-appointments."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import strawberry

from domain.accounts.rules import Role, in_jurisdiction
from domain.bodies import models as bm
from domain.bodies.rules import BodyKind as BodyKindEnum
from domain.bodies.rules import is_current
from domain.committees import lifecycle, queries
from domain.committees import models as cm
from domain.committees.service import term_of
from domain.committees.values import Action as ActionEnum
from domain.committees.values import Basis as BasisEnum
from domain.committees.values import CommitteeKind as CommitteeKindEnum
from domain.committees.values import ListKind as ListKindEnum
from domain.committees.values import NegativeReason as NegativeReasonEnum
from domain.committees.values import RelationKind as RelationKindEnum
from domain.committees.values import SeatEndReason as SeatEndReasonEnum
from domain.committees.values import Status as StatusEnum
from domain.geography import models as gm
from domain.geography.service import compound_scope
from schema.bodies.types import BODY_ID_TYPES, BODY_PRESENTERS, Body, Membership
from schema.core.context import Info
from schema.core.relay import Node, encode_id, register_node
from schema.geography.types import Compound, Person

CommitteeKind = strawberry.enum(CommitteeKindEnum, description="业主组织类型 — 业主委员会 or 物业管理委员会")
CommitteeStatus = strawberry.enum(StatusEnum, name="CommitteeStatus", description="业主组织状态 — PREPARING (待备案), ACTIVE, EXPIRED, DISSOLVED")
CommitteeAction = strawberry.enum(ActionEnum, name="CommitteeAction", description="可执行操作 — FILE (备案), EXPIRE, DISSOLVE")
SeatEndReason = strawberry.enum(SeatEndReasonEnum, description="离任原因 — resigned (辞职), removed (罢免), ...")
RelationKind = strawberry.enum(RelationKindEnum, description="亲属关系 — spouse (配偶) or direct relative (直系亲属)")
ListKind = strawberry.enum(ListKindEnum, name="ReserveListKind", description="后备人员清单 — positive (正面) or negative (负面)")
NegativeReason = strawberry.enum(NegativeReasonEnum, description="负面清单原因 — fee arrears (欠费), illegal construction, ...")
CrossAppointmentBasis = strawberry.enum(
    BasisEnum, name="CrossAppointmentBasis", description="任职方式 — elected by the owners' assembly (依法选举), ..."
)
ReelectionReason = strawberry.enum(
    lifecycle.ReelectionReason, description="换届原因 — SEATS_BELOW_SHARE (委员不足半数) or TERM_ENDING (任期将满)"
)
MANAGERS = frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})
SHARE_PLACES = Decimal("0.0001")


def as_share(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


async def _current_seats(info: Info, row: cm.OwnersBody) -> list[bm.Membership]:
    """Seats held today, or on the body's last day once it left office (its final composition)."""
    seats = await info.context.loaders.children(bm.Membership, "body_id").load(row.body_id)
    day = min(info.context.today, row.ended_on or row.term_ends_on, row.term_ends_on)
    return [r for r in seats if is_current(r.starts_on, r.ends_on, day)]


@strawberry.type(description="座位变动 — a member change: resignation (辞职), removal (罢免), loss of ownership")
class SeatChange:
    reason: SeatEndReason
    effective_on: date
    note: str
    _membership_id: strawberry.Private[int]

    @strawberry.field(description="离任的任职")
    async def membership(self, info: Info) -> Membership:
        return Membership.from_model(await info.context.loaders.by_id(bm.Membership).load(self._membership_id))


@strawberry.type(description="再选举提示 — why a committee is due for re-election")
class Reelection:
    reasons: list[ReelectionReason] = strawberry.field(description="empty when no re-election is due")


@strawberry.type(description="业主组织 — 业主委员会 (owners' committee) or 物业管理委员会 (property management committee)")
class OwnersCommittee(Body):
    term_starts_on: date = strawberry.field(description="任期开始（选举日）")
    term_ends_on: date = strawberry.field(description="任期届满日")
    filed_on: date | None = strawberry.field(description="备案日期 — filing with the street")
    first_meeting_on: date | None = strawberry.field(description="首次会议日期")
    ended_on: date | None = strawberry.field(description="终止日期 — expired or dissolved on")
    end_note: str | None = strawberry.field(description="终止说明")
    seat_count: int = strawberry.field(description="选举产生的委员席位数")
    rule_pack: str = strawberry.field(description="组建时适用的规则包 — name@version")
    _row: strawberry.Private[cm.OwnersBody]

    @classmethod
    def from_model(cls, row: cm.OwnersBody) -> OwnersCommittee:
        return cls(id=encode_id("OwnersCommittee", row.id), kind=BodyKindEnum(row.kind.value),
                   _body_pk=row.body_id, term_starts_on=row.elected_on, term_ends_on=row.term_ends_on,
                   filed_on=row.filed_on, first_meeting_on=row.first_meeting_on, ended_on=row.ended_on,
                   end_note=row.end_note, seat_count=row.seat_count, rule_pack=row.rule_pack, _row=row)

    @strawberry.field(description="名称")
    async def name(self, info: Info) -> str:  # type: ignore[override]
        body = await info.context.loaders.by_id(bm.Body).load(self._body_pk)
        return body.name if body else ""

    @strawberry.field(description="状态 — derived: EXPIRED once the term end passed")
    def status(self, info: Info) -> CommitteeStatus:
        return lifecycle.derived_status(term_of(self._row), today=info.context.today)

    @strawberry.field(description="备案期限 — filing deadline (指导规则 art. 35)")
    def filing_deadline(self) -> date:
        return lifecycle.filing_deadline(term_of(self._row), queries.pack_of(self._row.rule_pack))

    @strawberry.field(description="是否逾期未备案")
    def is_filing_overdue(self, info: Info) -> bool:
        return lifecycle.is_filing_overdue(term_of(self._row), queries.pack_of(self._row.rule_pack),
                                           today=info.context.today)

    @strawberry.field(description="首次会议期限 (指导规则 art. 33)")
    def first_meeting_deadline(self) -> date:
        return lifecycle.first_meeting_deadline(term_of(self._row), queries.pack_of(self._row.rule_pack))

    @strawberry.field(description="本届委员 — current members; all terms' members with includeEnded")
    async def members(self, info: Info, include_ended: bool = False) -> list[Membership]:
        if include_ended:
            rows = await info.context.loaders.children(bm.Membership, "body_id").load(self._body_pk)
        else:
            rows = await _current_seats(info, self._row)
        return [Membership.from_model(r) for r in rows]

    @strawberry.field(description="党员占比 — Party-member share of current members (indicator, target ≥ 1/2)")
    async def party_member_share(self, info: Info) -> Decimal | None:
        seats = await _current_seats(info, self._row)
        people = await info.context.loaders.by_id(gm.Person).load_many([s.person_id for s in seats])
        return as_share(Fraction(sum(1 for p in people if p and p.is_party_member), len(seats)) if seats else None)

    @strawberry.field(description="在任委员人数")
    async def filled_seat_count(self, info: Info) -> int:
        return len(await _current_seats(info, self._row))

    @strawberry.field(description="换届/补选提示 — due for re-election (委员不足半数或任期将满)")
    async def reelection(self, info: Info) -> Reelection:
        due = lifecycle.reelection_due(term_of(self._row), filled=len(await _current_seats(info, self._row)),
                                       seats=self._row.seat_count, pack=queries.pack_of(self._row.rule_pack),
                                       today=info.context.today)
        return Reelection(reasons=list(due.reasons))

    @strawberry.field(description="可执行操作 — transitions this viewer may make now")
    async def available_actions(self, info: Info) -> list[CommitteeAction]:
        compound = await info.context.loaders.by_id(gm.Compound).load(self._row.compound_id)
        viewer = info.context.viewer
        may = viewer.has_any(MANAGERS) and compound is not None and in_jurisdiction(viewer, compound_scope(compound))
        return lifecycle.available_actions(term_of(self._row), today=info.context.today, may_manage=may)

    @strawberry.field(description="所在小区")
    async def compound(self, info: Info) -> Compound:
        return Compound.from_model(await info.context.loaders.by_id(gm.Compound).load(self._row.compound_id))

    @strawberry.field(description="委员变动记录 — member changes with dates and reasons")
    async def seat_changes(self, info: Info) -> list[SeatChange]:
        rows = await info.context.loaders.children(cm.SeatChange, "owners_body_id").load(self._row.id)
        return [SeatChange(reason=r.reason, effective_on=r.effective_on, note=r.note, _membership_id=r.membership_id)
                for r in rows]


@strawberry.type(description="亲属申报 — a declared relative (配偶、直系亲属)")
class DeclaredRelation(Node):
    kind: RelationKind
    declared_on: date
    _person_id: strawberry.Private[int]
    _relative_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: cm.DeclaredRelation) -> DeclaredRelation:
        return cls(id=encode_id("DeclaredRelation", row.id), kind=row.kind, declared_on=row.declared_on,
                   _person_id=row.person_id, _relative_id=row.relative_id)

    @strawberry.field(description="申报人")
    async def person(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._person_id))

    @strawberry.field(description="亲属")
    async def relative(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._relative_id))


@strawberry.type(description="后备人员 — a reserve candidate on a compound's positive or negative list")
class ReserveListing(Node):
    kind: ListKind
    reason: NegativeReason | None
    note: str
    listed_on: date
    cleared_on: date | None = strawberry.field(description="移出负面清单日期")
    _person_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: cm.ReserveListing) -> ReserveListing:
        return cls(id=encode_id("ReserveListing", row.id), kind=row.kind, reason=row.reason, note=row.note,
                   listed_on=row.listed_on, cleared_on=row.cleared_on, _person_id=row.person_id)

    @strawberry.field(description="人员")
    async def person(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._person_id))


@strawberry.type(description="交叉任职 — 双向进入、交叉任职: two posts of one person")
class CrossAppointment(Node):
    basis: CrossAppointmentBasis
    decision_ref: str = strawberry.field(description="任职依据 — the resolution or filing that made it")
    recorded_on: date
    _row: strawberry.Private[cm.CrossAppointment]

    @classmethod
    def from_model(cls, row: cm.CrossAppointment) -> CrossAppointment:
        return cls(id=encode_id("CrossAppointment", row.id), basis=row.basis, decision_ref=row.decision_ref,
                   recorded_on=row.recorded_on, _row=row)

    @strawberry.field(description="任职人")
    async def person(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._row.person_id))

    @strawberry.field(description="本职 — the home post")
    async def home_membership(self, info: Info) -> Membership:
        row = await info.context.loaders.by_id(bm.Membership).load(self._row.home_membership_id)
        return Membership.from_model(row)

    @strawberry.field(description="兼职 — the concurrent post")
    async def concurrent_membership(self, info: Info) -> Membership:
        row = await info.context.loaders.by_id(bm.Membership).load(self._row.concurrent_membership_id)
        return Membership.from_model(row)


async def owners_committee_of(info: Info, compound_id: int) -> OwnersCommittee | None:
    """The compound's owners' body: the latest term that was not dissolved (an expired one shows as EXPIRED)."""

    async def load(ids: list[int]) -> list[cm.OwnersBody | None]:
        latest: dict[int, cm.OwnersBody] = {}
        rows = cm.OwnersBody.filter(compound_id__in=list(set(ids))).exclude(status=StatusEnum.DISSOLVED)
        for row in await rows.order_by("elected_on", "id"):
            latest[row.compound_id] = row
        return [latest.get(i) for i in ids]

    row = await info.context.loaders.custom("owners_committee_of_compound", load).load(compound_id)
    return OwnersCommittee.from_model(row) if row else None


async def _committees_for_bodies(info: Info, rows: list[bm.Body]) -> list[OwnersCommittee]:
    groups = await info.context.loaders.children(cm.OwnersBody, "body_id").load_many([r.id for r in rows])
    return [OwnersCommittee.from_model(group[0]) for group in groups]


async def _committee_body(pk: int) -> int | None:
    return await cm.OwnersBody.filter(id=pk).first().values_list("body_id", flat=True)


BODY_PRESENTERS[BodyKindEnum.OWNERS_COMMITTEE] = _committees_for_bodies
BODY_PRESENTERS[BodyKindEnum.PROPERTY_MANAGEMENT_COMMITTEE] = _committees_for_bodies
BODY_ID_TYPES["OwnersCommittee"] = _committee_body
register_node("OwnersCommittee", cm.OwnersBody, OwnersCommittee.from_model)
register_node("CrossAppointment", cm.CrossAppointment, CrossAppointment.from_model)
register_node("ReserveListing", cm.ReserveListing, ReserveListing.from_model)
register_node("DeclaredRelation", cm.DeclaredRelation, DeclaredRelation.from_model)
