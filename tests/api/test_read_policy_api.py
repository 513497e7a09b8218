"""The read policies through the API (issue 15 items 1 and 2): node(id:) for every Node type, role x inside/outside
the viewer's jurisdiction on both databases; nothing leaks through a parent; lists count only readable rows;
phone and ID number by jurisdiction."""

from __future__ import annotations

import pytest

from domain.geography.models import Compound, Person
from schema.core.policies import NODE_POLICIES
from tests.access_world import build_side, reads, tokens_for
from tests.conftest import count_queries
from tests.factories import gid

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"
VIEWERS = ["anonymous", "centre", "street", "community", "firm", "owner"]


@pytest.mark.parametrize("type_name", ["ReserveListing", "DeclaredRelation", "CrossAppointment", "Inspection",
                                       "CreditEvent", "Membership", "Person", "Unit", "Complaint", "Meeting"])
async def test_anonymous_callers_read_no_personal_or_supervisory_record_by_id(gql, db, type_name):
    side = await build_side("甲")

    data = await gql(NODE, {"id": gid(type_name, side.pk(NODE_POLICIES[type_name]))})

    assert data["node"] is None


async def test_a_negative_listing_is_not_readable_by_another_streets_staff(gql, db):
    a, b = await build_side("甲"), await build_side("乙")
    tokens = await tokens_for(a)
    doc = "query($id: ID!) { node(id: $id) { ... on ReserveListing { id note person { name } } } }"

    inside = await gql(doc, {"id": gid("ReserveListing", a.pk(NODE_POLICIES["ReserveListing"]))},
                       token=tokens["street"])
    outside = await gql(doc, {"id": gid("ReserveListing", b.pk(NODE_POLICIES["ReserveListing"]))},
                        token=tokens["street"])

    assert inside["node"]["note"] == "2019年因诈骗罪被判刑"
    assert outside["node"] is None


async def test_node_reads_follow_the_policy_for_every_type_role_and_side(gql, db):
    a, b = await build_side("甲"), await build_side("乙")
    tokens = await tokens_for(a)
    wrong = []
    for type_name, model in sorted(NODE_POLICIES.items()):
        for who in VIEWERS:
            for side, inside in ((a, True), (b, False)):
                found = (await gql(NODE, {"id": gid(type_name, side.pk(model))}, token=tokens[who]))["node"]
                if (found is not None) != reads(who, model, inside=inside):
                    wrong.append(f"{who} {'reads' if found else 'misses'} {type_name} "
                                 f"{'inside' if inside else 'outside'}")
    assert wrong == []


async def test_nothing_leaks_through_a_public_parent(gql, db):
    a, b = await build_side("甲"), await build_side("乙")
    tokens = await tokens_for(a)
    doc = """query($id: ID!) { compound(id: $id) { ownersCommittee { id }
               units(first: 10) { totalCount edges { node { id owners { id phone } } } } } }"""

    anonymous = await gql(doc.replace("units(first: 10) { totalCount edges { node { id owners { id phone } } } }", ""),
                          {"id": gid("Compound", b.pk(Compound))})
    staff = await gql(doc, {"id": gid("Compound", b.pk(Compound))}, token=tokens["community"])
    own = await gql(doc, {"id": gid("Compound", a.pk(Compound))}, token=tokens["community"])

    assert anonymous["compound"]["ownersCommittee"] is None
    assert staff["compound"]["ownersCommittee"] is None
    assert staff["compound"]["units"] == {"totalCount": 0, "edges": []}
    assert own["compound"]["units"]["totalCount"] == 5
    assert {o["phone"] for e in own["compound"]["units"]["edges"] for o in e["node"]["owners"]} >= {"13900000001"}


PERSONS = """query($first: Int) { persons(first: $first) { totalCount edges { node { id name phone idNumber } } } }"""


async def test_staff_lists_of_persons_hold_their_jurisdiction_only(gql, db):
    a, b = await build_side("甲"), await build_side("乙")
    tokens = await tokens_for(a)

    listed = await gql(PERSONS, {"first": 100}, token=tokens["community"])

    names = {e["node"]["name"] for e in listed["persons"]["edges"]}
    assert "甲业主" in names and "乙业主" not in names
    assert listed["persons"]["totalCount"] == len(names)


async def test_phone_and_id_number_are_shown_by_jurisdiction(gql, db):
    a = await build_side("甲")
    tokens = await tokens_for(a)
    relative = a.objects["relative"]
    doc = "query($id: ID!) { node(id: $id) { ... on Person { phone idNumber } } }"
    owner_id, relative_id = gid("Person", a.owner.id), gid("Person", relative.id)

    street_owner = (await gql(doc, {"id": owner_id}, token=tokens["street"]))["node"]
    street_relative = (await gql(doc, {"id": relative_id}, token=tokens["street"]))["node"]
    firm_owner = (await gql(doc, {"id": owner_id}, token=tokens["firm"]))["node"]
    owner_self = (await gql(doc, {"id": owner_id}, token=tokens["owner"]))["node"]

    assert street_owner == {"phone": "13900000001", "idNumber": a.owner.id_number}
    assert street_relative["phone"] == "138****5678"  # named in a declaration, but belongs elsewhere
    assert firm_owner["phone"] == "13900000001" and "*" in firm_owner["idNumber"]  # handles their open complaint
    assert owner_self == {"phone": "13900000001", "idNumber": a.owner.id_number}


async def test_a_masked_person_list_takes_the_same_statements_for_5_and_50_persons(gql, db):
    a = await build_side("甲")
    tokens = await tokens_for(a)
    for n in range(6):
        await build_side(f"乙{n}")  # persons outside the community: filtered in SQL, never loaded
    from tests import factories

    for n in range(50):
        await factories.unit(a.objects[Compound], await factories.person(f"新业主{n}"))

    with count_queries() as few:
        small = await gql(PERSONS, {"first": 5}, token=tokens["street"])
    with count_queries() as many:
        large = await gql(PERSONS, {"first": 50}, token=tokens["street"])

    assert len(small["persons"]["edges"]) == 5 and len(large["persons"]["edges"]) == 50
    assert len(few) == len(many)
    assert await Person.all().count() > large["persons"]["totalCount"]


UNITS = """query($id: ID!, $first: Int) { compound(id: $id) { units(first: $first) { totalCount
  edges { node { id owners { id name phone idNumber } } } } } }"""


async def test_units_with_masked_owners_take_the_same_statements_for_5_and_50_units(gql, db):
    from tests import factories

    a, b = await build_side("甲"), await build_side("乙")
    tokens = await tokens_for(a)
    compound = a.objects[Compound]
    for n in range(50):
        await factories.unit(compound, await factories.person(f"新业主{n}"), b.owner)  # co-owned with B's owner

    with count_queries() as few:
        small = await gql(UNITS, {"id": gid("Compound", compound.id), "first": 5}, token=tokens["community"])
    with count_queries() as many:
        large = await gql(UNITS, {"id": gid("Compound", compound.id), "first": 50}, token=tokens["community"])

    assert len(small["compound"]["units"]["edges"]) == 5 and len(large["compound"]["units"]["edges"]) == 50
    assert len(few) == len(many)
    owners = [o for e in large["compound"]["units"]["edges"] for o in e["node"]["owners"]]
    assert {o["phone"] for o in owners if o["name"].startswith("新业主")} == {"13812345678"}  # they own here
