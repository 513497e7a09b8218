"""compounds(filter: {hasOwnersCommittee}) — the frontend's "has an owners' committee" switch."""

from tests import factories
from tests.api.test_committees_support import clock, formed, world  # noqa: F401  (clock is an autouse fixture)
from tests.factories import gid

LIST = """query($filter: CompoundFilter) { compounds(filter: $filter, first: 50) { totalCount edges { node { name } } } }"""


async def test_compounds_filter_by_an_owners_committee_in_office(gql, db):
    w = await world()
    await formed(gql, w)
    await factories.compound(w.community, "无业委会小区")
    street = {"streetId": gid("Street", w.street.id)}

    with_committee = await gql(LIST, {"filter": {**street, "hasOwnersCommittee": True}})
    without = await gql(LIST, {"filter": {**street, "hasOwnersCommittee": False}})

    assert [e["node"]["name"] for e in with_committee["compounds"]["edges"]] == ["阳光花园"]
    assert [e["node"]["name"] for e in without["compounds"]["edges"]] == ["无业委会小区"]
    assert with_committee["compounds"]["totalCount"] == 1
