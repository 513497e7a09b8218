"""Elections at an owners' assembly as pure functions: electing committee members (民法典 art. 278 para. 1 item 3)
and choosing a property firm (item 4).

The rule, from art. 278 para. 2 as the Beijing and national guidance apply it to elections:
- the election needs the pack's participation (>= 2/3) by area and by head, as every joint decision does;
- a candidate qualifies with the agreement of more than half (3/4 for a major matter) of the participating area
  AND of the participating owners (by head, 区分所有权解释 art. 9);
- qualifiers are ranked by the owners agreeing (heads), then by agreeing area, for the available seats.
- Ties (documented rule, 京条例 art. 30 leaves it to the assembly's rules; we do not draw lots): when candidates
  tied on heads and area compete for the last seats, none of the tied candidates is elected; their seats stay open
  and the tied candidates are named for a run-off. A firm choice is an election with one seat: the one option
  meeting the thresholds is chosen, or none.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from domain.deliberation.tally import MAJOR, ORDINARY, Count, Seat, percent
from domain.deliberation.vocabulary import DecisionRule
from domain.errors import ErrorCode, RuleViolation
from domain.rulepacks.model import Threshold


@dataclass(frozen=True)
class ElectionBallot:
    """One seat's ballot: the candidates it marks (none marked is a blank ballot, which still participates)."""

    seat_key: str
    candidate_ids: frozenset[str]


@dataclass(frozen=True)
class CandidateResult:
    candidate_id: str
    votes: Count
    qualified: bool
    elected: bool
    rank: int | None


@dataclass(frozen=True)
class ElectionResult:
    seats: int
    eligible: Count
    participating: Count
    participation_met: bool
    candidates: tuple[CandidateResult, ...]
    run_off: tuple[str, ...]
    explanation: str

    @property
    def elected(self) -> tuple[str, ...]:
        return tuple(c.candidate_id for c in self.candidates if c.elected)

    @property
    def passed(self) -> bool:
        """The election decided something: at least one candidate elected."""
        return bool(self.elected)

    @property
    def open_seats(self) -> int:
        return self.seats - len(self.elected)


def check_selection(candidate_ids: Collection[str], *, known: Collection[str], max_selections: int) -> None:
    """A ballot marks at most `max_selections` distinct candidates of the item."""
    if len(set(candidate_ids)) != len(list(candidate_ids)):
        raise RuleViolation(ErrorCode.INVALID, "同一候选人只能选一次", "candidateIds", en="A candidate is marked twice")
    if len(set(candidate_ids)) > max_selections:
        raise RuleViolation(ErrorCode.TOO_MANY_SELECTIONS, f"最多可选 {max_selections} 人", "candidateIds",
                            en=f"At most {max_selections} selections")
    unknown = set(candidate_ids) - set(known)
    if unknown:
        raise RuleViolation(ErrorCode.NOT_FOUND, "候选人不属于本议题", "candidateIds", en="Unknown candidate")


def election_figures(
    all_seats: Collection[Seat], ballots: Iterable[ElectionBallot], candidate_ids: Collection[str]
) -> tuple[Count, Count, dict[str, Count]]:
    """(eligible, participating, votes per candidate) from the seats and one ballot per seat (the first stands)."""
    by_key = {s.key: s for s in all_seats}
    counted: dict[str, ElectionBallot] = {}
    for ballot in ballots:
        if ballot.seat_key in by_key:
            counted.setdefault(ballot.seat_key, ballot)
    eligible = Count(len(by_key), sum((s.area for s in by_key.values()), Decimal(0)))
    participating = Count(len(counted), sum((by_key[k].area for k in counted), Decimal(0)))
    votes = {c: Count() for c in candidate_ids}
    for key, ballot in counted.items():
        for c in ballot.candidate_ids:
            if c in votes:
                votes[c] = votes[c] + Count(1, by_key[key].area)
    return eligible, participating, votes


def decide_election(
    rule: DecisionRule,
    *,
    seats: int,
    eligible: Count,
    participating: Count,
    votes: Mapping[str, Count],
    participation: Threshold,
) -> ElectionResult:
    threshold = MAJOR if rule is DecisionRule.OWNERS_MAJOR else ORDINARY
    participation_met = participation.met(participating.voters, eligible.voters) and participation.met(
        participating.area, eligible.area
    )

    def qualifies(v: Count) -> bool:
        return (participation_met and threshold.met(v.voters, participating.voters)
                and threshold.met(v.area, participating.area))

    qualifiers = sorted((c for c, v in votes.items() if qualifies(v)),
                        key=lambda c: (-votes[c].voters, -votes[c].area, c))
    elected: list[str] = []
    run_off: list[str] = []
    position = 0
    while position < len(qualifiers) and len(elected) < seats:
        mark = (votes[qualifiers[position]].voters, votes[qualifiers[position]].area)
        group = [c for c in qualifiers[position:] if (votes[c].voters, votes[c].area) == mark]
        if len(elected) + len(group) <= seats:
            elected.extend(group)
        else:
            run_off = group  # a tie for the last seats: they stay open, the tied go to a run-off
            break
        position += len(group)
    ranks = {c: i + 1 for i, c in enumerate(qualifiers)}
    results = tuple(
        CandidateResult(c, v, c in ranks, c in elected, ranks.get(c))
        for c, v in sorted(votes.items(), key=lambda cv: (-cv[1].voters, -cv[1].area, cv[0]))
    )
    lines = [
        f"选举 {seats} 个席位。参与 {participating.voters}/{eligible.voters} 人"
        f"（{percent(participating.voters, eligible.voters)}）、面积 {participating.area}/{eligible.area}㎡"
        f"（{percent(participating.area, eligible.area)}），参与{'达到' if participation_met else '未达到'}"
        f" {participation.describe()}。当选须得票人数和面积均 {threshold.describe()} 参与表决的人数和面积。"
    ]
    for r in results:
        verdict = "当选" if r.elected else ("须再次表决（得票相同）" if r.candidate_id in run_off else
                                          ("达到票数但席位已满" if r.qualified else "未达到票数"))
        lines.append(f"候选人 {r.candidate_id}：{r.votes.voters} 人、{r.votes.area}㎡，{verdict}。")
    if seats - len(elected):
        lines.append(f"空缺 {seats - len(elected)} 席。")
    return ElectionResult(seats, eligible, participating, participation_met, results, tuple(run_off),
                          "".join(lines))
