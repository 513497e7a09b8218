"""Recording a cross-appointment (双向进入、交叉任职) after its legal checks."""

from __future__ import annotations

from datetime import datetime

from domain.accounts.rules import Scope, Viewer, require_jurisdiction
from domain.bodies.models import Body, Membership
from domain.bodies.rules import is_current
from domain.committees import events, facts
from domain.committees.appointments import check_cross_appointment
from domain.committees.models import CrossAppointment
from domain.committees.values import Basis, Post, PostBody
from domain.errors import ErrorCode, RuleViolation
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Compound, Ownership
from domain.geography.service import not_found
from domain.transaction import atomic
from domain.calendar import local_date

POST_BODIES = {kind.value for kind in PostBody}


async def _post(membership: Membership, body: Body) -> Post:
    kind = PostBody(body.kind.value) if body.kind.value in POST_BODIES else PostBody.OTHER
    firm_id = None
    if kind is PostBody.PROPERTY_FIRM:
        firm_id = await PropertyFirm.filter(body_id=body.id).first().values_list("id", flat=True)
    return Post(person_id=membership.person_id, body=kind, role=membership.role.value, paid=membership.paid,
                compound_id=membership.compound_id or body.compound_id, firm_id=firm_id,
                membership_id=membership.id)


async def _scope(membership: Membership, body: Body) -> Scope:
    compound_id = membership.compound_id or body.compound_id
    if compound_id is not None:
        compound = await Compound.get(id=compound_id)
        return Scope(street_id=compound.street_id, community_id=compound.community_id, compound_id=compound.id)
    if body.community_id is not None:
        community = await Community.get(id=body.community_id)
        return Scope(street_id=community.street_id, community_id=community.id)
    return Scope(street_id=body.street_id)


async def _load(membership_id: int, field: str, today) -> tuple[Membership, Body]:  # type: ignore[no-untyped-def]
    membership = await Membership.get_or_none(id=membership_id)
    if membership is None:
        raise not_found("任职", field)
    if not is_current(membership.starts_on, membership.ends_on, today):
        raise RuleViolation(ErrorCode.INVALID, "该任职不在任", field, en="that post is not currently held")
    return membership, await Body.get(id=membership.body_id)


async def record_cross_appointment(
    *, actor: Viewer, home_membership_id: int, concurrent_membership_id: int, basis: Basis, decision_ref: str,
    now: datetime,
) -> CrossAppointment:
    today = local_date(now)
    if not decision_ref.strip():
        raise RuleViolation(ErrorCode.INVALID, "须注明任职依据（会议决议或备案文号）", "decisionRef",
                            en="name the resolution or filing that made the appointment")
    async with atomic():
        home, home_body = await _load(home_membership_id, "homeMembershipId", today)
        concurrent, concurrent_body = await _load(concurrent_membership_id, "concurrentMembershipId", today)
        scopes = [await _scope(concurrent, concurrent_body), await _scope(home, home_body)]
        scope = next((s for s in scopes if s.street_id is not None), Scope())
        require_jurisdiction(actor, scope)
        home_post, concurrent_post = await _post(home, home_body), await _post(concurrent, concurrent_body)
        compounds = {p.compound_id for p in (home_post, concurrent_post) if p.compound_id is not None}
        owned = await Ownership.filter(person_id=home.person_id, unit__compound_id__in=list(compounds)).values_list(
            "unit__compound_id", flat=True
        )
        check_cross_appointment(
            home_post, concurrent_post, basis, owned_compound_ids=frozenset(owned),
            serving_firm_by_compound=await facts.serving_firm_ids(compounds, today),
        )
        if await CrossAppointment.exists(home_membership_id=home.id, concurrent_membership_id=concurrent.id):
            raise RuleViolation(ErrorCode.DUPLICATE, "该交叉任职已登记", "concurrentMembershipId",
                                en="this cross-appointment is already recorded")
        appointment = await CrossAppointment.create(
            person_id=home.person_id, home_membership_id=home.id, concurrent_membership_id=concurrent.id,
            basis=basis, decision_ref=decision_ref.strip(), compound_id=scope.compound_id,
            community_id=scope.community_id, street_id=scope.street_id, recorded_on=today, created_at=now,
        )
        await events.cross_appointment_recorded_event(actor=actor, appointment=appointment, now=now)
    return appointment
