"""updateCompound and consolidateCompounds (合零为整): changes, lineage, typed errors, jurisdiction."""

import pytest

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.geography.models import Compound
from tests import factories
from tests.conftest import make_token
from tests.factories import gid

UPDATE = """mutation($input: UpdateCompoundInput!) { updateCompound(input: $input) {
  compound { name managementMode isRedProperty isStandardised } errors { code field } } }"""
CONSOLIDATE = """mutation($input: ConsolidateCompoundsInput!) { consolidateCompounds(input: $input) {
  compound { name mergedFrom { name } } merged { name mergedOn mergedInto { name } } errors { code field } } }"""


async def test_staff_recognise_a_red_property_and_change_the_management_mode(gql, admin_token):
    compound = await factories.compound(name="老街小区")

    data = await gql(UPDATE, {"input": {"compoundId": gid("Compound", compound.id), "isRedProperty": True,
                                        "managementMode": "COMMUNITY_CUSTODIAL"}}, token=admin_token)

    assert data["updateCompound"] == {"compound": {"name": "老街小区", "managementMode": "COMMUNITY_CUSTODIAL",
                                                   "isRedProperty": True, "isStandardised": False}, "errors": []}
    row = await Compound.get(id=compound.id)
    assert row.is_red_property and row.management_mode == "COMMUNITY_CUSTODIAL"
    assert await AuditEvent.filter(action="updateCompound").count() == 1


@pytest.mark.parametrize("_case, changes, code", [
    ("_case empty change", {}, "INVALID"),
    ("_case blank name", {"name": " "}, "INVALID"),
])
async def test_an_invalid_update_changes_nothing(gql, admin_token, _case, changes, code):
    compound = await factories.compound(name="老街小区")

    data = await gql(UPDATE, {"input": {"compoundId": gid("Compound", compound.id), **changes}}, token=admin_token)

    assert data["updateCompound"]["errors"][0]["code"] == code
    assert (await Compound.get(id=compound.id)).name == "老街小区"
    assert await AuditEvent.filter(action="updateCompound").count() == 0


async def test_street_staff_of_another_street_may_not_update_a_compound(gql, db):
    compound = await factories.compound()
    other = await factories.street()
    token = await make_token(Role.STREET_STAFF, street_id=other.id)

    data = await gql(UPDATE, {"input": {"compoundId": gid("Compound", compound.id), "isRedProperty": True}},
                     token=token)

    assert data["updateCompound"]["errors"] == [{"code": "FORBIDDEN", "field": None}]
    assert not (await Compound.get(id=compound.id)).is_red_property


async def test_small_compounds_join_one_management_area_and_keep_their_lineage(gql, admin_token):
    community = await factories.community()
    target = await factories.compound(community, "幸福家园")
    small = [await factories.compound(community, name) for name in ("一号院", "二号院")]

    data = await gql(CONSOLIDATE, {"input": {"intoCompoundId": gid("Compound", target.id),
                                             "compoundIds": [gid("Compound", c.id) for c in small],
                                             "mergedOn": "2026-10-01"}}, token=admin_token)

    assert data["consolidateCompounds"]["errors"] == []
    assert data["consolidateCompounds"]["compound"] == {"name": "幸福家园", "mergedFrom": [{"name": "一号院"},
                                                                                          {"name": "二号院"}]}
    assert data["consolidateCompounds"]["merged"] == [
        {"name": "一号院", "mergedOn": "2026-10-01", "mergedInto": {"name": "幸福家园"}},
        {"name": "二号院", "mergedOn": "2026-10-01", "mergedInto": {"name": "幸福家园"}},
    ]


async def test_a_compound_is_merged_only_once_and_only_within_its_street(gql, admin_token):
    community = await factories.community()
    target = await factories.compound(community, "幸福家园")
    small = await factories.compound(community, "一号院")
    elsewhere = await factories.compound(name="外街小区")
    first = {"intoCompoundId": gid("Compound", target.id), "compoundIds": [gid("Compound", small.id)],
             "mergedOn": "2026-10-01"}
    await gql(CONSOLIDATE, {"input": first}, token=admin_token)

    again = await gql(CONSOLIDATE, {"input": first}, token=admin_token)
    across = await gql(CONSOLIDATE, {"input": {**first, "compoundIds": [gid("Compound", elsewhere.id)]}},
                       token=admin_token)

    assert again["consolidateCompounds"]["errors"] == [{"code": "INVALID", "field": ["compoundIds"]}]
    assert across["consolidateCompounds"]["errors"] == [{"code": "INVALID", "field": ["compoundIds"]}]
    assert (await Compound.get(id=elsewhere.id)).merged_into_id is None
