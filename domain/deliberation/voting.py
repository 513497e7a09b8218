"""Voting use cases: open and close an item's voting, cast and correct ballots, and the live tally.

Tallies are recomputed from the stored ballots (and the units' recorded areas) every time; the tally at closing
is kept on the item. Tally events are published after commit, through the broker the caller passes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Viewer
from domain.audit.coverage import ballot_content, ballot_content_of
from domain.audit.service import record_event
from domain.deliberation import rules
from domain.deliberation.models import AgendaItem, Ballot, BallotCorrection, Meeting, Participant
from domain.deliberation.pubsub import TallyEvents
from domain.deliberation.service import convener_members, is_member, load_meeting, meeting_scope, pack_of
from domain.deliberation.tally import Ballot as BallotValue
from domain.deliberation.tally import Seat, Tally, UnitHolding, committee_tally, owners_tally, seat_of, seats
from domain.deliberation.vocabulary import (
    COMMITTEE_KINDS,
    OWNERS_RULES,
    AgendaAction,
    AgendaStatus,
    Choice,
    MeetingStatus,
)
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Ownership, Person, Unit
from domain.geography.service import not_found
from domain.transaction import atomic

DEVELOPER = "developer"
logger = logging.getLogger(__name__)


async def announce(broker: TallyEvents | None, item_id: int, tally: Tally) -> None:
    """After commit: the ballot stands whether or not the live event gets out, so a broker failure is only logged."""
    if broker is None:
        return
    try:
        await broker.publish(item_id, tally)
    except Exception:  # noqa: BLE001 - Redis down must not turn a recorded ballot into an error
        logger.warning("tally event for item %s not published", item_id, exc_info=True)


async def owner_seats(meeting: Meeting, item: AgendaItem) -> tuple[Seat, ...]:
    """Seats by head (区分所有权解释 art. 9) over the units in the item's scope, from current ownership."""
    units = Unit.filter(compound_id=meeting.compound_id)
    if item.scope_building:
        units = units.filter(building=item.scope_building)
    if item.scope_entrance:
        units = units.filter(entrance=item.scope_entrance)
    rows = await units.values("id", "area", "building", "entrance", "held_by_developer")
    owners: dict[int, set[str]] = {r["id"]: set() for r in rows}
    for unit_id, person_id in await Ownership.filter(unit_id__in=list(owners)).values_list("unit_id", "person_id"):
        owners[unit_id].add(str(person_id))
    for r in rows:
        if r["held_by_developer"]:
            owners[r["id"]].add(DEVELOPER)
    # Zero-padded ids keep the seat key (the lowest unit id) stable however the ids sort.
    holdings = [UnitHolding(f"{r['id']:012d}", r["area"], frozenset(owners[r["id"]]), r["building"], r["entrance"])
                for r in rows]
    return seats(holdings, developer_ids={DEVELOPER})


@dataclass(frozen=True)
class Electorate:
    """Who may vote on a head-count item: `eligible` is the denominator, `present` those attending."""

    eligible: set[int]
    present: set[int]


async def electorate(meeting: Meeting, now: datetime) -> Electorate:
    participants = await Participant.filter(meeting_id=meeting.id).values_list("person_id", "attended")
    present = {p for p, attended in participants if attended}
    if meeting.kind in COMMITTEE_KINDS:
        return Electorate(await convener_members(meeting, now), present)
    return Electorate({p for p, _ in participants}, present)


async def current_tally(item: AgendaItem, meeting: Meeting, now: datetime) -> Tally:
    if item.status is AgendaStatus.DECIDED and item.final_tally is not None:
        return Tally.from_dict(item.final_tally)
    cast = [BallotValue(str(v), Choice(c)) for v, c in await Ballot.filter(item_id=item.id).order_by("id")
            .values_list("voter_id", "choice")]
    if item.decision_rule in OWNERS_RULES:
        participation = pack_of(meeting).meetings.assembly_participation
        return owners_tally(item.decision_rule, await owner_seats(meeting, item), cast, participation=participation)
    voters = await electorate(meeting, now)
    return committee_tally(
        item.decision_rule, eligible={str(p) for p in voters.eligible}, present={str(p) for p in voters.present},
        ballots=cast,
    )


async def _load_item(item_id: int, *, actor: Viewer, now: datetime, lock: bool) -> tuple[AgendaItem, Meeting]:
    query = AgendaItem.select_for_update() if lock else AgendaItem
    item = await query.get_or_none(id=item_id)
    if item is None:
        raise not_found("议题", "agendaItemId")
    meeting, _ = await load_meeting(item.meeting_id, actor=actor, now=now)
    return item, meeting


def _require_session(meeting: Meeting) -> None:
    if meeting.status is not MeetingStatus.IN_SESSION:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "会议不在进行中", "agendaItemId", en="Not in session")


async def _move_item(item: AgendaItem, action: AgendaAction, **changes: object) -> None:
    target = rules.agenda_transition(item.status, action)
    if await AgendaItem.filter(id=item.id, status=item.status).update(status=target, **changes) != 1:
        raise RuleViolation(ErrorCode.INVALID_TRANSITION, "议题状态已被他人更改", "agendaItemId", en="Item changed")


async def open_voting(*, actor: Viewer, item_id: int, now: datetime) -> AgendaItem:
    async with atomic():
        item, meeting = await _load_item(item_id, actor=actor, now=now, lock=True)
        if item.status is AgendaStatus.DRAFT:
            # 京条例 art. 35: no vote on an item that was not in the notice.
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "议题未列入会议通知，不能表决", "agendaItemId",
                                en="The item was not in the notice and cannot be voted on")
        rules.agenda_transition(item.status, AgendaAction.OPEN_VOTING)
        _require_session(meeting)
        await _move_item(item, AgendaAction.OPEN_VOTING, voting_opened_at=now)
        await record_event(actor=actor, action="openVoting", entity_type="AgendaItem", entity_id=item.id,
                           summary=f"开始表决《{item.title}》（{item.decision_rule}）", now=now)
    return await AgendaItem.get(id=item_id)


async def close_voting(*, actor: Viewer, item_id: int, now: datetime, broker: TallyEvents | None) -> AgendaItem:
    async with atomic():
        item, meeting = await _load_item(item_id, actor=actor, now=now, lock=True)
        rules.agenda_transition(item.status, AgendaAction.CLOSE_VOTING)
        final = await current_tally(item, meeting, now)
        await _move_item(item, AgendaAction.CLOSE_VOTING, voting_closed_at=now, result=final.result,
                         final_tally=final.as_dict())
        await record_event(actor=actor, action="closeVoting", entity_type="AgendaItem", entity_id=item.id,
                           summary=final.explanation, now=now)
    await announce(broker, item_id, final)
    return await AgendaItem.get(id=item_id)


@dataclass(frozen=True)
class BallotEntry:
    item_id: int
    voter_id: int
    choice: Choice
    evidence: str = ""
    proxy_id: int | None = None
    proxy_authorisation: str | None = None


async def _seat_key(item: AgendaItem, meeting: Meeting, voter_id: int, now: datetime) -> str | None:
    if item.decision_rule in OWNERS_RULES:
        seat = seat_of(str(voter_id), await owner_seats(meeting, item))
        return f"u{int(seat.key)}" if seat is not None else None
    voters = await electorate(meeting, now)
    # Committee and joint meetings: members present vote in person (no proxies at committee meetings).
    return f"p{voter_id}" if voter_id in voters.eligible and voter_id in voters.present else None


async def cast_ballot(*, actor: Viewer, entry: BallotEntry, now: datetime, broker: TallyEvents | None
                      ) -> tuple[Ballot, Tally]:
    try:
        async with atomic():
            item = await AgendaItem.select_for_update().get_or_none(id=entry.item_id)
            if item is None:
                raise not_found("议题", "agendaItemId")
            meeting = await Meeting.get(id=item.meeting_id)
            rules.require_manage_or_vote(actor, await meeting_scope(meeting), voter_id=entry.voter_id,
                                         convener_member=await is_member(actor, meeting.convener_id, now))
            if not await Person.exists(id=entry.voter_id):
                raise not_found("投票人", "voterId")
            if entry.proxy_id is not None and not await Person.exists(id=entry.proxy_id):
                raise not_found("受托人", "proxyId")
            seat_key = await _seat_key(item, meeting, entry.voter_id, now)
            authorisation = entry.proxy_authorisation if entry.proxy_id is not None else None
            rules.check_ballot(
                item_status=item.status, kind=meeting.kind, eligible=seat_key is not None,
                already_voted=seat_key is not None and await Ballot.exists(item_id=item.id, seat_key=seat_key),
                proxy_authorisation=(authorisation or "") if entry.proxy_id is not None else None,
            )
            ballot = await Ballot.create(
                item_id=item.id, voter_id=entry.voter_id, seat_key=seat_key, choice=entry.choice, cast_at=now,
                entered_by_id=actor.account_id, evidence=entry.evidence, proxy_id=entry.proxy_id,
                proxy_authorisation=authorisation,
            )
            await record_event(actor=actor, action="castBallot", entity_type="Ballot", entity_id=ballot.id,
                               summary=f"议题 {item.id} 席位 {seat_key} 表决 {entry.choice}"
                                       + (f"，受托人 {entry.proxy_id}" if entry.proxy_id else ""), now=now,
                               content=ballot_content(
                                   item_id=item.id, voter_id=entry.voter_id, seat_key=seat_key,
                                   choice=entry.choice, proxy_id=entry.proxy_id, entered_by_id=actor.account_id,
                                   evidence=entry.evidence, corrections=()))
    except IntegrityError:
        # The unique (item, seat) index decides between concurrent ballots of one seat.
        raise RuleViolation(ErrorCode.ALREADY_VOTED, "该表决席位已投票", "voterId", en="Already voted") from None
    tally = await current_tally(item, meeting, now)
    await announce(broker, item.id, tally)
    return ballot, tally


async def correct_ballot(*, actor: Viewer, ballot_id: int, choice: Choice, reason: str, now: datetime,
                         broker: TallyEvents | None) -> tuple[Ballot, Tally]:
    async with atomic():
        ballot = await Ballot.get_or_none(id=ballot_id)
        if ballot is None:
            raise not_found("选票", "ballotId")
        item, meeting = await _load_item(ballot.item_id, actor=actor, now=now, lock=True)
        rules.check_correction(item_status=item.status, old=ballot.choice, new=choice, reason=reason)
        await BallotCorrection.create(ballot_id=ballot.id, old_choice=ballot.choice, new_choice=choice,
                                      reason=reason.strip(), corrected_by_id=actor.account_id, corrected_at=now)
        await Ballot.filter(id=ballot.id).update(choice=choice)
        await record_event(actor=actor, action="correctBallot", entity_type="Ballot", entity_id=ballot.id,
                           summary=f"更正选票 {ballot.choice} → {choice}：{reason.strip()}", now=now,
                           content=await ballot_content_of(ballot.id))
    tally = await current_tally(item, meeting, now)
    await announce(broker, item.id, tally)
    return await Ballot.get(id=ballot_id), tally
