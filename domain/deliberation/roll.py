"""The roll of an owners' vote and its running tally (see register_models): fixed when voting opens, moved by one
conditional UPDATE per ballot, and recounted in full at closing (a mismatch refuses to close)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.expressions import F

from domain.audit.service import ChainHead, chain_head_columns, chain_head_in
from domain.deliberation.models import AgendaItem, Ballot, Meeting
from domain.deliberation.register_models import BallotMark, Candidate, RunningTally, VoteSeat, VoteSeatHolder
from domain.deliberation.tally import Ballot as BallotValue
from domain.deliberation.tally import Count, Figures, Seat, owners_figures
from domain.deliberation.vocabulary import Choice
from domain.errors import ErrorCode, RuleViolation
from domain.geography.models import Unit
from domain.statements import client, rows

CENT = Decimal("0.01")


def cents(area: Decimal) -> int:
    return int((area / CENT).to_integral_exact())


def area_of(value: int) -> Decimal:
    return (Decimal(value) * CENT).quantize(CENT)


def seat_key_of(seat: Seat) -> str:
    return f"u{int(seat.key)}"


def seat_label(building: str, entrance: str, number: str, units: int) -> str:
    """"3号楼2单元501", and "… 等2套" for a buyer of several units (one seat, 区分所有权解释 art. 9)."""
    place = f"{building}号楼" + (f"{entrance}单元" if entrance else "") + number
    return place if units == 1 else f"{place} 等{units}套"


@dataclass(frozen=True)
class RollSeat:
    seat_key: str
    area: Decimal
    label: str


async def ensure_roll(item: AgendaItem, meeting: Meeting) -> RunningTally:
    """The item's roll and running tally, built from the registry on first use (at opening). Call it with the item
    locked, inside the use case's transaction."""
    running = await RunningTally.get_or_none(item_id=item.id)
    if running is not None:
        return running
    from domain.deliberation.voting import owner_seats  # the seat rules live with voting; imported late

    all_seats = await owner_seats(meeting, item)
    first_units = {int(s.unit_ids[0]) for s in all_seats}
    rows = {r["id"]: r for r in await Unit.filter(id__in=list(first_units)).values("id", "building", "entrance",
                                                                                       "number")}
    roll = []
    holders = []
    for seat in all_seats:
        first = rows[int(seat.unit_ids[0])]
        label = seat_label(first["building"], first["entrance"], first["number"], len(seat.unit_ids))
        roll.append(VoteSeat(item_id=item.id, seat_key=seat_key_of(seat), area_cents=cents(seat.area), label=label))
        holders.extend(VoteSeatHolder(item_id=item.id, person_id=int(o), seat_key=seat_key_of(seat),
                                      area_cents=cents(seat.area), label=label)
                       for o in sorted(seat.voter_ids) if o.isdigit())  # owners, and the developer's representative
    await VoteSeat.bulk_create(roll, batch_size=500)
    await VoteSeatHolder.bulk_create(holders, batch_size=500)
    # Ballots cast before the roll existed (an item opened before this release) start the running totals.
    so_far = await recount(item.id)
    return await RunningTally.create(
        item_id=item.id, eligible_voters=len(roll), eligible_cents=sum(s.area_cents for s in roll),
        **{f"{name}_{unit}": (getattr(so_far, name).voters if unit == "voters" else cents(getattr(so_far, name).area))
           for name in ("agree", "oppose", "abstain") for unit in ("voters", "cents")},
        ballots=await Ballot.filter(item_id=item.id).count(), accepting=True,
    )


async def seat_of_person(item_id: int, person_id: int) -> RollSeat | None:
    row = await VoteSeatHolder.filter(item_id=item_id, person_id=person_id).first().values(
        "seat_key", "area_cents", "label")
    return RollSeat(row["seat_key"], area_of(row["area_cents"]), row["label"]) if row else None


async def add_to_running(item_id: int, seat: RollSeat, choice: Choice, *, sign: int = 1) -> Figures:
    """One conditional UPDATE: the database adds the seat to the totals, so concurrent ballots never lose a count.
    It returns the totals with this ballot in them (the tally to show), so no read follows."""
    return _figures(await _move(item_id, seat, choice, sign, ""))


async def add_last_to_running(item_id: int, seat: RollSeat, choice: Choice) -> tuple[Figures, ChainHead | None]:
    """The same UPDATE as the use case's last write before its audit event: it also reads the audit chain's head
    (locking it on PostgreSQL), so the append that follows starts with the head in hand."""
    row = await _move(item_id, seat, choice, 1, ", " + chain_head_columns(client()))
    return _figures(row), chain_head_in(row)


async def _move(item_id: int, seat: RollSeat, choice: Choice, sign: int, returning: str) -> dict[str, Any]:
    name = choice.value.lower()  # a column of our own enum, never text from outside
    moved = await rows(
        f'UPDATE "running_tally" SET "{name}_voters" = "{name}_voters" + ?, "{name}_cents" = "{name}_cents" + ?, '
        f'"ballots" = "ballots" + ? WHERE "item_id" = ? AND "accepting" = ? RETURNING {_FIGURES}{returning}',
        [sign, sign * cents(seat.area), sign, item_id, True])
    if not moved:
        # Closing committed first (or the item has no roll): the ballot comes too late for the count.
        raise RuleViolation(ErrorCode.VOTING_CLOSED, "表决已结束", "agendaItemId", en="Voting is closed")
    return moved[0]


def _figures(row: dict[str, Any]) -> Figures:
    return Figures(
        eligible=Count(row["eligible_voters"], area_of(row["eligible_cents"])),
        agree=Count(row["agree_voters"], area_of(row["agree_cents"])),
        oppose=Count(row["oppose_voters"], area_of(row["oppose_cents"])),
        abstain=Count(row["abstain_voters"], area_of(row["abstain_cents"])),
    )


_FIGURES = ", ".join(f'"{n}_{u}"' for n in ("eligible", "agree", "oppose", "abstain") for u in ("voters", "cents"))


async def stop_accepting(item_id: int) -> None:
    """Closing's first write: waits for ballots holding the tally row, then refuses every later one."""
    await RunningTally.filter(item_id=item_id).update(accepting=False)


async def move_in_running(item_id: int, seat: RollSeat, old: Choice, new: Choice) -> Figures:
    """A correction moves the seat from one column to another."""
    await add_to_running(item_id, seat, old, sign=-1)
    return await add_to_running(item_id, seat, new)


async def add_marks(item_id: int, seat: RollSeat, candidate_ids: Iterable[int]) -> None:
    for candidate_id in sorted(candidate_ids):  # one lock order for every ballot: no deadlock between two
        changed = await Candidate.filter(id=candidate_id, item_id=item_id).update(
            votes=F("votes") + 1, votes_cents=F("votes_cents") + cents(seat.area))
        if changed != 1:
            raise RuleViolation(ErrorCode.NOT_FOUND, "候选人不属于本议题", "candidateIds", en="Unknown candidate")


def figures_of(running: RunningTally) -> Figures:
    return Figures(
        eligible=Count(running.eligible_voters, area_of(running.eligible_cents)),
        agree=Count(running.agree_voters, area_of(running.agree_cents)),
        oppose=Count(running.oppose_voters, area_of(running.oppose_cents)),
        abstain=Count(running.abstain_voters, area_of(running.abstain_cents)),
    )


async def running_figures(item_id: int) -> Figures | None:
    running = await RunningTally.get_or_none(item_id=item_id)
    return figures_of(running) if running is not None else None


async def roll_seats(item_id: int) -> tuple[Seat, ...]:
    """The roll as tally Seats (the seat key stands for its holders)."""
    rows = await VoteSeat.filter(item_id=item_id).values_list("seat_key", "area_cents")
    return tuple(Seat(key, (key,), frozenset({key}), area_of(c)) for key, c in rows)


async def recount(item_id: int) -> Figures:
    """Every stored ballot counted again against the roll, as anyone could from the published records."""
    cast = [BallotValue(key, Choice(c)) for key, c in
            await Ballot.filter(item_id=item_id).order_by("id").values_list("seat_key", "choice")]
    return owners_figures(await roll_seats(item_id), cast)


def check_recount(running: Figures, recounted: Figures) -> None:
    if running != recounted:
        raise RuleViolation(ErrorCode.TALLY_MISMATCH,
                            f"逐票复核结果与累计统计不一致（累计 {running}，复核 {recounted}）", "agendaItemId",
                            en="The full recount differs from the running tally")


async def recount_marks(item_id: int) -> dict[int, Count]:
    """Each candidate's votes from the stored marks and the roll."""
    areas = dict(await VoteSeat.filter(item_id=item_id).values_list("seat_key", "area_cents"))
    counts: dict[int, Count] = {c: Count() for c in await Candidate.filter(item_id=item_id)
                                .values_list("id", flat=True)}
    rows = await BallotMark.filter(ballot__item_id=item_id).values_list("candidate_id", "ballot__seat_key")
    for candidate_id, seat_key in rows:
        counts[candidate_id] = counts[candidate_id] + Count(1, area_of(areas[seat_key]))
    return counts


def check_marks(running: dict[int, Count], recounted: dict[int, Count]) -> None:
    if running != recounted:
        raise RuleViolation(ErrorCode.TALLY_MISMATCH, "候选人得票复核与累计统计不一致", "agendaItemId",
                            en="The recount of candidates' votes differs from the running tally")
