"""What follows a publication: the firm's grade on PropertyFirm and compounds, the 虚拟物业超市, the overview,
and that every list costs the same number of statements for 5 items as for 50."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest
import time_machine

from domain.accounts.rules import Role, Viewer
from domain.bodies.rules import BodyKind
from domain.committees.models import OwnersBody
from domain.committees.values import CommitteeKind, Status
from domain.evaluation.models import CreditEvent, Inspection, InspectionFinding
from domain.evaluation.runs import publish_evaluation, run_credit_evaluation
from domain.evaluation.scoring import CreditEventKind
from domain.firms.rules import PartyOrganisation
from domain.geography.rules import ManagementMode
from tests import factories as f
from tests.api.test_evaluation_support import RED_BLACK_LIST, shanghai
from tests.conftest import count_queries, make_token, truncate_all

CENTRE = Viewer(account_id=None, username="test", roles=frozenset({Role.CENTRE_ADMIN}))
AFTER_Q3 = shanghai(2026, 10, 8)


async def _publish(street, period="2026-Q3"):
    with time_machine.travel(AFTER_Q3, tick=False):
        now = datetime.now(UTC)
        evaluation = await run_credit_evaluation(actor=CENTRE, period=period, street_id=street.id, now=now)
        return await publish_evaluation(actor=CENTRE, evaluation_id=evaluation.id, now=now)


async def _good(firm, points="5"):
    await CreditEvent.create(firm_id=firm.id, kind=CreditEventKind.GOOD, points=points, reason="表彰",
                             occurred_on=date(2026, 8, 1), valid_until=date(2027, 8, 1), created_at=AFTER_Q3)


async def test_a_compound_shows_the_grade_and_listing_of_its_serving_firm(gql, db):
    street = await f.street()
    served = await f.compound(await f.community(street))
    firm = await f.firm("红榜物业")
    await f.contract(firm, served)
    await _good(firm)
    query = "query($id: ID!) { compound(id: $id) { servingFirm { name creditGrade listing } } }"
    token = await make_token(Role.CENTRE_STAFF)
    before = await gql(query, {"id": f.gid("Compound", served.id)}, token=token)

    await _publish(street)
    after = await gql(query, {"id": f.gid("Compound", served.id)}, token=token)

    assert before["compound"]["servingFirm"] == {"name": "红榜物业", "creditGrade": None, "listing": "NONE"}
    assert after["compound"]["servingFirm"] == {"name": "红榜物业", "creditGrade": "AAA", "listing": "RED"}


async def test_a_compound_without_a_firm_is_offered_red_listed_firms_nearest_first(gql, db):
    street = await f.street()
    home, elsewhere = await f.community(street), await f.community(street)
    orphan = await f.compound(home, mode=ManagementMode.NONE)
    near, far, plain = await f.firm("近邻物业"), await f.firm("远方物业"), await f.firm("普通物业")
    await f.contract(near, await f.compound(home))
    await f.contract(far, await f.compound(elsewhere))
    await f.contract(plain, await f.compound(home))
    await _good(near)
    await _good(far, "10")
    await _publish(street)
    token = await make_token(Role.STREET_STAFF, street_id=street.id)

    data = await gql("query($id: ID!) { firmRecommendations(compoundId: $id) { firm { name } grade proximity } }",
                     {"id": f.gid("Compound", orphan.id)}, token=token)

    assert data["firmRecommendations"] == [
        {"firm": {"name": "近邻物业"}, "grade": "AAA", "proximity": "SAME_COMMUNITY"},
        {"firm": {"name": "远方物业"}, "grade": "AAA", "proximity": "SAME_STREET"},
    ]


async def test_the_governance_overview_reports_the_streets_figures(gql, db):
    street = await f.street()
    community = await f.community(street)
    with_committee = await f.compound(community, is_red_property=True)
    professional = await f.compound(community)
    await f.compound(community, mode=ManagementMode.NONE)
    await f.compound(community, mode=ManagementMode.COMMUNITY_CUSTODIAL)
    await f.contract(await f.firm(party=PartyOrganisation.OWN_BRANCH), with_committee)
    await f.contract(await f.firm(party=PartyOrganisation.NONE), professional)
    committee = await f.body(BodyKind.OWNERS_COMMITTEE, community)
    await OwnersBody.create(body_id=committee.id, compound_id=with_committee.id,
                            kind=CommitteeKind.OWNERS_COMMITTEE, status=Status.ACTIVE,
                            elected_on=date(2026, 1, 10), term_ends_on=date(2030, 1, 9),
                            seat_count=4, rule_pack="national@2026.1", live_compound_id=with_committee.id,
                            created_at=AFTER_Q3)
    for party in (True, True, False, False):
        await f.membership(committee, await f.person(party=party))
    await f.compound(await f.community(await f.street()))  # another street: not counted
    token = await make_token(Role.STREET_STAFF, street_id=street.id)

    data = await gql("""query($id: ID) { governanceOverview(scopeId: $id) {
        compoundCount compoundsByManagementMode { mode count } committeeFormationRate partyMemberShareInCommittees
        redPropertyCount firmPartyOrganisationCoverage crossAppointmentCount } }""",
                     {"id": f.gid("Street", street.id)}, token=token)

    overview = data["governanceOverview"]
    assert {m["mode"]: m["count"] for m in overview.pop("compoundsByManagementMode")} == {
        "PROFESSIONAL_FIRM": 2, "COMMUNITY_CUSTODIAL": 1, "SELF_MANAGED": 0, "NONE": 1}
    assert overview == {
        "compoundCount": 4, "committeeFormationRate": "0.2500", "partyMemberShareInCommittees": "0.5000",
        "redPropertyCount": 1, "firmPartyOrganisationCoverage": "0.5000", "crossAppointmentCount": 0}


async def test_the_overview_of_another_street_is_forbidden(gql, db):
    street, other = await f.street(), await f.street()
    token = await make_token(Role.STREET_STAFF, street_id=street.id)

    body = await gql("query($id: ID) { governanceOverview(scopeId: $id) { compoundCount } }",
                     {"id": f.gid("Street", other.id)}, token=token, expect_errors=True)

    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]


async def _listed_firms(count):
    street = await f.street()
    community = await f.community(street)
    for i in range(count):
        firm = await f.firm(f"物业{i:02d}")
        await f.contract(firm, await f.compound(community))
        await _good(firm)
    return street, await _publish(street)


@pytest.mark.parametrize("document", [
    RED_BLACK_LIST,
    """query($period: Period!) { redBlackList(period: $period) { publications { street { name } } } }""",
])
async def test_the_public_list_costs_the_same_statements_for_5_firms_as_for_50(gql, db, document):
    await _listed_firms(5)
    with count_queries() as few:
        small = await gql(document, {"period": "2026-Q3"})
    await truncate_all()
    await _listed_firms(50)
    with count_queries() as many:
        large = await gql(document, {"period": "2026-Q3"})

    assert len(many) == len(few)
    if "red" in small["redBlackList"]:
        assert (len(small["redBlackList"]["red"]), len(large["redBlackList"]["red"])) == (5, 50)


async def test_evaluation_results_cost_the_same_statements_for_5_firms_as_for_50(gql, db):
    document = """query($id: ID!) { evaluation(id: $id) { results {
        score firm { name creditGrade listing } inspections { id } creditEvents { id kind } } } }"""
    token = await make_token(Role.CENTRE_STAFF)
    _, five = await _listed_firms(5)
    with count_queries() as few:
        await gql(document, {"id": f.gid("Evaluation", five.evaluation_id)}, token=token)
    _, fifty = await _listed_firms(50)
    with count_queries() as many:
        data = await gql(document, {"id": f.gid("Evaluation", fifty.evaluation_id)}, token=token)

    assert len(data["evaluation"]["results"]) == 50
    assert len(many) == len(few)


async def _inspected(count):
    street = await f.street()
    community = await f.community(street)
    for _ in range(count):
        firm, compound = await f.firm(), await f.compound(community)
        await f.contract(firm, compound)
        inspection = await Inspection.create(
            firm_id=firm.id, compound_id=compound.id, inspected_on=date(2026, 8, 1), total_deduction="1.00",
            rectify_by=date(2026, 8, 9), created_at=AFTER_Q3)
        await InspectionFinding.create(inspection_id=inspection.id, position=0, item="保洁", deduction="1.00")
        await CreditEvent.create(firm_id=firm.id, kind=CreditEventKind.BAD, points="1", reason="投诉",
                                 occurred_on=date(2026, 8, 2), valid_until=date(2027, 8, 2), created_at=AFTER_Q3)


@pytest.mark.parametrize("document", [
    "{ inspections(first: 100) { totalCount edges { node { totalDeduction rectificationStatus "
    "findings { item } firm { name creditGrade } compound { name } } } } }",
])
async def test_inspections_cost_the_same_statements_for_5_as_for_50(gql, db, document):
    token = await make_token(Role.CENTRE_STAFF)
    await _inspected(5)
    with count_queries() as few:
        await gql(document, token=token)
    await _inspected(45)
    with count_queries() as many:
        data = await gql(document, token=token)

    assert data["inspections"]["totalCount"] == 50
    assert len(many) == len(few)


async def test_with_several_streets_the_public_list_joins_them_under_a_digest_of_their_hashes(gql, db):
    first, _ = await _listed_firms(2)
    await _listed_firms(3)

    data = await gql("""query($period: Period!, $street: ID) {
        all: redBlackList(period: $period) { contentHash red { score } publications { contentHash } }
        one: redBlackList(period: $period, streetId: $street) { contentHash red { score } } }""",
                     {"period": "2026-Q3", "street": f.gid("Street", first.id)})

    hashes = sorted(p["contentHash"] for p in data["all"]["publications"])
    assert data["all"]["contentHash"] == hashlib.sha256("\n".join(hashes).encode()).hexdigest()
    assert (len(data["all"]["red"]), len(data["one"]["red"])) == (5, 2)
    assert data["one"]["contentHash"] in hashes
