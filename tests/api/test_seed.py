"""`seed-demo` loads a coherent, valid and reproducible demo data set (scale 1) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from stdnum.cn import ric, uscc

from api.seed import DEMO_PASSWORD, seed_demo
from domain.accounts.models import Account
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind
from domain.firms.models import ContractCompound, PropertyFirm
from domain.firms.rules import periods_overlap
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit
from domain.geography.rules import ManagementMode, UnitKind, normalise_phone
from domain.rulepacks import rule_packs
from tests.conftest import truncate_all

LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { token viewer { username roles } errors { code message } }
}
"""


async def test_the_district_data_set_is_coherent_and_valid(db, gql):
    summary = await seed_demo(scale=1, seed=7)
    assert "admin" in summary and DEMO_PASSWORD in summary

    streets = await Street.all()
    assert len(streets) == 3
    assert {s.rule_pack for s in streets} <= set(rule_packs())
    assert await Community.all().count() == 12
    compounds = await Compound.all()
    assert 36 <= len(compounds) <= 44
    assert {c.management_mode for c in compounds} == set(ManagementMode)
    assert Counter(c.management_mode for c in compounds).most_common(1)[0][0] is ManagementMode.PROFESSIONAL_FIRM
    assert any(c.is_old_compound for c in compounds) and any(c.is_red_property for c in compounds)
    assert any(c.is_standardised for c in compounds)

    # The maintained counters agree with the units they count.
    units = await Unit.all()
    assert 3_500 <= len(units) <= 4_500
    dwellings: Counter[int] = Counter(u.compound_id for u in units if u.kind is UnitKind.DWELLING)
    areas: defaultdict[int, Decimal] = defaultdict(Decimal)
    for unit in units:
        areas[unit.compound_id] += unit.area
        assert unit.area == unit.area.quantize(Decimal("0.01")) and unit.area > 0
    for compound in compounds:
        assert compound.household_count == dwellings[compound.id], compound.name
        assert compound.total_exclusive_area == areas[compound.id], compound.name
    assert {u.kind for u in units} == set(UnitKind)
    assert len({u.area_source for u in units}) == 3

    # Owners: valid phones and ID numbers, Party members, several units per owner, co-owned units,
    # and developer-held units without owners.
    persons = await Person.all()
    assert all(normalise_phone(p.phone) == p.phone and len(p.phone) == 11 for p in persons)
    id_numbers = [p.id_number for p in persons if p.id_number]
    assert id_numbers and all(ric.is_valid(n) for n in id_numbers)
    assert any(p.is_party_member for p in persons)
    ownerships = await Ownership.all().values_list("unit_id", "person_id")
    per_person = Counter(person for _, person in ownerships)
    per_unit = Counter(unit for unit, _ in ownerships)
    assert max(per_person.values()) >= 2 and max(per_unit.values()) >= 2
    developer_held = {u.id for u in units if u.held_by_developer}
    assert developer_held and not developer_held & set(per_unit)
    assert {u.id for u in units if not u.held_by_developer} == set(per_unit)

    firms = await PropertyFirm.all()
    assert firms and all(uscc.is_valid(f.credit_code) for f in firms)
    assert len({f.party_organisation for f in firms}) >= 2

    # 物业管理条例 art. 33: never two contracts over one compound at the same time; some contracts are packages.
    coverage = await ContractCompound.all()
    by_compound = defaultdict(list)
    for link in coverage:
        by_compound[link.compound_id].append(link)
    for links in by_compound.values():
        for i, a in enumerate(links):
            for b in links[i + 1:]:
                assert not periods_overlap(a.starts_on, a.ends_on, b.starts_on, b.ends_on)
    assert max(Counter(link.contract_id for link in coverage).values()) >= 2
    firm_managed = {c.id for c in compounds if c.management_mode is ManagementMode.PROFESSIONAL_FIRM}
    assert firm_managed <= set(by_compound)

    # 社区"两委" in every community, each with members.
    bodies = await Body.filter(community_id__isnull=False)
    kinds = Counter((b.community_id, b.kind) for b in bodies)
    for community_id in await Community.all().values_list("id", flat=True):
        assert kinds[(community_id, BodyKind.COMMUNITY_PARTY_ORGANISATION)] == 1
        assert kinds[(community_id, BodyKind.RESIDENTS_COMMITTEE)] == 1
    members = Counter(await Membership.filter(body_id__in=[b.id for b in bodies]).values_list("body_id", flat=True))
    assert all(members[b.id] >= 3 for b in bodies)

    assert set(await Account.all().values_list("username", flat=True)) == {
        "admin", "centre", "street", "community", "firm"}
    data = await gql(LOGIN, {"input": {"username": "admin", "password": DEMO_PASSWORD}})
    assert data["login"]["errors"] == [] and data["login"]["token"]
    assert data["login"]["viewer"] == {"username": "admin", "roles": ["CENTRE_ADMIN"]}

    # Ids were assigned by the seed: rows created afterwards still get fresh ones (PostgreSQL sequences moved on).
    newcomer = await Person.create(name="新业主", phone="13800138000", created_at=persons[0].created_at)
    assert newcomer.id > max(p.id for p in persons)

    # A second run finds the streets and writes nothing.
    again = await seed_demo(scale=1, seed=7)
    assert "nothing was seeded" in again
    assert await Compound.all().count() == len(compounds)
    assert await Unit.all().count() == len(units)
    assert await Person.all().count() == len(persons) + 1


async def test_the_same_seed_gives_the_same_data_set(db):
    await seed_demo(scale=1, seed=11)
    first = await Compound.all().order_by("id").values_list("name", "management_mode", "household_count")
    first_firms = await PropertyFirm.all().order_by("id").values_list("name", "credit_code")
    await truncate_all()
    await seed_demo(scale=1, seed=11)
    second = await Compound.all().order_by("id").values_list("name", "management_mode", "household_count")
    assert second == first
    assert await PropertyFirm.all().order_by("id").values_list("name", "credit_code") == first_firms
    await truncate_all()
    await seed_demo(scale=1, seed=12)
    assert await Compound.all().order_by("id").values_list("name", "management_mode", "household_count") != first
