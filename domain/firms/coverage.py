"""Which firm serves which compound when: the one reading of service-contract coverage every area uses."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.firms.models import ContractCompound


def coverage_in_force(first_day: date, last_day: date | None = None) -> QuerySet[ContractCompound]:
    """Coverage in force on some day of [first_day, last_day] (one day when last_day is None).

    A contract terminated on day T serves until T - 1 (firms.rules.contract_status).
    """
    last = last_day or first_day
    return ContractCompound.filter(
        Q(contract__terminated_on__isnull=True) | Q(contract__terminated_on__gt=first_day),
        starts_on__lte=last, ends_on__gte=first_day,
    )


async def serving_firm_ids(compound_ids: Iterable[int], day: date) -> dict[int, int]:
    """Compound → the firm serving it on `day` (物业管理条例 art. 33: at most one)."""
    rows = await coverage_in_force(day).filter(compound_id__in=list(compound_ids)).values_list(
        "compound_id", "firm_id_copy"
    )
    return dict(rows)
