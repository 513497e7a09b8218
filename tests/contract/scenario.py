"""The base data every contract operation runs against, and how each operation is called.

Each area adds its operations to CALLS (name -> async function(scenario) -> Call) in a module of its own,
registered in AREA_CALL_MODULES below.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from domain.accounts.rules import Role
from domain.bodies.rules import BodyKind
from domain.firms.rules import make_credit_code
from domain.geography.models import Community, Compound, Person, Street
from domain.firms.models import PropertyFirm
from tests import factories
from tests.conftest import make_token
from tests.factories import gid


@dataclass
class Scenario:
    """A street with a community, two compounds with owners, a serving firm, bodies, and a token per role."""

    street: Street
    community: Community
    compound: Compound
    spare_compound: Compound
    owners: list[Person]
    firm: PropertyFirm
    tokens: dict[Role, str]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    variables: dict[str, Any]
    token: str | None


async def build_scenario() -> Scenario:
    street = await factories.street("和平街道", rule_pack="national")
    community = await factories.community(street, "幸福社区")
    compound = await factories.compound(community, "阳光花园")
    spare = await factories.compound(community, "明月小区")
    owners = [await factories.person(f"业主{i}", party=i % 2 == 0) for i in range(1, 8)]
    for index, owner in enumerate(owners):
        await factories.unit(compound, owner, number=f"{101 + index}")
    firm = await factories.firm("安居物业服务有限公司", make_credit_code(424242))
    await factories.contract(firm, compound)
    await factories.body(BodyKind.COMMUNITY_PARTY_ORGANISATION, community, "幸福社区党委")
    await factories.body(BodyKind.RESIDENTS_COMMITTEE, community, "幸福社区居委会")
    tokens = {
        Role.CENTRE_ADMIN: await make_token(Role.CENTRE_ADMIN, username="contract-admin"),
        Role.CENTRE_STAFF: await make_token(Role.CENTRE_STAFF),
        Role.STREET_STAFF: await make_token(Role.STREET_STAFF, street_id=street.id),
        Role.COMMUNITY_STAFF: await make_token(Role.COMMUNITY_STAFF, community_id=community.id),
        Role.FIRM_STAFF: await make_token(Role.FIRM_STAFF, firm_id=firm.id),
    }
    return Scenario(street, community, compound, spare, owners, firm, tokens)


CallBuilder = Callable[[Scenario], Awaitable[Call]]
CALLS: dict[str, CallBuilder] = {}
# Modules of later areas that add their operations to CALLS when imported.
AREA_CALL_MODULES: list[str] = [
    "tests.contract.calls_evaluation",
    "tests.contract.calls_committees",
    "tests.contract.calls_complaints",
    "tests.contract.calls_deliberation",
    "tests.contract.calls_owners",
    "tests.contract.calls_notices",
]


def calls() -> dict[str, CallBuilder]:
    for name in AREA_CALL_MODULES:
        importlib.import_module(name)
    return CALLS


def call(name: str) -> Callable[[CallBuilder], CallBuilder]:
    def register(builder: CallBuilder) -> CallBuilder:
        CALLS[name] = builder
        return builder

    return register


def admin(scenario: Scenario, variables: dict[str, Any]) -> Call:
    return Call(variables, scenario.tokens[Role.CENTRE_ADMIN])


@call("Login")
async def _login(s: Scenario) -> Call:
    return Call({"input": {"username": "contract-admin", "password": "correct horse battery"}}, None)


@call("Viewer")
async def _viewer(s: Scenario) -> Call:
    return admin(s, {})


@call("CreateStreet")
async def _create_street(s: Scenario) -> Call:
    return admin(s, {"input": {"name": "新华街道", "rulePack": "beijing"}})


@call("CreateCommunity")
async def _create_community(s: Scenario) -> Call:
    return admin(s, {"input": {"streetId": gid("Street", s.street.id), "name": "团结社区"}})


@call("CreateCompound")
async def _create_compound(s: Scenario) -> Call:
    return admin(s, {"input": {"communityId": gid("Community", s.community.id), "name": "翠苑小区",
                               "address": "文化路18号", "managementMode": "PROFESSIONAL_FIRM",
                               "isOldCompound": True}})


@call("RegisterPerson")
async def _register_person(s: Scenario) -> Call:
    return admin(s, {"input": {"name": "张伟", "phone": "13912345678", "idNumber": "11010519491231002X",
                               "isPartyMember": True}})


@call("RegisterUnits")
async def _register_units(s: Scenario) -> Call:
    owner = gid("Person", s.owners[0].id)
    units = [
        {"building": "2", "entrance": "1", "number": "201", "kind": "DWELLING", "area": "89.50",
         "areaSource": "REGISTRY", "ownerIds": [owner], "heldByDeveloper": False},
        {"building": "2", "entrance": "1", "number": "202", "kind": "DWELLING", "area": "120.25",
         "areaSource": "SURVEY", "ownerIds": [], "heldByDeveloper": True},
    ]
    return admin(s, {"input": {"compoundId": gid("Compound", s.spare_compound.id), "units": units}})


@call("RegisterPropertyFirm")
async def _register_firm(s: Scenario) -> Call:
    return admin(s, {"input": {"name": "红心物业管理有限公司", "creditCode": make_credit_code(777),
                               "partyOrganisation": "JOINT_BRANCH", "staffCount": 40, "partyMemberStaffCount": 6}})


@call("SignServiceContract")
async def _sign_contract(s: Scenario) -> Call:
    return admin(s, {"input": {"firmId": gid("PropertyFirm", s.firm.id),
                               "compoundIds": [gid("Compound", s.spare_compound.id)],
                               "startsOn": "2026-12-01", "endsOn": "2029-11-30", "feePerSquareMetre": "2.80"}})


@call("CreateBody")
async def _create_body(s: Scenario) -> Call:
    return admin(s, {"input": {"kind": "RESIDENTS_COMMITTEE", "name": "团结社区居委会",
                               "communityId": gid("Community", s.community.id)}})


@call("AppointMember")
async def _appoint(s: Scenario) -> Call:
    from domain.bodies.models import Body

    body = await Body.get(kind=BodyKind.RESIDENTS_COMMITTEE, community_id=s.community.id)
    return admin(s, {"input": {"bodyId": gid("Organisation", body.id), "personId": gid("Person", s.owners[1].id),
                               "role": "MEMBER", "startsOn": "2026-01-01", "paid": False}})


@call("CompoundList")
async def _compound_list(s: Scenario) -> Call:
    return Call({"filter": {"streetId": gid("Street", s.street.id)}, "first": 20}, None)


@call("CompoundDetail")
async def _compound_detail(s: Scenario) -> Call:
    return admin(s, {"id": gid("Compound", s.compound.id)})
