"""Closing an owners' item: the full recount against the running tally, the verdict (or the election result), and
the published ballot list (tracking code, choice) whose hash enters the minutes chain.

The list pairs each ballot's random tracking code with what it chose and nothing else: a voter finds their own
ballot in it (individual verifiability, as in Helios), anyone can recount it, and nobody learns who cast which.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from domain.deliberation.election import decide_election
from domain.deliberation.models import AgendaItem, Ballot, Meeting
from domain.deliberation.register_models import BallotMark, Candidate
from domain.deliberation.roll import (
    area_of,
    check_marks,
    check_recount,
    recount,
    recount_marks,
    running_figures,
    stop_accepting,
)
from domain.deliberation.service import pack_of
from domain.deliberation.tally import Count, Tally, owners_verdict


@dataclass(frozen=True)
class PublishedBallot:
    tracking_code: str
    choice: str  # AGREE / OPPOSE / ABSTAIN, or the marked candidates' positions ("1,4,5") of an election


async def published_ballots(item_id: int) -> list[PublishedBallot]:
    ballots = await Ballot.filter(item_id=item_id, tracking_code__isnull=False).values_list(
        "id", "tracking_code", "choice")
    election = await Candidate.exists(item_id=item_id)
    marks: dict[int, list[int]] = {}
    if election:
        for ballot_id, position in await BallotMark.filter(ballot__item_id=item_id).values_list(
                "ballot_id", "candidate__position"):
            marks.setdefault(ballot_id, []).append(position)
    return sorted(
        (PublishedBallot(code, ",".join(str(p) for p in sorted(marks.get(ballot_id, []))) if election else choice)
         for ballot_id, code, choice in ballots),
        key=lambda b: b.tracking_code,
    )


def list_hash(ballots: list[PublishedBallot]) -> str:
    """SHA-256 over the canonical JSON of the sorted list, so anyone holding the list can check it."""
    rows = [[b.tracking_code, b.choice] for b in ballots]
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


async def close_owners_item(item: AgendaItem, meeting: Meeting) -> tuple[Tally, dict[str, object]]:
    participation = pack_of(meeting).meetings.assembly_participation
    await stop_accepting(item.id)
    running = await running_figures(item.id)
    recounted = await recount(item.id)
    assert running is not None  # the roll exists: the caller ensured it
    check_recount(running, recounted)
    verdict = owners_verdict(item.decision_rule, recounted, participation=participation)
    if item.max_selections is not None:
        verdict = await _close_election(item, verdict, participation)
    return verdict, {"ballot_list_hash": list_hash(await published_ballots(item.id))}


async def _close_election(item: AgendaItem, verdict: Tally, participation) -> Tally:  # type: ignore[no-untyped-def]
    candidates = await Candidate.filter(item_id=item.id).order_by("position")
    running = {c.id: Count(c.votes, area_of(c.votes_cents)) for c in candidates}
    votes = await recount_marks(item.id)
    check_marks(running, votes)
    result = decide_election(
        item.decision_rule, seats=item.max_selections or 1, eligible=Count(verdict.eligible_voters,
                                                                           verdict.eligible_area),
        participating=Count(verdict.participating_voters, verdict.participating_area),
        votes={str(c.id): votes[c.id] for c in candidates}, participation=participation,
    )
    names = {str(c.id): c.name for c in candidates}
    explanation = result.explanation
    for cid, name in names.items():
        explanation = explanation.replace(f"候选人 {cid}：", f"候选人 {name}：")
    elected = {int(c) for c in result.elected}
    for c in candidates:
        await Candidate.filter(id=c.id).update(elected=c.id in elected)
    return Tally(
        verdict.rule, verdict.eligible_voters, verdict.participating_voters, verdict.agree_voters,
        verdict.oppose_voters, verdict.abstain_voters, verdict.eligible_area, verdict.participating_area,
        verdict.agree_area, result.participation_met, result.passed, explanation,
        oppose_area=verdict.oppose_area, abstain_area=verdict.abstain_area,
    )
