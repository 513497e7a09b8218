"""The developer votes (区分所有权解释 art. 9): registered as owner of its held units with a representative, who casts
the one seat's ballot with the whole held area. Six buyers of 100 m² and four developer units of 100 m²."""

from __future__ import annotations

from domain.bodies.rules import BodyKind
from domain.deliberation.models import Ballot
from domain.geography.models import Compound, Unit
from tests import factories as f
from tests.api.test_deliberation_support import build_world, cast, payload, voting
from tests.factories import gid

REGISTER = """
mutation Register($input: RegisterUnitsInput!) {
  registerUnits(input: $input) { units { id } errors { code field message } }
}"""
AGENDA = [{"title": "选聘物业服务企业", "decisionRule": "OWNERS_ORDINARY", "matter": "HIRE_OR_DISMISS_MANAGER"}]


def held(number: str) -> dict:
    return {"building": "9", "entrance": "1", "number": number, "kind": "DWELLING", "area": "100.00",
            "areaSource": "REGISTRY", "ownerIds": [], "heldByDeveloper": True}


async def developer_world(gql):
    w = await build_world(members=6)  # six buyers, one unit of 100 m² each
    developer = await f.body(BodyKind.OTHER, w.community, "宏达房地产开发有限公司")
    representative = await f.person("开发商代表")
    registered = await payload(gql, REGISTER, {
        "compoundId": gid("Compound", w.compound.id), "units": [held(n) for n in ("901", "902", "903", "904")],
        "developer": {"organisationId": gid("Organisation", developer.id),
                      "representativeId": gid("Person", representative.id)},
    }, w.staff_token)
    assert registered["errors"] == [], registered
    return w, developer, representative


async def test_the_developer_is_registered_as_owner_of_its_held_units(gql, db):
    w, developer, representative = await developer_world(gql)

    compound = await Compound.get(id=w.compound.id)
    assert (compound.developer_id, compound.developer_representative_id) == (developer.id, representative.id)
    assert await Unit.filter(compound_id=compound.id, held_by_developer=True).count() == 4


async def test_six_buyers_alone_do_not_reach_two_thirds_of_the_area(gql, db):
    w, _, _ = await developer_world(gql)
    _, item = await voting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=AGENDA, days_ago=16)

    for buyer in w.members:
        result = await cast(gql, w, item, buyer)

    tally = result["tally"]
    assert (tally["eligibleVoters"], tally["participatingVoters"]) == (7, 6)
    assert (tally["eligibleArea"], tally["participatingArea"]) == ("1000.00", "600.00")
    assert (tally["participationMet"], tally["passed"]) == (False, False)


async def test_the_representative_casts_one_seat_with_the_whole_held_area(gql, db):
    w, _, representative = await developer_world(gql)
    _, item = await voting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=AGENDA, days_ago=16)
    for buyer in w.members:
        await cast(gql, w, item, buyer)

    result = await cast(gql, w, item, representative)
    again = await cast(gql, w, item, representative, choice="OPPOSE")

    tally = result["tally"]
    assert result["errors"] == []
    assert (tally["eligibleVoters"], tally["participatingVoters"], tally["agreeVoters"]) == (7, 7, 7)
    assert (tally["participatingArea"], tally["agreeArea"]) == ("1000.00", "1000.00")
    assert tally["passed"] is True
    assert [e["code"] for e in again["errors"]] == ["ALREADY_VOTED"]
    assert await Ballot.filter(voter_id=representative.id).count() == 1


async def test_a_developer_without_held_units_in_the_batch_is_invalid(gql, db):
    w = await build_world()
    developer = await f.body(BodyKind.OTHER, w.community, "开发商")
    unsold = {**held("905"), "heldByDeveloper": False}

    result = await payload(gql, REGISTER, {
        "compoundId": gid("Compound", w.compound.id), "units": [unsold],
        "developer": {"organisationId": gid("Organisation", developer.id),
                      "representativeId": gid("Person", w.members[0].id)},
    }, w.staff_token)

    assert [(e["code"], e["field"]) for e in result["errors"]] == [("INVALID", ["developer"])]
    assert (await Compound.get(id=w.compound.id)).developer_id is None
    assert not await Unit.filter(number="905").exists()
