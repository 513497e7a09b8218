"""Voting use cases: open and close an item's voting, cast and correct ballots, and the live tally.

Owners' items are counted on the roll fixed at opening: each ballot moves the running tally by one conditional
UPDATE (its cost does not grow with the compound), and closing recounts every stored ballot against the roll and
refuses on a mismatch; the tally at closing is kept on the item. Committee items (a handful of members) are counted
from their ballots. Tally events are published after commit, through the broker the caller passes.
"""

from __future__ import annotations

import base64
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Viewer
from domain.audit.coverage import ballot_content, ballot_content_of
from domain.audit.service import record_event
from domain.deliberation import rules
from domain.deliberation.models import AgendaItem, Ballot, BallotCorrection, Meeting, Participant
from domain.deliberation.pubsub import TallyEvents
from domain.deliberation.register_models import RunningTally, VoteSeatHolder
from domain.deliberation.roll import (
    RollSeat,
    add_to_running,
    ensure_roll,
    move_in_running,
    running_figures,
    seat_of_person,
)
from domain.deliberation.service import convener_members, is_member, load_meeting, meeting_scope, pack_of
from domain.deliberation.tally import Ballot as BallotValue
from domain.deliberation.tally import (
    Seat,
    Tally,
    UnitHolding,
    committee_tally,
    owners_tally,
    owners_verdict,
    seats,
)
from domain.deliberation.vocabulary import (
    COMMITTEE_KINDS,
    OWNERS_RULES,
    AgendaAction,
    AgendaStatus,
    BallotChannel,
    Choice,
    MeetingStatus,
)
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Compound, Ownership, Person, Unit
from domain.geography.service import not_found
from domain.notifications import events as notices
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
    # 区分所有权解释 art. 9: the developer's held units are one seat; its representative casts the seat's ballot.
    representative = await Compound.filter(id=meeting.compound_id).values_list("developer_representative_id",
                                                                               flat=True)
    voters = frozenset({str(representative[0])}) if representative and representative[0] else frozenset()
    for r in rows:
        if r["held_by_developer"]:
            owners[r["id"]].add(DEVELOPER)
    # Zero-padded ids keep the seat key (the lowest unit id) stable however the ids sort.
    holdings = [UnitHolding(f"{r['id']:012d}", r["area"], frozenset(owners[r["id"]]), r["building"], r["entrance"],
                            representative_ids=voters if r["held_by_developer"] else frozenset())
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
    if item.decision_rule in OWNERS_RULES:
        participation = pack_of(meeting).meetings.assembly_participation
        figures = await running_figures(item.id)
        if figures is not None:
            return owners_verdict(item.decision_rule, figures, participation=participation)
        cast = [BallotValue(str(v), Choice(c)) for v, c in await Ballot.filter(item_id=item.id).order_by("id")
                .values_list("voter_id", "choice")]
        return owners_tally(item.decision_rule, await owner_seats(meeting, item), cast, participation=participation)
    cast = [BallotValue(str(v), Choice(c)) for v, c in await Ballot.filter(item_id=item.id).order_by("id")
            .values_list("voter_id", "choice")]
    voters = await electorate(meeting, now)
    return committee_tally(
        item.decision_rule, eligible={str(p) for p in voters.eligible}, present={str(p) for p in voters.present},
        ballots=cast, all_members_decision=pack_of(meeting).meetings.committee_decision,
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


async def voter_ids(item: AgendaItem, meeting: Meeting, now: datetime) -> set[int]:
    """Who may vote on the item: the holders of its roll's seats (fixed at opening), or the members present."""
    if item.decision_rule in OWNERS_RULES:
        return set(await VoteSeatHolder.filter(item_id=item.id).values_list("person_id", flat=True))
    voters = await electorate(meeting, now)
    return voters.eligible & voters.present


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
        if item.decision_rule in OWNERS_RULES:
            await ensure_roll(item, meeting)
        await record_event(actor=actor, action="openVoting", entity_type="AgendaItem", entity_id=item.id,
                           summary=f"开始表决《{item.title}》（{item.decision_rule}）", now=now)
        await notices.voting_opened(item, meeting, voter_ids=await voter_ids(item, meeting, now), now=now)
    return await AgendaItem.get(id=item_id)


async def close_voting(*, actor: Viewer, item_id: int, now: datetime, broker: TallyEvents | None) -> AgendaItem:
    async with atomic():
        item, meeting = await _load_item(item_id, actor=actor, now=now, lock=True)
        if item.voting_closes_at is not None and now < item.voting_closes_at:
            # A written consultation runs its whole announced window; the scheduler closes it at the end.
            raise RuleViolation(ErrorCode.INVALID_TRANSITION, "书面表决期尚未结束", "agendaItemId",
                                en="The voting window has not ended")
        final = await finish_voting(item, meeting, actor=actor, now=now)
    await announce(broker, item_id, final)
    return await AgendaItem.get(id=item_id)


async def finish_voting(item: AgendaItem, meeting: Meeting, *, actor: Viewer, now: datetime) -> Tally:
    """Closes a locked item inside the caller's transaction: recount, verdict, published ballot list, audit."""
    from domain.deliberation.closing import close_owners_item  # closing needs the election rules too

    rules.agenda_transition(item.status, AgendaAction.CLOSE_VOTING)
    extra: dict[str, object] = {}
    if item.decision_rule in OWNERS_RULES:
        await ensure_roll(item, meeting)
        final, extra = await close_owners_item(item, meeting)
    else:
        final = await current_tally(item, meeting, now)
    await _move_item(item, AgendaAction.CLOSE_VOTING, voting_closed_at=now, result=final.result,
                     final_tally=final.as_dict(), **extra)
    await record_event(actor=actor, action="closeVoting", entity_type="AgendaItem", entity_id=item.id,
                       summary=final.explanation, now=now)
    return final


@dataclass(frozen=True)
class BallotEntry:
    item_id: int
    voter_id: int
    choice: Choice
    evidence: str = ""
    proxy_id: int | None = None
    proxy_authorisation: str | None = None
    channel: BallotChannel = BallotChannel.PAPER


async def voter_seat(item: AgendaItem, meeting: Meeting, voter_id: int, now: datetime) -> RollSeat | None:
    """The seat a voter holds on this item: on the owners' roll, or a present member's own seat."""
    if item.decision_rule in OWNERS_RULES:
        seat = await seat_of_person(item.id, voter_id)
        if seat is None and not await RunningTally.exists(item_id=item.id):
            await ensure_roll(item, meeting)  # an item opened before rolls existed
            seat = await seat_of_person(item.id, voter_id)
        return seat
    voters = await electorate(meeting, now)
    # Committee and joint meetings: members present vote in person (no proxies at committee meetings).
    eligible = voter_id in voters.eligible and voter_id in voters.present
    return RollSeat(f"p{voter_id}", Decimal(0), "") if eligible else None


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
            if item.max_selections is not None:
                raise RuleViolation(ErrorCode.INVALID, "选举议题须按候选人投票", "agendaItemId",
                                    en="An election is voted by marking candidates")
            seat = await voter_seat(item, meeting, entry.voter_id, now)
            seat_key = seat.seat_key if seat is not None else None
            authorisation = entry.proxy_authorisation if entry.proxy_id is not None else None
            rules.check_ballot(
                item_status=item.status, kind=meeting.kind, eligible=seat is not None,
                already_voted=seat is not None and await Ballot.exists(item_id=item.id, seat_key=seat.seat_key),
                proxy_authorisation=(authorisation or "") if entry.proxy_id is not None else None,
            )
            rules.check_window(opens_at=item.voting_opens_at, closes_at=item.voting_closes_at, now=now)
            assert seat is not None
            ballot = await store_ballot(item, entry, seat, actor=actor, now=now)
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


async def store_ballot(item: AgendaItem, entry: BallotEntry, seat: RollSeat, *, actor: Viewer, now: datetime
                       ) -> Ballot:
    """Writes the ballot and, for an owners' item, adds its seat to the running tally (same transaction)."""
    owners_item = item.decision_rule in OWNERS_RULES
    channel = BallotChannel.PROXY if entry.proxy_id is not None else entry.channel
    ballot = await Ballot.create(
        item_id=item.id, voter_id=entry.voter_id, seat_key=seat.seat_key, choice=entry.choice, cast_at=now,
        entered_by_id=actor.account_id, evidence=entry.evidence, proxy_id=entry.proxy_id,
        proxy_authorisation=entry.proxy_authorisation if entry.proxy_id is not None else None,
        tracking_code=new_tracking_code() if owners_item else None, channel=channel,
    )
    if owners_item:
        await add_to_running(item.id, seat, entry.choice)
    return ballot


def new_tracking_code() -> str:
    """16 random base32 characters (80 bits): unguessable, short enough to read out, grouped for the eye."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


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
        if item.decision_rule in OWNERS_RULES:
            await ensure_roll(item, meeting)
            await move_in_running(item.id, RollSeat(ballot.seat_key, *await _seat_area_label(item.id, ballot.seat_key)),
                                  ballot.choice, choice)
        await record_event(actor=actor, action="correctBallot", entity_type="Ballot", entity_id=ballot.id,
                           summary=f"更正选票 {ballot.choice} → {choice}：{reason.strip()}", now=now,
                           content=await ballot_content_of(ballot.id))
    tally = await current_tally(item, meeting, now)
    await announce(broker, item.id, tally)
    return await Ballot.get(id=ballot_id), tally


async def _seat_area_label(item_id: int, seat_key: str) -> tuple:
    from domain.deliberation.register_models import VoteSeat
    from domain.deliberation.roll import area_of

    seat = await VoteSeat.get(item_id=item_id, seat_key=seat_key)
    return area_of(seat.area_cents), seat.label
