"""Committee indicators for the governance overview: formation rate, Party-member share, cross-appointments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from fractions import Fraction

from tortoise.expressions import Q

from domain.bodies.models import Membership
from domain.committees.facts import current
from domain.committees.models import CrossAppointment, OwnersBody
from domain.committees.rules import formation_rate
from domain.geography.models import Compound
from domain.calendar import local_date


@dataclass(frozen=True)
class CommitteeIndicators:
    compound_count: int
    compounds_with_body: int
    formation_rate: Fraction | None
    seat_count: int
    party_member_seat_count: int
    party_member_share: Fraction | None
    cross_appointment_count: int


async def committee_indicators(compound_ids: list[int] | None, *, today: date | None = None) -> CommitteeIndicators:
    """Over the given compounds (None: every compound not merged into another); four queries whatever the size."""
    today = today or local_date(datetime.now(UTC))
    if compound_ids is None:
        compound_ids = list(await Compound.filter(merged_into_id__isnull=True).values_list("id", flat=True))
    ids = list(set(compound_ids))
    in_office = await OwnersBody.filter(live_compound_id__in=ids, term_ends_on__gte=today).values_list(
        "compound_id", "body_id"
    )
    party_flags = await Membership.filter(current(today), body_id__in=[b for _, b in in_office]).values_list(
        "person__is_party_member", flat=True
    )
    communities = await Compound.filter(id__in=ids).values_list("community_id", flat=True)
    cross = await CrossAppointment.filter(
        Q(compound_id__in=ids) | Q(compound_id__isnull=True, community_id__in=list(set(communities))),
        Q(concurrent_membership__ends_on__isnull=True) | Q(concurrent_membership__ends_on__gte=today),
    ).count()
    seats, party = len(party_flags), sum(1 for flag in party_flags if flag)
    return CommitteeIndicators(
        compound_count=len(ids),
        compounds_with_body=len({c for c, _ in in_office}),
        formation_rate=formation_rate(len({c for c, _ in in_office}), len(ids)),
        seat_count=seats,
        party_member_seat_count=party,
        party_member_share=Fraction(party, seats) if seats else None,
        cross_appointment_count=cross,
    )
