"""`seed-demo` loads a coherent, valid and reproducible demo data set (scale 1) on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from stdnum.cn import ric, uscc

from api.seed import DEMO_PASSWORD, seed_demo
from domain.accounts.models import Account
from domain.audit.models import AuditEvent
from domain.audit.service import verify_audit_chain
from domain.bodies.models import Body, Membership
from domain.bodies.rules import BodyKind
from domain.committees.models import CrossAppointment, OwnersBody
from domain.committees.values import CommitteeKind
from domain.committees.values import Status as CommitteeStatus
from domain.complaints.models import Complaint
from domain.complaints.rules import Status as ComplaintStatus
from domain.complaints.rules import is_overdue
from domain.deliberation.models import Meeting, Minutes
from domain.deliberation.records import verify_minutes_chain
from domain.deliberation.vocabulary import MeetingKind, MeetingStatus, MinutesStatus
from domain.evaluation.models import Publication
from domain.evaluation.snapshots import verify_street_chain
from domain.firms.models import ContractCompound, PropertyFirm
from domain.firms.rules import periods_overlap
from domain.geography.models import Community, Compound, Ownership, Person, Street, Unit
from domain.geography.rules import ManagementMode, UnitKind, normalise_phone
from domain.rulepacks import rule_packs
from tests.conftest import truncate_all

RED_BLACK = """
query RedBlack($period: Period!) {
  redBlackList(period: $period) { contentHash red { firm { name } grade } black { firm { name } grade } }
}
"""
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
        "admin", "centre", "street", "community", "firm", "owner"}
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
    first_orders = await Complaint.all().order_by("id").values_list("compound__name", "status", "title")
    await truncate_all()
    await seed_demo(scale=1, seed=11)
    second = await Compound.all().order_by("id").values_list("name", "management_mode", "household_count")
    assert second == first
    assert await Complaint.all().order_by("id").values_list("compound__name", "status", "title") == first_orders
    assert await PropertyFirm.all().order_by("id").values_list("name", "credit_code") == first_firms
    await truncate_all()
    await seed_demo(scale=1, seed=12)
    assert await Compound.all().order_by("id").values_list("name", "management_mode", "household_count") != first


@pytest.mark.parametrize("today", [None, date(2025, 1, 6)], ids=["today", "early-january"])
async def test_the_district_has_area_activity_made_through_the_services(db, gql, today):
    await seed_demo(scale=1, seed=7, today=today)

    # Owners' committees elected from the compound's owners, filed with the street; one 物管会; cross-appointments.
    committees = await OwnersBody.all()
    owners_committees = [c for c in committees if c.kind is CommitteeKind.OWNERS_COMMITTEE]
    assert any(c.status is CommitteeStatus.ACTIVE for c in owners_committees)
    assert any(c.status is CommitteeStatus.PREPARING for c in owners_committees)
    assert any(c.kind is CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE for c in committees)
    for committee in owners_committees:
        seats = await Membership.filter(body_id=committee.body_id).values_list("person_id", flat=True)
        assert len(seats) >= 3 and len(seats) % 2 == 1
        owning = await Ownership.filter(person_id__in=list(seats), unit__compound_id=committee.compound_id)
        assert {o.person_id for o in owning} == set(seats)
    assert await CrossAppointment.all().count() >= 1

    # Complaints over several channels, open, overdue and closed.
    orders = await Complaint.all()
    assert 25 <= len(orders) <= 40
    statuses = Counter(o.status for o in orders)
    assert len(statuses) >= 3 and statuses[ComplaintStatus.CLOSED] >= 5
    assert statuses[ComplaintStatus.RECEIVED] and statuses[ComplaintStatus.RESOLVED]
    assert any(o.reopen_count for o in orders)
    assert any(is_overdue(o.status, o.due_at, datetime.now(UTC)) for o in orders)
    assert len({o.channel for o in orders}) >= 3
    assert all(o.received_at <= o.filed_at for o in orders)

    # A four-party joint meeting and a committee meeting, minutes signed, published and chained.
    meetings = await Meeting.all()
    assert {m.kind for m in meetings} == {MeetingKind.FOUR_PARTY_JOINT, MeetingKind.OWNERS_COMMITTEE}
    assert all(m.status is MeetingStatus.MINUTES_PUBLISHED for m in meetings)
    published = await Minutes.filter(status=MinutesStatus.PUBLISHED)
    assert len(published) == 2 and all(len(m.content_hash or "") == 64 for m in published)
    for compound_id in {m.compound_id for m in meetings}:
        assert (await verify_minutes_chain(compound_id=compound_id, community_id=None)).valid

    # One street's last completed period evaluated and published: the red and black lists show it.
    publications = await Publication.all()
    assert len(publications) == 1
    chain = await verify_street_chain(publications[0].street_id)
    assert chain.check.valid and chain.check.checked == 1 and chain.head_hash == publications[0].content_hash
    data = await gql(RED_BLACK, {"period": publications[0].period})
    lists = data["redBlackList"]
    assert lists["contentHash"] == publications[0].content_hash
    assert lists["black"] and lists["red"]

    # Every step was audited by the seed's actor (the demo owner rates their own order, and the notice board's
    # files are uploaded by the signed-in admin account), and the audit chain holds.
    check = await verify_audit_chain()
    assert check.valid and check.checked >= 200
    assert set(await AuditEvent.all().values_list("actor_username", flat=True)) == {"seed-demo", "admin", "owner"}
