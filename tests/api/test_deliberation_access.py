"""Who reads which meetings: staff of the territory, participants, members of the convening body, and owners
for their compound's owners' assemblies; nobody else, whether by meeting(id:), node(id:) or a list."""

from domain.accounts.rules import Role
from tests import factories as f
from tests.api.test_deliberation_support import ITEM_TALLY, build_world, gid, schedule
from tests.conftest import make_token

READ = """
query Read($id: ID!, $compound: ID!) {
  meeting(id: $id) { id }
  node(id: $id) { id }
  compound(id: $compound) { meetings(first: 10) { totalCount } }
  meetings(first: 10) { totalCount }
}"""


async def read(gql, token, meeting_id, compound_id):
    data = await gql(READ, {"id": meeting_id, "compound": compound_id}, token=token)
    return (data["meeting"] is not None, data["node"] is not None, data["compound"]["meetings"]["totalCount"],
            data["meetings"]["totalCount"])


async def test_staff_of_the_territory_read_its_meetings_and_others_do_not(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)
    compound = gid("Compound", w.compound.id)
    community_staff = await make_token(Role.COMMUNITY_STAFF, community_id=w.community.id)
    elsewhere = await make_token(Role.STREET_STAFF, street_id=(await f.street()).id)

    assert await read(gql, w.staff_token, meeting["id"], compound) == (True, True, 1, 1)
    assert await read(gql, community_staff, meeting["id"], compound) == (True, True, 1, 1)
    assert await read(gql, w.admin_token, meeting["id"], compound) == (True, True, 1, 1)
    assert await read(gql, elsewhere, meeting["id"], compound) == (False, False, 0, 0)


async def test_members_and_participants_read_a_committee_meeting_but_an_owner_does_not(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)
    compound = gid("Compound", w.compound.id)
    member = await make_token(Role.COMMITTEE_MEMBER, person_id=w.members[3].id)
    owner = await f.person("业主")
    await f.unit(w.compound, owner, number="999")
    owner_token = await make_token(Role.OWNER, person_id=owner.id)
    firm_staff = await make_token(Role.FIRM_STAFF, firm_id=w.firm.id)

    assert await read(gql, member, meeting["id"], compound) == (True, True, 1, 1)
    assert await read(gql, owner_token, meeting["id"], compound) == (False, False, 0, 0)
    assert await read(gql, firm_staff, meeting["id"], compound) == (False, False, 0, 0)


async def test_owners_read_their_compounds_assembly_and_its_tally(gql, db):
    w = await build_world()
    agenda = [{"title": "选聘物业", "decisionRule": "OWNERS_ORDINARY", "matter": "HIRE_OR_DISMISS_MANAGER"}]
    assembly = await schedule(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", participants=[], agenda=agenda)
    await schedule(gql, w)
    owner = await f.person("业主")
    await f.unit(w.compound, owner, number="999")
    token = await make_token(Role.OWNER, person_id=owner.id)

    visible = await read(gql, token, assembly["id"], gid("Compound", w.compound.id))
    tally = (await gql(ITEM_TALLY, {"id": assembly["agenda"][0]["id"]}, token=token))["agendaItem"]

    assert visible == (True, True, 1, 1)
    assert tally["tally"]["eligibleVoters"] == 6  # the five members own a unit each, and the new owner


async def test_anonymous_viewers_read_no_meeting(gql, db):
    w = await build_world()
    meeting = await schedule(gql, w)

    body = await gql("query($id: ID!) { meeting(id: $id) { id } }", {"id": meeting["id"]}, expect_errors=True)
    node = await gql("query($id: ID!) { node(id: $id) { id } }", {"id": meeting["id"]})

    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert node["node"] is None
