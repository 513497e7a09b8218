"""What the demo data set contains: rows built in memory, street by street, with ids assigned up front.

No I/O here: `api.seed` decides when to write. Ids are pre-assigned from per-table counters so that rows can point
at each other before any of them is written and one bulk insert per table and batch suffices.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from tortoise.models import Model

from api.seed_names import NameBook
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.firms.models import ContractCompound, PropertyFirm, ServiceContract
from domain.firms.rules import PartyOrganisation, make_credit_code
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit
from domain.geography.rules import AreaSource, ManagementMode, UnitKind

RULE_PACKS = ["beijing", "shanghai", "shandong", "national"]
# The firm's registration region follows the street's rule pack (Chaoyang, Xuhui, Lixia, Gulou).
CREDIT_REGIONS = {"beijing": "110105", "shanghai": "310104", "shandong": "370102", "national": "320106"}
MODE_SHARES = [
    (ManagementMode.PROFESSIONAL_FIRM, 0.60),
    (ManagementMode.COMMUNITY_CUSTODIAL, 0.17),
    (ManagementMode.SELF_MANAGED, 0.12),
    (ManagementMode.NONE, 0.11),
]
# Share of old compounds (老旧小区) by management mode: custodial and unmanaged compounds are mostly old.
OLD_SHARE = {
    ManagementMode.PROFESSIONAL_FIRM: 0.25,
    ManagementMode.COMMUNITY_CUSTODIAL: 0.75,
    ManagementMode.SELF_MANAGED: 0.55,
    ManagementMode.NONE: 0.8,
}
AREA_SOURCES = [AreaSource.REGISTRY, AreaSource.SURVEY, AreaSource.CONTRACT]
AREA_SOURCE_WEIGHTS = [72, 18, 10]
COMMUNITIES_PER_STREET = 4
M = TypeVar("M", bound=Model)


def apportion(total: int, weights: list[float], minimum: int) -> list[int]:
    """Splits `total` in proportion to `weights` (largest remainder), every part at least `minimum`."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError(f"cannot give {len(weights)} parts at least {minimum} out of {total}")
    shares = [w * rest / sum(weights) for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for i in by_remainder[: rest - sum(parts)]:
        parts[i] += 1
    return [minimum + p for p in parts]


def cents(value: int) -> Decimal:
    """An exact two-decimal amount from a whole number of hundredths."""
    return Decimal(value).scaleb(-2)


class IdCounter:
    """The next id of each table; starts after the largest id already stored."""

    def __init__(self, start: dict[type[Model], int]) -> None:
        self._next = dict(start)

    def __call__(self, model: type[Model]) -> int:
        value = self._next.get(model, 1)
        self._next[model] = value + 1
        return value


@dataclass
class Rows:
    """Rows to write, by model, in an order that satisfies the foreign keys."""

    by_model: dict[type[Model], list[Model]] = field(default_factory=lambda: defaultdict(list))

    def add(self, row: M) -> M:
        self.by_model[type(row)].append(row)
        return row

    def count(self, model: type[Model]) -> int:
        return len(self.by_model.get(model, []))


@dataclass
class FirmPlan:
    firm: PropertyFirm
    body: Body


@dataclass
class CompoundPlan:
    name: str
    mode: ManagementMode
    old: bool
    units: int


@dataclass
class CityPlan:
    """Decisions over the whole data set, taken before any street is built (so each street is independent)."""

    streets: list[str]
    rule_packs: list[str]
    communities: list[list[str]]  # per street
    compounds: list[list[list[CompoundPlan]]]  # per street, per community


class DemoPlanner:
    def __init__(self, *, scale: int, names: NameBook, rng: random.Random, today: date, now: datetime,
                 next_id: IdCounter) -> None:
        self.scale, self.names, self.rng, self.today, self.now = scale, names, rng, today, now
        self.next_id = next_id
        self.firms: list[FirmPlan] = []

    # --- the whole city -------------------------------------------------------------------------------------

    def city(self) -> CityPlan:
        rng, scale = self.rng, self.scale
        n_streets = 3 * scale
        n_compounds = 40 * scale
        # scale 1 is a district of small compounds (fast tests); larger scales are cities of ~300-unit compounds.
        n_units = 4_000 if scale == 1 else 12_000 * scale
        streets = [self.names.street() for _ in range(n_streets)]
        packs = [RULE_PACKS[i % len(RULE_PACKS)] for i in range(n_streets)]
        rng.shuffle(packs)
        communities = [[self.names.community() for _ in range(COMMUNITIES_PER_STREET)] for _ in streets]
        per_community = apportion(n_compounds, [rng.uniform(0.6, 1.4) for _ in range(n_streets * 4)], 1)
        counts = [(m, max(1, round(share * n_compounds))) for m, share in MODE_SHARES[1:]]
        modes = [m for m, n in counts for _ in range(n)]
        modes += [ManagementMode.PROFESSIONAL_FIRM] * (n_compounds - len(modes))
        rng.shuffle(modes)
        olds = [rng.random() < OLD_SHARE[m] for m in modes]
        sizes = apportion(n_units, [rng.uniform(0.4, 1.0) if o else rng.uniform(0.7, 2.2) for o in olds], 10)
        plans = [CompoundPlan(self.names.compound(old=o), m, o, u) for m, o, u in zip(modes, olds, sizes, strict=True)]
        nested: list[list[list[CompoundPlan]]] = []
        cursor = 0
        for s in range(n_streets):
            nested.append([])
            for c in range(COMMUNITIES_PER_STREET):
                n = per_community[s * COMMUNITIES_PER_STREET + c]
                nested[s].append(plans[cursor: cursor + n])
                cursor += n
        return CityPlan(streets, packs, communities, nested)

    def firm_rows(self, n_firms: int, rows: Rows) -> None:
        """物业服务企业 with valid credit codes, Party organisation coverage and Party-building instructors."""
        rng = self.rng
        joint_group: list[FirmPlan] = []
        serials = rng.sample(range(10**8, 10**9), n_firms)
        for i in range(n_firms):
            name = self.names.firm()
            staff = rng.randint(20, 600)
            party_staff = rng.randint(0, max(1, staff // 12))
            roll = rng.random()
            if party_staff >= 3 and roll < 0.55:  # a branch needs at least three full Party members
                organisation = PartyOrganisation.OWN_BRANCH
            elif roll < 0.8:
                organisation = PartyOrganisation.JOINT_BRANCH
            else:
                organisation = PartyOrganisation.NONE
            instructor = self.names.person() if organisation != PartyOrganisation.NONE or rng.random() < 0.5 else None
            body = rows.add(Body(id=self.next_id(Body), kind=BodyKind.PROPERTY_FIRM, name=name, created_at=self.now))
            region = CREDIT_REGIONS[RULE_PACKS[i % len(RULE_PACKS)]]
            firm = rows.add(PropertyFirm(
                id=self.next_id(PropertyFirm), body_id=body.id, name=name,
                credit_code=make_credit_code(serials[i], region=region), party_organisation=organisation,
                party_building_instructor=instructor, staff_count=staff, party_member_staff_count=party_staff,
                created_at=self.now,
            ))
            plan = FirmPlan(firm, body)
            self.firms.append(plan)
            if instructor:
                person = self._person(rows, name=instructor, party=True)
                self._post(rows, body.id, person.id, MembershipRole.PARTY_BUILDING_INSTRUCTOR)
            if organisation is PartyOrganisation.OWN_BRANCH:
                branch = rows.add(Body(id=self.next_id(Body), kind=BodyKind.FIRM_PARTY_ORGANISATION,
                                       name=f"{name}党支部", parent_id=body.id, created_at=self.now))
                self._post(rows, branch.id, self._person(rows, party=True).id, MembershipRole.SECRETARY)
                for _ in range(2):
                    self._post(rows, branch.id, self._person(rows, party=True).id, MembershipRole.MEMBER)
            elif organisation is PartyOrganisation.JOINT_BRANCH:
                joint_group.append(plan)
                if len(joint_group) == 3:
                    self._joint_branch(rows, joint_group)
                    joint_group = []
        if joint_group:
            self._joint_branch(rows, joint_group)

    def _joint_branch(self, rows: Rows, group: list[FirmPlan]) -> None:
        """联合党支部: small firms share one branch, registered under the first firm."""
        first = group[0].firm.name.split("物业")[0]
        branch = rows.add(Body(id=self.next_id(Body), kind=BodyKind.FIRM_PARTY_ORGANISATION,
                               name=f"{first}等{len(group)}家物业企业联合党支部", parent_id=group[0].body.id,
                               created_at=self.now))
        self._post(rows, branch.id, self._person(rows, party=True).id, MembershipRole.SECRETARY)
        for _ in group:
            self._post(rows, branch.id, self._person(rows, party=True).id, MembershipRole.MEMBER)

    # --- one street -------------------------------------------------------------------------------------------

    def street_rows(self, city: CityPlan, s: int, rows: Rows) -> None:
        street = rows.add(Street(id=self.next_id(Street), name=city.streets[s], rule_pack=city.rule_packs[s],
                                 created_at=self.now))
        rows.add(Body(id=self.next_id(Body), kind=BodyKind.STREET_OFFICE, name=f"{street.name}办事处",
                      street_id=street.id, created_at=self.now))
        professional: list[Compound] = []
        unmanaged: list[Compound] = []
        party_organisation_of: dict[int, int] = {}
        for c, community_name in enumerate(city.communities[s]):
            community = rows.add(Community(id=self.next_id(Community), street_id=street.id, name=community_name,
                                           created_at=self.now))
            residents: list[Person] = []
            compounds = []
            for plan in city.compounds[s][c]:
                compound = self._compound(rows, street.id, community.id, plan, residents)
                compounds.append(compound)
                if plan.mode is ManagementMode.PROFESSIONAL_FIRM:
                    professional.append(compound)
                elif plan.mode is ManagementMode.NONE:
                    unmanaged.append(compound)
            party_organisation_of[community.id] = self._community_bodies(rows, community, compounds, residents)
        self._contracts(rows, professional, unmanaged, party_organisation_of)

    def _compound(self, rows: Rows, street_id: int, community_id: int, plan: CompoundPlan,
                  residents: list[Person]) -> Compound:
        rng = self.rng
        standardised = rng.random() < (0.4 if plan.mode is ManagementMode.PROFESSIONAL_FIRM else 0.08)
        compound = rows.add(Compound(
            id=self.next_id(Compound), community_id=community_id, street_id=street_id, name=plan.name,
            address=self.names.address(self.names.road()), management_mode=plan.mode, is_old_compound=plan.old,
            is_standardised=standardised and not (plan.old and rng.random() < 0.6), is_red_property=False,
            household_count=0, total_exclusive_area=Decimal("0.00"), created_at=self.now,
        ))
        built = rng.randint(1980, 1999) if plan.old else rng.randint(2000, 2022)
        parking = round(plan.units * (rng.uniform(0, 0.05) if plan.old else rng.uniform(0.08, 0.2)))
        shops = round(plan.units * rng.uniform(0, 0.06))
        dwellings = max(1, plan.units - parking - shops)
        parking = plan.units - dwellings - shops
        units = self._dwellings(compound, dwellings, plan.old) + self._annex(compound, shops, parking)
        owners: list[Person] = []
        households, area = 0, Decimal("0.00")
        for unit in units:
            rows.add(unit)
            households += unit.kind is UnitKind.DWELLING
            area += unit.area
            if not unit.held_by_developer:
                self._owners(rows, unit, owners, built)
        compound.household_count = households
        compound.total_exclusive_area = area
        residents.extend(owners)
        return compound

    def _dwellings(self, compound: Compound, count: int, old: bool) -> list[Unit]:
        rng = self.rng
        units: list[Unit] = []
        building = 0
        while len(units) < count:
            building += 1
            floors = rng.randint(5, 7) if old else rng.choice([6, 11, 18, 26, 33])
            doors = rng.randint(2, 3) if old else rng.randint(2, 4)
            for entrance in range(1, (rng.randint(2, 4) if old else rng.randint(1, 2)) + 1):
                for floor in range(1, floors + 1):
                    for door in range(1, doors + 1):
                        if len(units) == count:
                            return units
                        area = cents(rng.randint(4200, 9500) if old else rng.randint(6500, 16500))
                        units.append(self._unit(compound, f"{building}号楼", f"{entrance}单元", f"{floor}{door:02d}",
                                                UnitKind.DWELLING, area, not old and rng.random() < 0.01))
        return units

    def _annex(self, compound: Compound, shops: int, parking: int) -> list[Unit]:
        rng = self.rng
        units = [self._unit(compound, "商业", "", f"S{i:03d}", UnitKind.SHOP, cents(rng.randint(2500, 22000)),
                            rng.random() < 0.2) for i in range(1, shops + 1)]
        units += [self._unit(compound, "地下车库", "", f"B1-{i:03d}", UnitKind.PARKING, cents(rng.randint(1150, 1500)),
                             rng.random() < 0.3) for i in range(1, parking + 1)]
        return units

    def _unit(self, compound: Compound, building: str, entrance: str, number: str, kind: UnitKind, area: Decimal,
              developer: bool) -> Unit:
        source = self.rng.choices(AREA_SOURCES, AREA_SOURCE_WEIGHTS)[0]
        return Unit(id=self.next_id(Unit), compound_id=compound.id, building=building, entrance=entrance,
                    number=number, kind=kind, area=area, area_source=source, held_by_developer=developer,
                    created_at=self.now)

    def _owners(self, rows: Rows, unit: Unit, owners: list[Person], built: int) -> None:
        """One owner mostly; some co-owned units (夫妻共有); some owners with several units (a flat and a space)."""
        rng = self.rng
        repeat = {UnitKind.DWELLING: 0.06, UnitKind.SHOP: 0.2, UnitKind.PARKING: 0.7}[unit.kind]
        if owners and rng.random() < repeat:
            people = [owners[rng.randrange(max(0, len(owners) - 200), len(owners))]]
        else:
            people = [self._person(rows)]
            owners.append(people[0])
            if unit.kind is UnitKind.DWELLING and rng.random() < 0.18:
                people.append(self._person(rows))
                owners.append(people[1])
        since = date(built, 1, 1) + timedelta(days=rng.randrange(max(1, (self.today - date(built, 1, 1)).days)))
        for person in people:
            rows.add(Ownership(id=self.next_id(Ownership), unit_id=unit.id, person_id=person.id, since=since))

    def _person(self, rows: Rows, *, name: str | None = None, party: bool | None = None) -> Person:
        rng = self.rng
        return rows.add(Person(
            id=self.next_id(Person), name=name or self.names.person(), phone=self.names.mobile(),
            id_number=self.names.id_number() if rng.random() < 0.35 else None,
            is_party_member=party if party is not None else rng.random() < 0.08, created_at=self.now,
        ))

    def _post(self, rows: Rows, body_id: int, person_id: int, role: MembershipRole, *,
              compound_id: int | None = None, paid: bool = False) -> None:
        starts = self.today - timedelta(days=self.rng.randint(30, 5 * 365))
        rows.add(Membership(id=self.next_id(Membership), body_id=body_id, person_id=person_id, role=role,
                            starts_on=starts, paid=paid, compound_id=compound_id, created_at=self.now))

    def _community_bodies(self, rows: Rows, community: Community, compounds: list[Compound],
                          residents: list[Person]) -> int:
        """社区"两委": the Party organisation and the residents' committee, often led by one person (一肩挑)."""
        rng = self.rng
        pool = residents[:]
        rng.shuffle(pool)

        def someone(party: bool) -> Person:
            person = pool.pop() if pool else self._person(rows)
            if party:
                person.is_party_member = True
            return person

        party_org = rows.add(Body(id=self.next_id(Body), kind=BodyKind.COMMUNITY_PARTY_ORGANISATION,
                                  name=f"{community.name}党委", community_id=community.id, created_at=self.now))
        committee = rows.add(Body(id=self.next_id(Body), kind=BodyKind.RESIDENTS_COMMITTEE,
                                  name=f"{community.name}居民委员会", community_id=community.id, created_at=self.now))
        secretary = someone(True)
        self._post(rows, party_org.id, secretary.id, MembershipRole.SECRETARY, paid=True)
        self._post(rows, party_org.id, someone(True).id, MembershipRole.DEPUTY_SECRETARY, paid=True)
        party_members = [someone(True) for _ in range(rng.randint(2, 3))]
        for person in party_members:
            self._post(rows, party_org.id, person.id, MembershipRole.MEMBER)
        chair = secretary if rng.random() < 0.7 else someone(True)
        self._post(rows, committee.id, chair.id, MembershipRole.CHAIR, paid=True)
        self._post(rows, committee.id, someone(rng.random() < 0.5).id, MembershipRole.VICE_CHAIR, paid=True)
        # 交叉任职: one Party committee member also sits on the residents' committee.
        self._post(rows, committee.id, party_members[0].id, MembershipRole.MEMBER)
        for _ in range(rng.randint(1, 2)):
            self._post(rows, committee.id, someone(rng.random() < 0.3).id, MembershipRole.MEMBER)
        for compound in compounds:  # 网格员: one grid per compound here (150–200 households in practice)
            self._post(rows, committee.id, self._person(rows).id, MembershipRole.GRID_WORKER,
                       compound_id=compound.id, paid=True)
        return party_org.id

    def _contracts(self, rows: Rows, professional: list[Compound], unmanaged: list[Compound],
                   party_organisation_of: dict[int, int]) -> None:
        """物业服务合同: packages of one to three neighbouring compounds (打包), never two firms at once."""
        rng, today = self.rng, self.today
        i = 0
        while i < len(professional):
            size = rng.choices([1, 2, 3], [60, 25, 15])[0]
            package = professional[i: i + size]
            i += size
            firm = rng.choice(self.firms)
            starts = today - timedelta(days=rng.randint(30, 1000))
            ends = max(starts + timedelta(days=365 * rng.choice([1, 2, 3, 5]) - 1),
                       today + timedelta(days=rng.randint(60, 700)))
            old = all(c.is_old_compound for c in package)
            fee = cents(rng.randint(60, 150) if old else rng.randint(120, 450))
            self._contract(rows, firm, package, starts, ends, fee)
            if rng.random() < 0.45:  # the previous firm's contract ended the day before (no overlap)
                previous = rng.choice([f for f in self.firms if f is not firm] or self.firms)
                self._contract(rows, previous, package, starts - timedelta(days=3 * 365), starts - timedelta(days=1),
                               cents(rng.randint(60, 300)))
            for compound in package:
                self._project_manager(rows, firm, compound, party_organisation_of[compound.community_id])
        for compound in unmanaged:
            if rng.random() < 0.3:  # 弃管: the firm left when its contract ran out
                ends = today - timedelta(days=rng.randint(200, 1000))
                self._contract(rows, rng.choice(self.firms), [compound], ends - timedelta(days=3 * 365), ends,
                               cents(rng.randint(50, 120)))

    def _contract(self, rows: Rows, firm: FirmPlan, compounds: list[Compound], starts: date, ends: date,
                  fee: Decimal) -> None:
        contract = rows.add(ServiceContract(id=self.next_id(ServiceContract), firm_id=firm.firm.id, starts_on=starts,
                                            ends_on=ends, fee_per_square_metre=fee, created_at=self.now))
        for compound in compounds:
            rows.add(ContractCompound(id=self.next_id(ContractCompound), contract_id=contract.id,
                                      compound_id=compound.id, firm_id_copy=firm.firm.id, starts_on=starts,
                                      ends_on=ends))

    def _project_manager(self, rows: Rows, firm: FirmPlan, compound: Compound, party_organisation_id: int) -> None:
        """项目经理; at a red property compound a Party member who also sits on the community Party organisation."""
        rng = self.rng
        has_party = firm.firm.party_organisation != PartyOrganisation.NONE
        compound.is_red_property = has_party and rng.random() < 0.45
        manager = self._person(rows, party=compound.is_red_property or (has_party and rng.random() < 0.5))
        self._post(rows, firm.body.id, manager.id, MembershipRole.PROJECT_MANAGER, compound_id=compound.id, paid=True)
        if compound.is_red_property:  # 双向进入、交叉任职
            self._post(rows, party_organisation_id, manager.id, MembershipRole.PART_TIME_MEMBER)

