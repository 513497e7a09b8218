"""The owner's own ballots (owners' app): casting for the seat they hold, elections, receipts, and their open votes.

Seat rules are those of paper ballots (区分所有权解释 art. 9): several units of one buyer are one seat; co-owners
share one ballot, so the first of them to vote casts it; a paper or proxy ballot already entered for the seat makes
the app ballot ALREADY_VOTED, and the reverse (one unique index on (item, seat) decides). The receipt's tracking
code is returned only here; the audit event records that the seat voted, not what it chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Viewer
from domain.audit.coverage import ballot_content
from domain.audit.service import ChainHead, record_event
from domain.deliberation import rules
from domain.deliberation.ballot_box import SeatedItem, drop_ballot, seated_item
from domain.deliberation.election import check_selection
from domain.deliberation.models import AgendaItem, Ballot, Meeting
from domain.deliberation.pubsub import TallyEvents
from domain.deliberation.register_models import BallotMark, Candidate, VoteSeat, VoteSeatHolder
from domain.deliberation.roll import RollSeat, add_last_to_running, add_marks, add_to_running
from domain.deliberation.service import pack_named
from domain.deliberation.tally import Figures, Tally, owners_verdict
from domain.deliberation.vocabulary import OWNERS_RULES, AgendaStatus, Choice
from domain.deliberation.voting import announce, new_tracking_code, voter_seat
from domain.errors import ErrorCode, RuleViolation
from domain.geography.service import not_found
from domain.transaction import atomic


@dataclass(frozen=True)
class Receipt:
    tracking_code: str
    seat_label: str
    choice: Choice | None
    cast_at: datetime


def _voter(actor: Viewer) -> int:
    if not actor.is_authenticated or actor.person_id is None:
        raise RuleViolation(ErrorCode.FORBIDDEN, "须以业主本人身份登录", None, en="Sign in as the owner")
    return actor.person_id


async def _open_seat(actor: Viewer, item_id: int, now: datetime, *, election: bool) -> tuple[SeatedItem, RollSeat, int]:
    """Finds the item and the viewer's seat on its roll in one read, refusing as a paper ballot would be refused.

    Read before the transaction and without a lock: the roll is fixed at opening, the unique (item, seat) index
    decides ALREADY_VOTED at insert, and the running tally's conditional UPDATE (accepting = true) orders this
    ballot against closing (roll.py)."""
    voter = _voter(actor)
    seated = await seated_item(item_id, voter)
    if seated is None:
        raise not_found("议题", "agendaItemId")
    if seated.decision_rule not in OWNERS_RULES:
        raise RuleViolation(ErrorCode.NOT_ELIGIBLE, "只有业主大会议题可由业主自行投票", "agendaItemId",
                            en="Only owners' items are voted in the app")
    if (seated.max_selections is not None) != election:
        raise RuleViolation(ErrorCode.INVALID, "选举议题须按候选人投票" if election is False else "该议题不是选举",
                            "agendaItemId", en="Wrong kind of ballot for this item")
    if seated.status is AgendaStatus.VOTING and not seated.has_roll:
        seated = await _with_roll(seated, voter, now)  # an item opened before rolls existed
    seat = seated.seat if seated.status is AgendaStatus.VOTING else None
    rules.check_ballot(item_status=seated.status, kind=seated.kind, eligible=seat is not None, already_voted=False,
                       proxy_authorisation=None)
    rules.check_window(opens_at=seated.opens_at, closes_at=seated.closes_at, now=now)
    assert seat is not None
    return seated, seat, voter


async def _with_roll(seated: SeatedItem, voter: int, now: datetime) -> SeatedItem:
    async with atomic():
        item = await AgendaItem.select_for_update().get(id=seated.item_id)
        await voter_seat(item, await Meeting.get(id=item.meeting_id), voter, now)  # builds the roll once
    return await seated_item(seated.item_id, voter) or seated


async def _audit(item_id: int, seat: RollSeat, ballot_id: int, voter_id: int, choice: Choice, actor: Viewer,
                 now: datetime, head: ChainHead | None) -> None:
    """Last in the transaction: the audit head is the one row every write of the system locks."""
    # The chain covers the ballot's content (issue 15 item 8), as for a ballot entered by staff (voting.py).
    await record_event(actor=actor, action="castMyBallot", entity_type="Ballot", entity_id=ballot_id,
                       summary=f"业主自行投票：议题 {item_id} 席位 {seat.seat_key}", now=now,
                       content=ballot_content(item_id=item_id, voter_id=voter_id, seat_key=seat.seat_key,
                                              choice=choice, proxy_id=None, entered_by_id=actor.account_id,
                                              evidence="", corrections=()), head=head)


def _already_voted() -> RuleViolation:
    return RuleViolation(ErrorCode.ALREADY_VOTED, "该表决席位已投票", "agendaItemId", en="Already voted")


async def _cast(actor: Viewer, seated: SeatedItem, seat: RollSeat, voter: int, choice: Choice, now: datetime,
                marks: Sequence[int] = ()) -> tuple[str, Figures]:
    """The ballot, its marks, the running tally and the audit event: one transaction, three or four statements
    (plus the marks of an election ballot)."""
    tracking_code = new_tracking_code()
    try:
        async with atomic():
            ballot_id = await drop_ballot(item_id=seated.item_id, voter_id=voter, seat=seat, choice=choice,
                                          cast_at=now, entered_by_id=actor.account_id, tracking_code=tracking_code)
            head: ChainHead | None = None
            if marks:
                await BallotMark.bulk_create([BallotMark(ballot_id=ballot_id, candidate_id=c) for c in marks])
                figures = await add_to_running(seated.item_id, seat, choice)
                # Candidates after the tally, in the order closing takes them: no deadlock between the two.
                await add_marks(seated.item_id, seat, marks)
            else:
                # The tally's UPDATE also reads (and on PostgreSQL locks) the audit head: from here to commit,
                # two round trips hold the two rows every ballot of the item needs.
                figures, head = await add_last_to_running(seated.item_id, seat, choice)
            await _audit(seated.item_id, seat, ballot_id, voter, choice, actor, now, head)
    except IntegrityError:
        raise _already_voted() from None  # a co-owner's or a paper ballot won the race for the seat
    return tracking_code, figures


def _verdict(seated: SeatedItem, figures: Figures) -> Tally:
    return owners_verdict(seated.decision_rule, figures,
                          participation=pack_named(seated.rule_pack).meetings.assembly_participation)


async def cast_my_ballot(*, actor: Viewer, item_id: int, choice: Choice, now: datetime,
                         broker: TallyEvents | None) -> tuple[Receipt, Tally]:
    seated, seat, voter = await _open_seat(actor, item_id, now, election=False)
    tracking_code, figures = await _cast(actor, seated, seat, voter, choice, now)
    # The totals the tally's UPDATE returned, this ballot included: the tally needs no read after commit.
    tally = _verdict(seated, figures)
    await announce(broker, seated.item_id, tally)
    return Receipt(tracking_code, seat.label, choice, now), tally


async def cast_my_election_ballot(*, actor: Viewer, item_id: int, candidate_ids: Sequence[int], now: datetime,
                                  broker: TallyEvents | None) -> Receipt:
    """Marks up to `maxSelections` candidates; a ballot marking none is blank (it participates, elects no one)."""
    seated, seat, voter = await _open_seat(actor, item_id, now, election=True)
    known = await Candidate.filter(item_id=seated.item_id).values_list("id", flat=True)
    check_selection([str(c) for c in candidate_ids], known=[str(k) for k in known],
                    max_selections=seated.max_selections or 0)
    # For the art. 278 participation figures an election ballot is AGREE when it marks someone.
    choice = Choice.AGREE if candidate_ids else Choice.ABSTAIN
    tracking_code, figures = await _cast(actor, seated, seat, voter, choice, now, marks=sorted(candidate_ids))
    await announce(broker, seated.item_id, _verdict(seated, figures))
    return Receipt(tracking_code, seat.label, None, now)


@dataclass(frozen=True)
class BallotCheck:
    tracking_code: str
    counted: bool
    choice: str | None
    item: AgendaItem | None


async def ballot_receipt(tracking_code: str) -> BallotCheck | None:
    """After voting closes: whether the ballot with this code was counted, and as what. Before that, the code is
    neither confirmed nor denied (nothing of a running vote leaks); an unknown code is None."""
    ballot = await Ballot.get_or_none(tracking_code=tracking_code.strip().upper())
    if ballot is None:
        return None
    item = await AgendaItem.get(id=ballot.item_id)
    if item.status is not AgendaStatus.DECIDED:
        return BallotCheck(ballot.tracking_code or "", False, None, item)
    choice: str = ballot.choice.value
    if item.max_selections is not None:
        positions = await BallotMark.filter(ballot_id=ballot.id).values_list("candidate__position", flat=True)
        choice = ",".join(str(p) for p in sorted(positions))
    counted = await VoteSeat.exists(item_id=item.id, seat_key=ballot.seat_key)
    return BallotCheck(ballot.tracking_code or "", counted, choice, item)


@dataclass(frozen=True)
class OpenVote:
    item: AgendaItem
    seat_label: str
    my_ballot: Ballot | None


async def open_votes(person_id: int) -> list[OpenVote]:
    """Every item in voting where the person holds a seat on the roll, with their seat's ballot if cast (by them,
    a co-owner, a proxy or on paper). Three queries, however many items."""
    holders = await VoteSeatHolder.filter(person_id=person_id, item__status=AgendaStatus.VOTING).values_list(
        "item_id", "seat_key")
    if not holders:
        return []
    seats = dict(holders)
    items = {i.id: i for i in await AgendaItem.filter(id__in=list(seats)).order_by("voting_closes_at", "id")}
    labels = {(r["item_id"], r["seat_key"]): r["label"] for r in await VoteSeat.filter(
        item_id__in=list(seats), seat_key__in=set(seats.values())).values("item_id", "seat_key", "label")}
    ballots = {(b.item_id, b.seat_key): b for b in await Ballot.filter(
        item_id__in=list(seats), seat_key__in=set(seats.values()))}
    return [OpenVote(item, labels.get((item.id, seats[item.id]), ""), ballots.get((item.id, seats[item.id])))
            for item in items.values()]
