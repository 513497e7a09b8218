"""Service-contract coverage, read the same way by every area: a contract terminated on day T serves until T - 1."""

from datetime import date

from domain.firms.coverage import coverage_in_force, serving_firm_ids
from domain.firms.models import ServiceContract
from tests import factories

DAY = date(2026, 6, 1)


async def test_a_contract_terminated_later_still_serves_and_one_terminated_today_does_not(db):
    later, today = await factories.compound(), await factories.compound()
    firm = await factories.firm()
    for compound, terminated_on in ((later, date(2026, 7, 1)), (today, DAY)):
        contract = await factories.contract(firm, compound)
        await ServiceContract.filter(id=contract.id).update(terminated_on=terminated_on)

    serving = await serving_firm_ids([later.id, today.id], DAY)

    assert serving == {later.id: firm.id}


async def test_coverage_over_a_period_includes_contracts_ending_or_starting_inside_it(db):
    early, late, outside = [await factories.compound() for _ in range(3)]
    firm = await factories.firm()
    await factories.contract(firm, early, starts_on=date(2025, 1, 1), ends_on=date(2026, 7, 15))
    await factories.contract(firm, late, starts_on=date(2026, 9, 30), ends_on=date(2028, 1, 1))
    await factories.contract(firm, outside, starts_on=date(2026, 10, 1), ends_on=date(2028, 1, 1))

    covered = await coverage_in_force(date(2026, 7, 1), date(2026, 9, 30)).values_list("compound_id", flat=True)

    assert sorted(covered) == sorted([early.id, late.id])
