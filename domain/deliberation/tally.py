"""Tallies as pure functions: owners' joint decisions (民法典 art. 278) and committee decision rules.

Every figure is exact (Decimal areas, Fraction shares) and every tally explains itself in words, so that anyone
can recompute it from the stored ballots and the units' recorded areas.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from domain.deliberation.vocabulary import OWNERS_RULES, Choice, DecisionRule, ItemResult
from domain.rulepacks.model import Threshold

# Civil Code art. 278 para. 2: ordinary matters > 1/2, major matters >= 3/4 of the participating area and owners.
ORDINARY = Threshold(Fraction(1, 2), inclusive=False)
MAJOR = Threshold(Fraction(3, 4), inclusive=True)
# Committee decision rules name their own fractions.
MAJORITY = Threshold(Fraction(1, 2), inclusive=False)
TWO_THIRDS = Threshold(Fraction(2, 3), inclusive=True)

RULE_NAMES = {
    DecisionRule.MAJORITY_OF_PRESENT: "出席人数过半数同意",
    DecisionRule.MAJORITY_OF_ALL_MEMBERS: "全体成员过半数同意",
    DecisionRule.TWO_THIRDS_OF_PRESENT: "出席人数三分之二以上同意",
    DecisionRule.CONSENSUS: "协商一致（无人反对）",
    DecisionRule.OWNERS_ORDINARY: "业主共同决定一般事项（民法典第278条第2款）",
    DecisionRule.OWNERS_MAJOR: "业主共同决定重大事项（民法典第278条第2款）",
}


@dataclass(frozen=True)
class UnitHolding:
    """An exclusive unit (专有部分) with its recorded area and its current owners."""

    unit_id: str
    area: Decimal
    owner_ids: frozenset[str]
    building_id: str | None = None
    entrance_id: str | None = None
    # Persons who vote for an organisational owner (the developer's representative): they cast the seat's ballot
    # but their own units are not folded into it.
    representative_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Scope:
    """Voting on a partly shared part (部分共用部分): one building, or one entrance of it."""

    building_id: str | None = None
    entrance_id: str | None = None

    def covers(self, unit: UnitHolding) -> bool:
        return (self.building_id is None or unit.building_id == self.building_id) and (
            self.entrance_id is None or unit.entrance_id == self.entrance_id
        )


@dataclass(frozen=True)
class Seat:
    """One owner by head (区分所有权解释 art. 9) with the summed area of its units."""

    key: str
    unit_ids: tuple[str, ...]
    owner_ids: frozenset[str]
    area: Decimal
    representative_ids: frozenset[str] = frozenset()

    @property
    def voter_ids(self) -> frozenset[str]:
        """Who may cast this seat's ballot: its owners (persons) and the representatives of organisational owners."""
        return self.owner_ids | self.representative_ids


@dataclass(frozen=True)
class Ballot:
    voter_id: str
    choice: Choice


@dataclass(frozen=True)
class Tally:
    rule: DecisionRule
    eligible_voters: int
    participating_voters: int
    agree_voters: int
    oppose_voters: int
    abstain_voters: int
    eligible_area: Decimal | None
    participating_area: Decimal | None
    agree_area: Decimal | None
    participation_met: bool
    passed: bool
    explanation: str
    oppose_area: Decimal | None = None
    abstain_area: Decimal | None = None

    @property
    def result(self) -> ItemResult:
        return ItemResult.PASSED if self.passed else ItemResult.FAILED

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe (areas as exact strings), for storage and for live events."""
        return {
            name: (str(value) if isinstance(value, Decimal) else value)
            for name, value in ((f.name, getattr(self, f.name)) for f in fields(self))
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Tally:
        area = {"eligible_area", "participating_area", "agree_area", "oppose_area", "abstain_area"}
        values = {k: (Decimal(v) if k in area and v is not None else v) for k, v in data.items()}
        return cls(**{**values, "rule": DecisionRule(values["rule"])})


def seats(
    units: Iterable[UnitHolding], *, developer_ids: Collection[str] = frozenset(), scope: Scope | None = None
) -> tuple[Seat, ...]:
    """Seats by head under 区分所有权解释 art. 9: one unit is one seat; units sharing an owner (a buyer of several
    units, co-owners) collapse into one seat; all units still held by the developer count as one seat."""
    chosen = [u for u in units if scope is None or scope.covers(u)]
    parent = {u.unit_id: u.unit_id for u in chosen}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_unit_of: dict[str, str] = {}
    developers = set(developer_ids)
    for unit in chosen:
        # Several developer entities still count as one seat: fold them into one owner.
        owners = {"developer" if o in developers else o for o in unit.owner_ids}
        for owner in owners:
            other = first_unit_of.setdefault(owner, unit.unit_id)
            parent[root(unit.unit_id)] = root(other)
    groups: dict[str, list[UnitHolding]] = {}
    for unit in chosen:
        groups.setdefault(root(unit.unit_id), []).append(unit)
    result = []
    for members in groups.values():
        ids = tuple(sorted(u.unit_id for u in members))
        owner_ids = frozenset(o for u in members for o in u.owner_ids)
        representatives = frozenset(r for u in members for r in u.representative_ids)
        result.append(Seat(ids[0], ids, owner_ids, sum((u.area for u in members), Decimal(0)), representatives))
    return tuple(sorted(result, key=lambda s: s.key))


def seat_of(voter_id: str, all_seats: Iterable[Seat]) -> Seat | None:
    """The seat a voter casts for: their own (as an owner) before one they represent (the developer's)."""
    seats_ = list(all_seats)
    return next((s for s in seats_ if voter_id in s.owner_ids), None) or next(
        (s for s in seats_ if voter_id in s.representative_ids), None
    )


def percent(part: Decimal | int, whole: Decimal | int) -> str:
    if whole == 0:
        return "—"
    share = Fraction(part) / Fraction(whole) * 100
    return f"{(Decimal(share.numerator) / Decimal(share.denominator)).quantize(Decimal('0.01'), ROUND_HALF_UP)}%"


def _verdict(ok: bool) -> str:
    return "达到" if ok else "未达到"


@dataclass(frozen=True)
class Count:
    """Seats by head and their summed area: one column of an owners' tally."""

    voters: int = 0
    area: Decimal = Decimal(0)

    def __add__(self, other: Count) -> Count:
        return Count(self.voters + other.voters, self.area + other.area)


@dataclass(frozen=True)
class Figures:
    """What an art. 278 verdict needs: the electorate and the participating seats by choice. A running tally kept
    ballot by ballot and a recount from the stored ballots must arrive at equal Figures."""

    eligible: Count
    agree: Count = Count()
    oppose: Count = Count()
    abstain: Count = Count()

    @property
    def participating(self) -> Count:
        return self.agree + self.oppose + self.abstain

    def plus(self, choice: Choice, seat: Count) -> Figures:
        name = choice.value.lower()
        return Figures(**{**{f.name: getattr(self, f.name) for f in fields(self)}, name: getattr(self, name) + seat})


def owners_figures(all_seats: Collection[Seat], ballots: Iterable[Ballot]) -> Figures:
    # an owner votes for their own seat; a representative for the organisation's seat they represent
    by_owner = {r: s for s in all_seats for r in s.representative_ids} | {o: s for s in all_seats for o in s.owner_ids}
    counted: dict[str, tuple[Seat, Choice]] = {}
    for ballot in ballots:
        seat = by_owner.get(ballot.voter_id)
        if seat is not None:
            counted.setdefault(seat.key, (seat, ballot.choice))  # co-owners cast one ballot: the first stands
    figures = Figures(Count(len(all_seats), sum((s.area for s in all_seats), Decimal(0))))
    for seat, choice in counted.values():
        figures = figures.plus(choice, Count(1, seat.area))
    return figures


def owners_tally(
    rule: DecisionRule, all_seats: Collection[Seat], ballots: Iterable[Ballot], *, participation: Threshold
) -> Tally:
    """Civil Code art. 278: participation >= 2/3 (rule pack) of area and heads, then the matter's double majority
    of the participating area and heads. An abstention participates but does not agree."""
    if rule not in OWNERS_RULES:
        raise ValueError(f"{rule} is not an owners' rule")
    return owners_verdict(rule, owners_figures(all_seats, ballots), participation=participation)


def owners_verdict(rule: DecisionRule, figures: Figures, *, participation: Threshold) -> Tally:
    """The art. 278 verdict on figures however they were counted (recount, or the running tally)."""
    if rule not in OWNERS_RULES:
        raise ValueError(f"{rule} is not an owners' rule")
    eligible_n, eligible_area = figures.eligible.voters, figures.eligible.area
    part_n, part_area = figures.participating.voters, figures.participating.area
    agree_n, agree_area = figures.agree.voters, figures.agree.area
    oppose_n, oppose_area = figures.oppose.voters, figures.oppose.area
    abstain_n, abstain_area = figures.abstain.voters, figures.abstain.area
    by_head, by_area = participation.met(part_n, eligible_n), participation.met(part_area, eligible_area)
    participation_met = by_head and by_area
    threshold = MAJOR if rule is DecisionRule.OWNERS_MAJOR else ORDINARY
    agree_head, agree_by_area = threshold.met(agree_n, part_n), threshold.met(agree_area, part_area)
    passed = participation_met and agree_head and agree_by_area
    explanation = (
        f"规则：{RULE_NAMES[rule]}。"
        f"表决范围内专有部分总面积 {eligible_area}㎡，业主 {eligible_n} 人（按区分所有权解释第9条计）。"
        f"参与表决 {part_n} 人（{percent(part_n, eligible_n)}）、面积 {part_area}㎡（{percent(part_area, eligible_area)}），"
        f"须人数和面积均 {participation.describe()}：人数{_verdict(by_head)}，面积{_verdict(by_area)}。"
        f"同意 {agree_n} 人（占参与人数 {percent(agree_n, part_n)}）、面积 {agree_area}㎡"
        f"（占参与面积 {percent(agree_area, part_area)}），反对 {oppose_n} 人、面积 {oppose_area}㎡，"
        f"弃权 {abstain_n} 人、面积 {abstain_area}㎡（弃权计入参与、不计同意）；"
        f"须均 {threshold.describe()}：人数{_verdict(agree_head)}，面积{_verdict(agree_by_area)}。"
        f"结论：{'通过' if passed else '未通过'}。"
    )
    return Tally(
        rule, eligible_n, part_n, agree_n, oppose_n, abstain_n, eligible_area, part_area, agree_area,
        participation_met, passed, explanation, oppose_area=oppose_area, abstain_area=abstain_area,
    )


def committee_tally(
    rule: DecisionRule, *, eligible: Collection[str], present: Collection[str], ballots: Iterable[Ballot],
    all_members_decision: Threshold = MAJORITY,
) -> Tally:
    """Head-count rules of committee and joint meetings; `eligible` are the members (or the invited voters)."""
    if rule in OWNERS_RULES:
        raise ValueError(f"{rule} is an owners' rule")
    members = set(eligible)
    counted: dict[str, Choice] = {}
    for ballot in ballots:
        if ballot.voter_id in members:
            counted.setdefault(ballot.voter_id, ballot.choice)
    choices = list(counted.values())
    agree, oppose, abstain = (choices.count(c) for c in (Choice.AGREE, Choice.OPPOSE, Choice.ABSTAIN))
    present_n = len(members & set(present))
    if rule is DecisionRule.MAJORITY_OF_ALL_MEMBERS:
        # The pack's committee_decision: 指导规则 "全体委员半数以上" (>= 1/2); 京条例 art. 45, 沪规定 art. 26,
        # 鲁条例 art. 32 "过半数" (> 1/2).
        base, threshold, base_name = len(members), all_members_decision, "全体成员"
    elif rule is DecisionRule.CONSENSUS:
        base, threshold, base_name = present_n, None, "出席人数"
    else:
        threshold = TWO_THIRDS if rule is DecisionRule.TWO_THIRDS_OF_PRESENT else MAJORITY
        base, base_name = present_n, "出席人数"
    participation_met = len(counted) > 0
    if threshold is None:
        passed = participation_met and agree > 0 and oppose == 0
        need = "须无人反对且至少一人同意"
    else:
        passed = participation_met and threshold.met(agree, base)
        need = f"须同意人数占{base_name} {threshold.describe()}（{agree}/{base}，{percent(agree, base)}）"
    explanation = (
        f"规则：{RULE_NAMES[rule]}。有表决权 {len(members)} 人，出席 {present_n} 人，投票 {len(counted)} 人："
        f"同意 {agree}，反对 {oppose}，弃权 {abstain}。{need}。结论：{'通过' if passed else '未通过'}。"
    )
    return Tally(
        rule, len(members), len(counted), agree, oppose, abstain, None, None, None, participation_met, passed,
        explanation,
    )

