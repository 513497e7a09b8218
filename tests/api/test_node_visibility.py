"""node(id:) hides what the viewer may not see: units from other owners, persons from anonymous callers, and
complaints outside the viewer's reach (the full matrix: test_read_policy_api.py)."""

from domain.accounts.rules import Role
from tests import factories
from tests.conftest import make_token
from tests.factories import gid

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"


async def test_a_unit_is_hidden_from_another_owner_but_shown_to_staff(gql, db):
    compound = await factories.compound()
    owner, neighbour = await factories.person(), await factories.person()
    unit = await factories.unit(compound, owner)
    await factories.unit(compound, neighbour)
    owner_token = await make_token(Role.OWNER, person_id=neighbour.id)
    staff_token = await make_token(Role.CENTRE_STAFF)

    hidden = await gql(NODE, {"id": gid("Unit", unit.id)}, token=owner_token)
    shown = await gql(NODE, {"id": gid("Unit", unit.id)}, token=staff_token)

    assert hidden["node"] is None
    assert shown["node"] == {"id": gid("Unit", unit.id), "__typename": "Unit"}


async def test_a_person_is_hidden_from_anonymous_callers(gql, db):
    person = await factories.person()

    data = await gql(NODE, {"id": gid("Person", person.id)})

    assert data["node"] is None


async def test_a_compound_is_public(gql, db):
    compound = await factories.compound()

    data = await gql(NODE, {"id": gid("Compound", compound.id)})

    assert data["node"]["__typename"] == "Compound"


FILE = """mutation($input: FileComplaintInput!) { fileComplaint(input: $input) { complaint { id } errors { code } } }"""


async def test_a_complaint_node_is_hidden_from_another_firms_staff(gql, db, admin_token):
    compound = await factories.compound()
    other_firm = await factories.firm()
    firm_token = await make_token(Role.FIRM_STAFF, firm_id=other_firm.id)
    filed = await gql(FILE, {"input": {
        "compoundId": gid("Compound", compound.id), "channel": "HOTLINE_12345", "kind": "COMPLAINT",
        "category": "电梯", "urgency": "ORDINARY", "title": "电梯停运", "description": "3号楼电梯停运两天",
        "complainant": {"name": "王芳", "phone": "13912345678"}}}, token=admin_token)
    complaint_id = filed["fileComplaint"]["complaint"]["id"]

    hidden = await gql(NODE, {"id": complaint_id}, token=firm_token)
    shown = await gql(NODE, {"id": complaint_id}, token=admin_token)

    assert hidden["node"] is None
    assert shown["node"] == {"id": complaint_id, "__typename": "Complaint"}
