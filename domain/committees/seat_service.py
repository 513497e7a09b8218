"""Member changes of an owners' body: resignation, removal, and the automatic end when a member stops being an owner."""

from __future__ import annotations

from datetime import date, datetime

from domain.accounts.rules import Viewer
from domain.bodies.models import Membership
from domain.committees import events, facts
from domain.committees.lifecycle import check_seat_end, seats_ending_with_ownership
from domain.committees.models import OwnersBody, SeatChange
from domain.committees.service import load_committee, term_of
from domain.committees.values import SeatEndReason
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Person
from domain.geography.service import not_found
from domain.transaction import atomic
from domain.calendar import local_date


async def _end(membership: Membership, committee: OwnersBody, *, reason: SeatEndReason, on: date, note: str,
               now: datetime) -> None:
    if not await Membership.filter(id=membership.id, ends_on__isnull=True).update(ends_on=on, end_reason=reason.value):
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "该委员任职已终止", "membershipId", en="the seat has ended")
    await SeatChange.create(owners_body_id=committee.id, membership_id=membership.id, reason=reason, effective_on=on,
                            note=note, created_at=now)
    membership.ends_on, membership.end_reason = on, reason.value


async def end_seat(
    *, actor: Viewer, membership_id: int, reason: SeatEndReason, ended_on: date, note: str, now: datetime
) -> tuple[OwnersBody, Membership]:
    today = local_date(now)
    async with atomic():
        membership = await Membership.get_or_none(id=membership_id)
        committee = await OwnersBody.get_or_none(body_id=membership.body_id) if membership else None
        if membership is None or committee is None:
            raise not_found("业主组织委员", "membershipId")
        await load_committee(committee.id, actor)
        check_seat_end(term_of(committee), started_on=membership.starts_on, ended_on=membership.ends_on, on=ended_on,
                       reason=reason, today=today)
        if reason is SeatEndReason.CEASED_TO_BE_OWNER and await facts.owner_ids(
            committee.compound_id, [membership.person_id]
        ):
            raise RuleViolation(ErrorCode.INVALID, "该委员仍是本小区业主", "reason", en="the member still owns a unit")
        await _end(membership, committee, reason=reason, on=ended_on, note=note, now=now)
        person = await Person.get(id=membership.person_id)
        await events.seat_ended_event(actor=actor, committee=committee, person_name=person.name, reason=reason,
                                      on=ended_on, now=now)
    return committee, membership


async def end_seats_of_former_owners(
    *, actor: Viewer, committee_id: int, now: datetime
) -> tuple[OwnersBody, list[Membership]]:
    """指导规则 art. 37: a member who no longer owns a unit in the compound leaves the owners' committee by law."""
    today = local_date(now)
    async with atomic():
        committee = await load_committee(committee_id, actor)
        seats = await facts.open_seats(committee)
        owners = await facts.owner_ids(committee.compound_id, [s.person_id for s in seats])
        leaving = set(seats_ending_with_ownership(committee.kind, {s.person_id: s.person_id in owners for s in seats}))
        ended = [s for s in seats if s.person_id in leaving]
        for seat in ended:
            check_seat_end(term_of(committee), started_on=seat.starts_on, ended_on=seat.ends_on, on=today,
                           reason=SeatEndReason.CEASED_TO_BE_OWNER, today=today)
            await _end(seat, committee, reason=SeatEndReason.CEASED_TO_BE_OWNER, on=today, note="不再是本小区业主",
                       now=now)
        # One event per successful use case, also when the check found nobody to remove (the check is the act).
        names = list(await Person.filter(id__in=list(leaving)).values_list("name", flat=True)) if ended else []
        await events.former_owners_checked_event(actor=actor, committee=committee, person_names=names, on=today,
                                                 now=now)
    return committee, ended
