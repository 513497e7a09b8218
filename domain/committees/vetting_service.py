"""Vetting candidates: declared relatives, the reserve pool's positive/negative list, firm posts of committee members."""

from __future__ import annotations

from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from domain.access.jurisdiction import require_person_in_jurisdiction
from domain.accounts.rules import Viewer, require_jurisdiction
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.committees import events, facts
from domain.committees.models import DeclaredRelation, OwnersBody, ReserveListing
from domain.committees.rules import check_conflict_of_interest
from domain.committees.values import CommitteeKind, FirmPost, ListKind, NegativeReason, RelationKind
from domain.errors import ErrorCode, RuleViolation
from domain.firms.models import PropertyFirm
from domain.geography.models import Compound, Person
from domain.geography.service import compound_scope, not_found
from domain.transaction import atomic
from domain.calendar import local_date


async def declare_relative(
    *, actor: Viewer, person_id: int, relative_id: int, kind: RelationKind, declared_on: date, now: datetime
) -> DeclaredRelation:
    if person_id == relative_id:
        raise RuleViolation(ErrorCode.INVALID, "不能申报本人为亲属", "relativeId", en="a person is not their own relative")
    if declared_on > local_date(now):
        raise RuleViolation(ErrorCode.INVALID, "申报日期不能晚于今天", "declaredOn", en="declaredOn lies ahead")
    async with atomic():
        found = set(await Person.filter(id__in=[person_id, relative_id]).values_list("id", flat=True))
        for field, pk in (("personId", person_id), ("relativeId", relative_id)):
            if pk not in found:
                raise not_found("人员", field)
        # A declaration feeds conflict checks wherever the person sits: only staff where the declarer belongs.
        await require_person_in_jurisdiction(actor, person_id, "personId")
        if await DeclaredRelation.exists(
            Q(person_id=person_id, relative_id=relative_id) | Q(person_id=relative_id, relative_id=person_id)
        ):
            raise RuleViolation(ErrorCode.DUPLICATE, "该亲属关系已申报", "relativeId", en="already declared")
        relation = await DeclaredRelation.create(person_id=person_id, relative_id=relative_id, kind=kind,
                                                 declared_on=declared_on, created_at=now)
        await events.relative_declared_event(actor=actor, relation=relation, now=now)
    return relation


async def list_reserve_candidate(
    *, actor: Viewer, compound_id: int, person_id: int, kind: ListKind, reason: NegativeReason | None, note: str,
    listed_on: date, now: datetime,
) -> ReserveListing:
    if kind is ListKind.NEGATIVE and reason is None:
        raise RuleViolation(ErrorCode.INVALID, "列入负面清单须注明原因", "reason", en="a negative listing needs a reason")
    if listed_on > local_date(now):
        raise RuleViolation(ErrorCode.INVALID, "列入日期不能晚于今天", "listedOn", en="listedOn lies ahead")
    async with atomic():
        compound = await Compound.get_or_none(id=compound_id)
        if compound is None:
            raise not_found("小区", "compoundId")
        require_jurisdiction(actor, compound_scope(compound))
        if not await Person.exists(id=person_id):
            raise not_found("人员", "personId")
        await require_person_in_jurisdiction(actor, person_id, "personId")
        if await ReserveListing.exists(compound_id=compound_id, person_id=person_id, kind=kind,
                                       cleared_on__isnull=True):
            raise RuleViolation(ErrorCode.DUPLICATE, "该人员已在此清单中", "personId", en="already on this list")
        try:  # the unique open_key settles a concurrent listing of the same person
            listing = await ReserveListing.create(
                compound_id=compound_id, person_id=person_id, kind=kind,
                reason=reason if kind is ListKind.NEGATIVE else None, note=note.strip(), listed_on=listed_on,
                open_key=f"{compound_id}:{person_id}:{kind.value}", created_at=now,
            )
        except IntegrityError:
            raise RuleViolation(ErrorCode.DUPLICATE, "该人员已在此清单中", "personId", en="already on this list") from None
        await events.reserve_listed_event(actor=actor, listing=listing, now=now)
    return listing


async def clear_reserve_listing(*, actor: Viewer, listing_id: int, cleared_on: date, now: datetime) -> ReserveListing:
    async with atomic():
        listing = await ReserveListing.get_or_none(id=listing_id)
        if listing is None:
            raise not_found("清单记录", "listingId")
        require_jurisdiction(actor, compound_scope(await Compound.get(id=listing.compound_id)))
        if not listing.listed_on <= cleared_on <= local_date(now):
            raise RuleViolation(ErrorCode.INVALID, "移出日期须在列入日期之后且不晚于今天", "clearedOn",
                                en="clearedOn lies between the listing and today")
        cleared = ReserveListing.filter(id=listing.id, cleared_on__isnull=True)
        if not await cleared.update(cleared_on=cleared_on, open_key=None):
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "该记录已移出清单", "listingId", en="already cleared")
        listing.cleared_on = cleared_on
        await events.reserve_listing_cleared_event(actor=actor, listing=listing, now=now)
    return listing


async def appointment_conflict_check(
    *, body: Body, person: Person, role: MembershipRole, paid: bool, compound_id: int | None, today: date
) -> None:
    """appointMember: a firm post for someone who (or whose declared relative) sits on the owners' committee of a
    compound the firm serves (京条例 art. 39, 沪规定 art. 20); the reverse for a committee seat."""
    if body.kind is BodyKind.PROPERTY_FIRM:
        firm_id = await PropertyFirm.filter(body_id=body.id).first().values_list("id", flat=True)
        relations = await facts.relations_of([person.id])
        people = facts.relatives(relations) | {person.id}
        served = [c for c, f in (await facts.serving_firm_ids(await _seated_compounds(people, today), today)).items()
                  if f == firm_id]
        if not served:
            return
        members = set(await Membership.filter(
            facts.current(today), person_id__in=list(people),
            body__owners_body__live_compound_id__in=served,
        ).values_list("person_id", flat=True))
        check_conflict_of_interest(members, relations, [FirmPost(person.id, role.value, paid)], field="personId")
    elif body.kind in (BodyKind.OWNERS_COMMITTEE, BodyKind.PROPERTY_MANAGEMENT_COMMITTEE):
        committee = await OwnersBody.get_or_none(body_id=body.id)
        if committee is None or committee.live_compound_id is None:
            raise RuleViolation(ErrorCode.INVALID, "该业主组织已不在任", "bodyId", en="that owners' body is not in office")
        if committee.kind is CommitteeKind.OWNERS_COMMITTEE and not await facts.owner_ids(
            committee.compound_id, [person.id]
        ):
            raise RuleViolation(ErrorCode.NOT_AN_OWNER, "业主委员会委员须为本小区业主", "personId",
                                en="every owners' committee member must own a unit in the compound")
        relations = await facts.relations_of([person.id])
        firm_id = (await facts.serving_firm_ids([committee.compound_id], today)).get(committee.compound_id)
        posts = await facts.firm_posts(firm_id, facts.relatives(relations) | {person.id}, today)
        check_conflict_of_interest([person.id], relations, posts, field="personId")


async def _seated_compounds(people: set[int], today: date) -> list[int]:
    rows = await Membership.filter(
        facts.current(today), person_id__in=list(people), body__owners_body__live_compound_id__isnull=False
    ).values_list("body__owners_body__compound_id", flat=True)
    return list(set(rows))


# The bodies area calls this hook from appointMember (see domain/bodies/service.py).
