"""The two statements of an owner's app ballot besides the tally and the audit: find the item with the viewer's
seat on its roll (one read, before the transaction), and drop the ballot in (one INSERT, whose unique (item, seat)
index is what refuses a second ballot for the seat).

Plain SQL (domain/statements.py): a burst of a thousand ballots on one item spent more in building these queries
through the ORM than the database spent running them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from domain.deliberation.roll import RollSeat, area_of
from domain.deliberation.vocabulary import AgendaStatus, BallotChannel, Choice, DecisionRule, MeetingKind
from domain.statements import instant, rows


@dataclass(frozen=True)
class SeatedItem:
    """An agenda item as a ballot needs it, with the voter's seat on its roll (None: no seat, or no roll yet)."""

    item_id: int
    meeting_id: int
    status: AgendaStatus
    decision_rule: DecisionRule
    max_selections: int | None
    opens_at: datetime | None
    closes_at: datetime | None
    kind: MeetingKind
    rule_pack: str
    seat: RollSeat | None
    has_roll: bool


_SEATED = (
    'SELECT i."id", i."meeting_id", i."status", i."decision_rule", i."max_selections", i."voting_opens_at", '
    'i."voting_closes_at", m."kind", m."rule_pack", h."seat_key", h."area_cents", h."label", '
    '(SELECT COUNT(*) FROM "running_tally" r WHERE r."item_id" = i."id") AS "rolls" '
    'FROM "agenda_item" i JOIN "meeting" m ON m."id" = i."meeting_id" '
    'LEFT JOIN "vote_seat_holder" h ON h."item_id" = i."id" AND h."person_id" = ? '
    'WHERE i."id" = ?'
)


async def seated_item(item_id: int, person_id: int) -> SeatedItem | None:
    found = await rows(_SEATED, [person_id, item_id])
    if not found:
        return None
    r = found[0]
    seat = RollSeat(r["seat_key"], area_of(r["area_cents"]), r["label"]) if r["seat_key"] is not None else None
    return SeatedItem(
        item_id=r["id"], meeting_id=r["meeting_id"], status=AgendaStatus(r["status"]),
        decision_rule=DecisionRule(r["decision_rule"]), max_selections=r["max_selections"],
        opens_at=instant(r["voting_opens_at"]), closes_at=instant(r["voting_closes_at"]),
        kind=MeetingKind(r["kind"]), rule_pack=r["rule_pack"], seat=seat, has_roll=bool(r["rolls"]),
    )


_DROP = (
    'INSERT INTO "ballot" ("item_id", "voter_id", "seat_key", "choice", "cast_at", "entered_by_id", "evidence", '
    '"tracking_code", "channel") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"'
)


async def drop_ballot(*, item_id: int, voter_id: int, seat: RollSeat, choice: Choice, cast_at: datetime,
                      entered_by_id: int | None, tracking_code: str) -> int:
    """The ballot row; a second one for the seat raises IntegrityError (the unique index decides, not a read)."""
    inserted = await rows(_DROP, [item_id, voter_id, seat.seat_key, choice.value, cast_at.astimezone(UTC), entered_by_id, "",
                                  tracking_code, BallotChannel.APP.value])
    return int(inserted[0]["id"])
