"""Creating bodies and appointing their members."""

from __future__ import annotations

from datetime import date

import strawberry

from domain.accounts.rules import Role
from domain.bodies import service as bodies
from schema.bodies.types import Body, BodyKind, Membership, MembershipRole, body_pk, present_bodies
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import mutation
from schema.core.relay import decode_id

TERRITORY = frozenset({Role.CENTRE_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_STAFF})


@strawberry.input
class CreateBodyInput:
    kind: BodyKind
    name: str
    community_id: strawberry.ID | None = None
    firm_id: strawberry.ID | None = None
    street_id: strawberry.ID | None = None


@strawberry.type
class CreateBodyPayload:
    body: Body | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AppointMemberInput:
    body_id: strawberry.ID
    person_id: strawberry.ID
    role: MembershipRole
    starts_on: date
    ends_on: date | None = None
    paid: bool = False
    compound_id: strawberry.ID | None = None


@strawberry.type
class AppointMemberPayload:
    membership: Membership | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _optional_id(global_id: strawberry.ID | None, expected: str, field: str) -> int | None:
    return decode_id(global_id, expected, field) if global_id is not None else None


@strawberry.type
class Mutation:
    @mutation(TERRITORY, "创建组织 — a community Party organisation, residents' committee, ...")
    async def create_body(self, info: Info, input: CreateBodyInput) -> CreateBodyPayload:
        draft = bodies.BodyDraft(
            kind=input.kind, name=input.name,
            community_id=_optional_id(input.community_id, "Community", "communityId"),
            firm_id=_optional_id(input.firm_id, "PropertyFirm", "firmId"),
            street_id=_optional_id(input.street_id, "Street", "streetId"))
        body = await bodies.create_body(actor=info.context.viewer, draft=draft, now=info.context.now)
        return CreateBodyPayload(body=(await present_bodies(info, [body.id]))[0])

    @mutation(TERRITORY, "任命 — appoint a person to a post in a body")
    async def appoint_member(self, info: Info, input: AppointMemberInput) -> AppointMemberPayload:
        draft = bodies.AppointmentDraft(
            body_id=await body_pk(input.body_id, "bodyId"),
            person_id=decode_id(input.person_id, "Person", "personId"), role=input.role,
            starts_on=input.starts_on, ends_on=input.ends_on, paid=input.paid,
            compound_id=_optional_id(input.compound_id, "Compound", "compoundId"))
        membership = await bodies.appoint_member(actor=info.context.viewer, draft=draft, now=info.context.now)
        return AppointMemberPayload(membership=Membership.from_model(membership))
