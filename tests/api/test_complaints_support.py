"""A small world for the complaint API tests: one street, two communities, a firm, the units of each rung,
and a token per role. No tests here; the test_complaints_* modules import it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from domain.accounts.models import AccessToken
from domain.accounts.rules import Role
from domain.bodies.models import Body
from domain.bodies.rules import BodyKind
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Compound, Person, Street
from tests import factories as f
from tests.conftest import make_token

FILE = """
mutation FileComplaint($input: FileComplaintInput!) {
  fileComplaint(input: $input) {
    complaint { id number status channel urgency receivedAt }
    errors { code field message }
  }
}"""

ACTION = """
mutation Act($input: %(input)s!) {
  %(name)s(input: $input) {
    complaint { id status dueAt reopenCount escalationLevel closedAt handler { id name } }
    errors { code field message }
  }
}"""

TIMELINE = """
query ComplaintTimeline($id: ID!) {
  complaint(id: $id) {
    id number status isOverdue dueAt reopenCount availableActions
    timeline { at action fromStatus toStatus note actor { username } }
  }
}"""

INPUTS = {
    "acceptComplaint": "ComplaintActionInput",
    "acknowledgeComplaint": "ComplaintActionInput",
    "closeComplaint": "ComplaintActionInput",
    "reportComplaintProgress": "ComplaintActionInput",
    "rejectComplaint": "RejectComplaintInput",
    "dispatchComplaint": "DispatchComplaintInput",
    "resolveComplaint": "ResolveComplaintInput",
    "recordReturnVisit": "RecordReturnVisitInput",
    "escalateComplaint": "EscalateComplaintInput",
    "extendComplaint": "ExtendComplaintInput",
}


@dataclass
class World:
    street: Street
    community: Community
    other_community: Community
    compound: Compound
    other_compound: Compound
    firm: PropertyFirm
    other_firm: PropertyFirm
    committee: Body
    street_office: Body
    district: Body
    owner: Person
    tokens: dict[str, str]

    @property
    def firm_gid(self) -> str:
        return f.gid("PropertyFirm", self.firm.id)


async def build_world(rule_pack: str = "national") -> World:
    street = await f.street(rule_pack=rule_pack)
    community = await f.community(street)
    other_street = await f.street(rule_pack=rule_pack)
    other_community = await f.community(other_street)
    compound = await f.compound(community)
    other_compound = await f.compound(other_community)
    firm, other_firm = await f.firm(), await f.firm()
    committee = await f.body(BodyKind.RESIDENTS_COMMITTEE, community)
    street_office = await Body.create(kind=BodyKind.STREET_OFFICE, name="测试街道办", street_id=street.id,
                                      created_at=f.NOW)
    district = await Body.create(kind=BodyKind.DISTRICT_CENTRE, name="区接诉即办中心", created_at=f.NOW)
    owner = await f.person(name="张三", phone="13812345678")
    await f.unit(compound, owner)
    tokens = {
        "centre": await make_token(Role.CENTRE_STAFF, username="centre"),
        "street": await make_token(Role.STREET_STAFF, username="street", street_id=street.id),
        "other_street": await make_token(Role.STREET_STAFF, username="other-street", street_id=other_street.id),
        "community": await make_token(Role.COMMUNITY_STAFF, username="community", community_id=community.id),
        "other_community": await make_token(Role.COMMUNITY_STAFF, username="other-community",
                                            community_id=other_community.id),
        "firm": await make_token(Role.FIRM_STAFF, username="firm", firm_id=firm.id),
        "other_firm": await make_token(Role.FIRM_STAFF, username="other-firm", firm_id=other_firm.id),
        "owner": await make_token(Role.OWNER, username="owner", person_id=owner.id),
        "committee_member": await make_token(Role.COMMITTEE_MEMBER, username="member", person_id=owner.id),
    }
    # time-machine moves the clock for weeks in these tests; the tokens must outlive it
    await AccessToken.all().update(expires_at=datetime(2100, 1, 1, tzinfo=UTC))
    return World(street, community, other_community, compound, other_compound, firm, other_firm, committee,
                 street_office, district, owner, tokens)


def intake(world: World, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "compoundId": f.gid("Compound", world.compound.id),
        "channel": "HOTLINE_12345",
        "kind": "COMPLAINT",
        "category": "电梯",
        "urgency": "ORDINARY",
        "title": "3号楼电梯停运",
        "description": "电梯停运两天",
        "complainant": {"name": "张三", "phone": "13812345678"},
        "externalRef": "12345-20260930-0001",
    }
    values.update(overrides)
    return values


async def file(gql: Any, world: World, token: str = "street", **overrides: Any) -> dict[str, Any]:
    data = await gql(FILE, {"input": intake(world, **overrides)}, token=world.tokens[token])
    payload = data["fileComplaint"]
    assert payload["errors"] == [], payload["errors"]
    return payload["complaint"]


async def act(gql: Any, world: World, name: str, token: str, **values: Any) -> dict[str, Any]:
    """Sends one lifecycle mutation; returns its payload (complaint + errors)."""
    document = ACTION % {"input": INPUTS[name], "name": name}
    data = await gql(document, {"input": values}, token=world.tokens[token])
    return data[name]


async def ok(gql: Any, world: World, name: str, token: str, **values: Any) -> dict[str, Any]:
    payload = await act(gql, world, name, token, **values)
    assert payload["errors"] == [], payload["errors"]
    return payload["complaint"]


async def dispatched(gql: Any, world: World, **overrides: Any) -> dict[str, Any]:
    """An order filed, accepted and dispatched to the world's firm."""
    order = await file(gql, world, **overrides)
    await ok(gql, world, "acceptComplaint", "street", complaintId=order["id"])
    return await ok(gql, world, "dispatchComplaint", "street", complaintId=order["id"], handlerId=world.firm_gid)


async def timeline(gql: Any, world: World, complaint_id: str, token: str = "street") -> dict[str, Any]:
    return (await gql(TIMELINE, {"id": complaint_id}, token=world.tokens[token]))["complaint"]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
