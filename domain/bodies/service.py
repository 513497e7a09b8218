"""Use cases of bodies and memberships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.accounts.rules import Scope, Viewer, require_jurisdiction
from domain.audit.service import record_event
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole, check_body_anchor, check_membership_terms
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Compound, Person, Street
from domain.geography.rules import required_text
from domain.access.jurisdiction import require_person_in_jurisdiction
from domain.geography.service import not_found
from domain.transaction import atomic
from domain.calendar import local_date


async def body_scope(body: Body) -> Scope:
    """Territory of a body: its community or street; firms and their Party bodies are centre business."""
    if body.community_id is not None:
        community = await Community.get(id=body.community_id)
        return Scope(street_id=community.street_id, community_id=community.id, compound_id=body.compound_id)
    if body.compound_id is not None:
        compound = await Compound.get(id=body.compound_id)
        return Scope(street_id=compound.street_id, community_id=compound.community_id, compound_id=compound.id)
    return Scope(street_id=body.street_id)


@dataclass(frozen=True)
class BodyDraft:
    kind: BodyKind
    name: str
    community_id: int | None = None
    firm_id: int | None = None
    street_id: int | None = None


async def create_body(*, actor: Viewer, draft: BodyDraft, now: datetime) -> Body:
    name = required_text(draft.name, field="name", label="组织名称", max_length=120)
    check_body_anchor(draft.kind, community_id=draft.community_id, firm_id=draft.firm_id, street_id=draft.street_id)
    async with atomic():
        street_id = draft.street_id
        if draft.community_id is not None:
            community = await Community.get_or_none(id=draft.community_id)
            if community is None:
                raise not_found("社区", "communityId")
            if street_id is not None and street_id != community.street_id:
                # A street named beside the community must be entered from inside as well (issue 15 item 3).
                require_jurisdiction(actor, Scope(street_id=street_id))
            street_id = community.street_id
        elif street_id is not None and not await Street.exists(id=street_id):
            raise not_found("街道", "streetId")
        parent_id = None
        if draft.firm_id is not None:
            firm = await PropertyFirm.get_or_none(id=draft.firm_id)
            if firm is None:
                raise not_found("物业企业", "firmId")
            parent_id = firm.body_id
        require_jurisdiction(actor, Scope(street_id=street_id, community_id=draft.community_id))
        body = await Body.create(
            kind=draft.kind, name=name, street_id=street_id, community_id=draft.community_id,
            parent_id=parent_id, created_at=now,
        )
        await record_event(actor=actor, action="createBody", entity_type="Body", entity_id=body.id,
                           summary=f"创建组织 {name}（{draft.kind}）", now=now)
    return body


@dataclass(frozen=True)
class AppointmentDraft:
    body_id: int
    person_id: int
    role: MembershipRole
    starts_on: date
    ends_on: date | None = None
    paid: bool = False
    compound_id: int | None = None


async def appoint_member(*, actor: Viewer, draft: AppointmentDraft, now: datetime) -> Membership:
    check_membership_terms(draft.role, starts_on=draft.starts_on, ends_on=draft.ends_on,
                           compound_id=draft.compound_id)
    async with atomic():
        body = await Body.get_or_none(id=draft.body_id)
        if body is None:
            raise not_found("组织", "bodyId")
        person = await Person.get_or_none(id=draft.person_id)
        if person is None:
            raise not_found("人员", "personId")
        if draft.compound_id is not None:
            compound = await Compound.get_or_none(id=draft.compound_id)
            if compound is None:
                raise not_found("小区", "compoundId")
            scope = Scope(street_id=compound.street_id, community_id=compound.community_id, compound_id=compound.id)
            if body.street_id is not None or body.community_id is not None or body.compound_id is not None:
                # A body with a territory is entered only from inside it, whatever compound the post serves.
                require_jurisdiction(actor, await body_scope(body))
        else:
            scope = await body_scope(body)
        require_jurisdiction(actor, scope)
        await require_person_in_jurisdiction(actor, person.id, "personId")  # issue 15: the person named, too
        # 京条例 art. 39, 沪规定 art. 20: the committees area decides whether this post clashes with a seat.
        from domain.committees.vetting_service import appointment_conflict_check

        await appointment_conflict_check(body=body, person=person, role=draft.role, paid=draft.paid,
                                         compound_id=draft.compound_id, today=local_date(now))
        membership = await Membership.create(
            body_id=body.id, person_id=person.id, role=draft.role, starts_on=draft.starts_on,
            ends_on=draft.ends_on, paid=draft.paid, compound_id=draft.compound_id, created_at=now,
        )
        await record_event(actor=actor, action="appointMember", entity_type="Membership", entity_id=membership.id,
                           summary=f"{person.name} 任 {body.name} {draft.role}", now=now)
    return membership
