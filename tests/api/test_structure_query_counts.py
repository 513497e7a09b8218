"""Every structure list issues as many SQL statements for 50 items as for 5: relations go through DataLoaders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from domain.bodies.rules import BodyKind, MembershipRole
from tests import factories as f
from tests.conftest import count_queries
from tests.factories import gid

# The front end's CompoundList (shared/contract/frontend/compounds.graphql), reduced to the fields of the foundation.
COMPOUND_LIST = """
query CompoundList($filter: CompoundFilter, $first: Int = 20, $after: String) {
  compounds(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id name address managementMode isRedProperty
        community { id name street { id name } }
        householdCount totalExclusiveArea
        servingFirm { id name creditCode partyOrganisation }
      }
    }
  }
}
"""

COMPOUND_DETAIL = """
query CompoundDetail($id: ID!) {
  compound(id: $id) {
    id name householdCount
    servingFirm { id name }
    units(first: 10) { totalCount edges { node { id number area owners { id name phone } } } }
  }
}
"""

STREETS = "query { streets(first: 100) { edges { node { name communities { name compounds { name } } } } } }"
FIRMS = """query { propertyFirms(first: 100) { totalCount edges { node { name memberships { role person { name } }
              contracts { status firm { name } compounds { name community { name } } } } } } }"""
CONTRACTS = "query { serviceContracts(first: 100) { edges { node { status firm { name } compounds { name } } } } }"
PERSONS = "query { persons(first: 100) { totalCount edges { node { name phone idNumber } } } }"
BODIES = """query Bodies($id: ID!) { bodies(communityId: $id) { __typename name kind
              memberships { role person { name } body { name } compound { name } } } }"""


async def statements(gql: Any, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> int:
    with count_queries() as sql:
        await gql(query, variables, token=token)
    return len(sql)


async def add_compounds_with_contracts(n: int, state: dict[str, Any]) -> None:
    for _ in range(n):
        community = await f.community(await f.street())
        compound = await f.compound(community)
        await f.contract(await f.firm(), compound)


async def test_the_compound_list_costs_the_same_for_5_and_50_compounds(gql, db):
    state: dict[str, Any] = {}
    await add_compounds_with_contracts(5, state)
    five = await statements(gql, COMPOUND_LIST, {"first": 100})

    await add_compounds_with_contracts(45, state)
    with count_queries() as sql:
        data = await gql(COMPOUND_LIST, {"first": 100})

    assert len(data["compounds"]["edges"]) == 50
    assert all(e["node"]["servingFirm"] is not None for e in data["compounds"]["edges"])
    assert len(sql) == five, sql


async def test_the_compound_detail_costs_the_same_for_2_and_10_units_with_owners(gql, admin_token):
    compound = await f.compound()
    await f.contract(await f.firm(), compound)

    async def add_units(n: int) -> None:
        for _ in range(n):
            await f.unit(compound, await f.person(), await f.person())

    await add_units(2)
    few = await statements(gql, COMPOUND_DETAIL, {"id": gid("Compound", compound.id)}, admin_token)
    await add_units(10)
    with count_queries() as sql:
        data = await gql(COMPOUND_DETAIL, {"id": gid("Compound", compound.id)}, token=admin_token)

    assert len(data["compound"]["units"]["edges"]) == 10
    assert all(len(e["node"]["owners"]) == 2 for e in data["compound"]["units"]["edges"])
    assert len(sql) == few, sql


async def _streets(n: int, state: dict[str, Any]) -> None:
    for _ in range(n):
        community = await f.community()
        await f.compound(community)
        await f.compound(community)


async def _firms(n: int, state: dict[str, Any]) -> None:
    for _ in range(n):
        firm = await f.firm()
        await f.contract(firm, await f.compound(), await f.compound())
        firm_body = await firm.body
        await f.membership(firm_body, await f.person(), MembershipRole.PROJECT_MANAGER)


async def _contracts(n: int, state: dict[str, Any]) -> None:
    for _ in range(n):
        await f.contract(await f.firm(), await f.compound())


async def _persons(n: int, state: dict[str, Any]) -> None:
    for _ in range(n):
        await f.person()


async def _bodies(n: int, state: dict[str, Any]) -> None:
    community = state.setdefault("community", await f.community())
    for i in range(n):
        kind = BodyKind.RESIDENTS_COMMITTEE if i % 2 else BodyKind.COMMUNITY_PARTY_ORGANISATION
        organisation = await f.body(kind, community)
        await f.membership(organisation, await f.person(), MembershipRole.GRID_WORKER,
                           compound_row=await f.compound(community))
    firm = await f.firm()
    firm_body = await firm.body
    firm_body.community_id = community.id
    await firm_body.save()


MEMBERSHIPS_OF = """query Posts($id: ID!) { membershipsOf(personId: $id) { role person { name } compound { name }
                      body { __typename name kind ... on PropertyFirm { creditCode } } } }"""
AUDIT_EVENTS = "query { auditEvents(first: 100) { totalCount edges { node { action actorUsername summary } } } }"


async def _posts_of_one_person(n: int, state: dict[str, Any]) -> None:
    person = state.setdefault("person", await f.person())
    for i in range(n):
        if i % 2:
            body = await f.body(BodyKind.RESIDENTS_COMMITTEE, await f.community())
        else:
            body = await (await f.firm()).body
        await f.membership(body, person, MembershipRole.QUALITY_SUPERVISOR, compound_row=await f.compound())


async def _audit_events(n: int, state: dict[str, Any]) -> None:
    from datetime import UTC, datetime

    from domain.accounts.rules import Viewer
    from domain.audit.service import record_event

    for i in range(n):
        await record_event(actor=Viewer(account_id=None, username="cli"), action="createStreet",
                           entity_type="Street", entity_id=i, summary=f"街道 {i}", now=datetime.now(UTC))


Builder = Callable[[int, dict[str, Any]], Awaitable[None]]


def _edges(root: str) -> Callable[[dict[str, Any]], int]:
    return lambda data: len(data[root]["edges"])


@pytest.mark.parametrize(
    ("_case", "query", "build", "size"),
    [
        ("streets with communities and compounds", STREETS, _streets, _edges("streets")),
        ("firms with posts, contracts and compounds", FIRMS, _firms, _edges("propertyFirms")),
        ("service contracts", CONTRACTS, _contracts, _edges("serviceContracts")),
        ("persons", PERSONS, _persons, _edges("persons")),
        ("bodies of a community with their posts", BODIES, _bodies,
         lambda data: sum(len(b["memberships"]) for b in data["bodies"])),
        ("posts of one person in firms and organisations", MEMBERSHIPS_OF, _posts_of_one_person,
         lambda data: len(data["membershipsOf"])),
        ("audit events", AUDIT_EVENTS, _audit_events, _edges("auditEvents")),
    ],
)
async def test_every_structure_list_costs_the_same_for_5_and_50_items(gql, admin_token, _case, query, build, size):
    state: dict[str, Any] = {}
    await build(5, state)
    variables = ({"id": gid("Community", state["community"].id)} if "community" in state
                 else {"id": gid("Person", state["person"].id)} if "person" in state else None)
    five = await statements(gql, query, variables, admin_token)

    await build(45, state)
    with count_queries() as sql:
        data = await gql(query, variables, token=admin_token)

    assert size(data) == 50
    assert len(sql) == five, sql
