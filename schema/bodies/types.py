"""Bodies (the Body interface) and memberships: every post anyone holds in any body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import strawberry
from graphql import GraphQLError

from domain.bodies import models as bm
from domain.bodies.rules import BodyKind as BodyKindEnum
from domain.bodies.rules import MembershipRole as MembershipRoleEnum
from domain.bodies.rules import is_current
from domain.errors import ErrorCode, RuleViolation
from domain.geography import models as gm
from schema.core.context import Info
from schema.core.relay import Node, encode_id, parse_id, register_node
from schema.geography.types import Community, Compound, Person

BodyKind = strawberry.enum(BodyKindEnum, description="组织类型 — kind of body")
MembershipRole = strawberry.enum(MembershipRoleEnum, description="职务 — the post held")


@strawberry.interface(description="组织 — any body a person can hold a post in (社区党组织, 居委会, 业委会, 物业企业 ...)")
class Body(Node):
    name: str
    kind: BodyKind
    _body_pk: strawberry.Private[int]

    @strawberry.field(description="任职 — posts in this body; current ones only unless includeEnded")
    async def memberships(self, info: Info, include_ended: bool = False) -> list[Membership]:
        rows = await info.context.loaders.children(bm.Membership, "body_id").load(self._body_pk)
        today = info.context.today
        return [Membership.from_model(r) for r in rows if include_ended or is_current(r.starts_on, r.ends_on, today)]


@strawberry.type(description="组织 — a community Party organisation, residents' committee, street office, ...")
class Organisation(Body):
    _community_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: bm.Body) -> Organisation:
        return cls(id=encode_id("Organisation", row.id), name=row.name, kind=row.kind, _body_pk=row.id,
                   _community_id=row.community_id)

    @strawberry.field(description="所属社区")
    async def community(self, info: Info) -> Community | None:
        if self._community_id is None:
            return None
        return Community.from_model(await info.context.loaders.by_id(gm.Community).load(self._community_id))


# How a body row of each kind is presented; areas owning a kind register theirs (firms, owners' bodies).
BodyPresenter = Callable[[Info, list[bm.Body]], Awaitable[list[Any]]]
BODY_PRESENTERS: dict[BodyKindEnum, BodyPresenter] = {}
# Global-ID type name -> async function turning its pk into the Body row id.
BODY_ID_TYPES: dict[str, Callable[[int], Awaitable[int | None]]] = {}


async def _as_organisations(info: Info, rows: list[bm.Body]) -> list[Any]:
    return [Organisation.from_model(r) for r in rows]


async def present_bodies(info: Info, body_ids: list[int]) -> list[Any]:
    """Body rows as their GraphQL types, batched per kind."""
    rows = await info.context.loaders.by_id(bm.Body).load_many(body_ids)
    by_kind: dict[BodyKindEnum, list[bm.Body]] = {}
    for row in rows:
        if row is not None:
            by_kind.setdefault(row.kind, []).append(row)
    presented: dict[int, Any] = {}
    for kind, group in by_kind.items():
        presenter = BODY_PRESENTERS.get(kind, _as_organisations)
        for row, node in zip(group, await presenter(info, group), strict=True):
            presented[row.id] = node
    return [presented.get(i) for i in body_ids]


async def _organisation_body(pk: int) -> int | None:
    return pk


BODY_ID_TYPES["Organisation"] = _organisation_body


async def body_pk(global_id: str, field: str) -> int:
    """The Body row behind the global ID of any body type (a firm, an organisation, an owners' committee)."""
    parsed = parse_id(global_id)
    resolve = BODY_ID_TYPES.get(parsed[0]) if parsed else None
    if resolve is None or parsed is None:  # malformed, or the ID of something that is not a body: like decode_id
        raise RuleViolation(ErrorCode.INVALID, f"ID 无效：{global_id}", field, en=f"{field} is not the ID of a body")
    pk = await resolve(parsed[1])
    if pk is None:
        raise RuleViolation(ErrorCode.NOT_FOUND, "组织不存在", field, en=f"{field} is not a known body")
    return pk


@strawberry.type(description="任职 — one post one person holds in one body")
class Membership(Node):
    role: MembershipRole
    starts_on: date
    ends_on: date | None
    end_reason: str | None
    paid: bool = strawberry.field(description="是否领取报酬 — a paid post")
    _person_id: strawberry.Private[int]
    _body_id: strawberry.Private[int]
    _compound_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: bm.Membership) -> Membership:
        return cls(id=encode_id("Membership", row.id), role=row.role, starts_on=row.starts_on,
                   ends_on=row.ends_on, end_reason=row.end_reason, paid=row.paid, _person_id=row.person_id,
                   _body_id=row.body_id, _compound_id=row.compound_id)

    @strawberry.field(description="任职人")
    async def person(self, info: Info) -> Person:
        return Person.from_model(await info.context.loaders.by_id(gm.Person).load(self._person_id))

    @strawberry.field(description="所在组织")
    async def body(self, info: Info) -> Body:
        node = (await present_bodies(info, [self._body_id]))[0]
        if node is None:  # pragma: no cover - foreign key guarantees the row
            raise GraphQLError("body missing")
        return node

    @strawberry.field(description="岗位所在小区 — for posts tied to one compound")
    async def compound(self, info: Info) -> Compound | None:
        if self._compound_id is None:
            return None
        return Compound.from_model(await info.context.loaders.by_id(gm.Compound).load(self._compound_id))


register_node("Organisation", bm.Body, Organisation.from_model)
register_node("Membership", bm.Membership, Membership.from_model)
