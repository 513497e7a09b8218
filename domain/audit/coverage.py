"""Records whose content the audit chain covers: the newest event about each must carry the digest of the
record as it stands, so an edit made in the database (a ballot's choice changed, a correction deleted, a ballot
inserted or removed without its use case) shows in `verify_audit_chain`.

Ballots are covered because a vote is the record most worth forging (a tally decides a Civil Code art. 278
matter); the same pattern extends to any record whose use case passes `content=` to `record_event`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.audit.rules import content_digest


def ballot_content(*, item_id: int, voter_id: int, seat_key: str, choice: str, proxy_id: int | None,
                   entered_by_id: int | None, evidence: str, corrections: Iterable[tuple[str, str, str]]
                   ) -> dict[str, Any]:
    """What a ballot says: the seat, the voter, the choice and every correction (old, new, reason), in order."""
    return {
        "item_id": item_id, "voter_id": voter_id, "seat_key": seat_key, "choice": str(choice),
        "proxy_id": proxy_id, "entered_by_id": entered_by_id, "evidence": evidence,
        "corrections": [[str(old), str(new), reason] for old, new, reason in corrections],
    }


async def ballot_content_of(ballot_id: int) -> dict[str, Any]:
    from domain.deliberation.models import Ballot, BallotCorrection

    ballot = await Ballot.get(id=ballot_id)
    corrections = await BallotCorrection.filter(ballot_id=ballot_id).order_by("id")
    return ballot_content(
        item_id=ballot.item_id, voter_id=ballot.voter_id, seat_key=ballot.seat_key, choice=ballot.choice,
        proxy_id=ballot.proxy_id, entered_by_id=ballot.entered_by_id, evidence=ballot.evidence,
        corrections=[(c.old_choice, c.new_choice, c.reason) for c in corrections])


async def covered_record_problems(events: list[Any]) -> list[str]:
    from domain.deliberation.models import Ballot, BallotCorrection

    newest: dict[str, str] = {}
    for event in events:
        if event.entity_type == "Ballot" and event.content_hash:
            newest[event.entity_id] = event.content_hash
    ballots = await Ballot.all().order_by("id")
    corrections: dict[int, list[tuple[str, str, str]]] = {}
    for c in await BallotCorrection.all().order_by("id"):
        corrections.setdefault(c.ballot_id, []).append((c.old_choice, c.new_choice, c.reason))
    problems = []
    for ballot in ballots:
        expected = newest.pop(str(ballot.id), None)
        actual = content_digest(ballot_content(
            item_id=ballot.item_id, voter_id=ballot.voter_id, seat_key=ballot.seat_key, choice=ballot.choice,
            proxy_id=ballot.proxy_id, entered_by_id=ballot.entered_by_id, evidence=ballot.evidence,
            corrections=corrections.get(ballot.id, [])))
        if expected is None:
            problems.append(f"ballot {ballot.id} has no audit event covering it")
        elif expected != actual:
            problems.append(f"ballot {ballot.id} differs from what its last audit event recorded")
    problems.extend(f"ballot {ballot_id} was recorded in the chain but is gone" for ballot_id in newest)
    return problems
