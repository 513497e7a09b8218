"""Area data of the district demo (scale 1), created through the domain services after the structure is loaded.

Owners' committees (and one 物管会) with cross-appointments, complaints walked through their lifecycle, a four-party
joint meeting and an owners' committee meeting with published minutes, inspections, credit events and one
published credit evaluation. Every row goes through its use case, so every rule, audit event and hash chain holds.
All instants lie before `base` (the seed's now), all choices come from the seeded `rng`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from api.seed_notices import seed_notices
from domain.accounts.rules import Role, Viewer
from domain.bodies.models import Membership
from domain.bodies.rules import BodyKind, MembershipRole
from domain.calendar import LOCAL, local_date
from domain.committees import cross_appointment_service
from domain.committees import service as committees
from domain.committees.models import OwnersBody
from domain.committees.rules import add_years, size_bounds
from domain.committees.values import Basis, CommitteeKind, CompoundSize, SeatRole
from domain.complaints import service as complaints
from domain.complaints.rules import Channel, Kind, Satisfaction, Urgency
from domain.deliberation import records, voting
from domain.deliberation import service as deliberation
from domain.deliberation.models import AgendaItem
from domain.deliberation.vocabulary import Choice, DecisionRule, MeetingKind, Party
from domain.deliberation.vocabulary import Role as MeetingRole
from domain.evaluation import runs
from domain.evaluation import service as evaluation
from domain.evaluation.inspections import Finding
from domain.evaluation.periods import Period, PeriodKind
from domain.evaluation.scoring import CreditEventKind
from domain.firms.models import ContractCompound, PropertyFirm
from domain.geography.models import Compound, Ownership, Person, Street
from domain.geography.rules import ManagementMode
from domain.rulepacks import RulePack, rule_pack

ACTOR = Viewer(account_id=None, username="seed-demo", roles=frozenset({Role.CENTRE_ADMIN}))
COMMITTEE_SHARE = 0.4
# (category, title, description, urgency, kind, channel)
COMPLAINTS = [
    ("电梯", "3号楼电梯困人", "3号楼2单元电梯停在6层与7层之间，有人被困", Urgency.EMERGENCY, Kind.HELP, Channel.HOTLINE_12345),
    ("供水", "楼道水管爆裂", "地下室供水管破裂漏水，多户停水", Urgency.UTILITY, Kind.HELP, Channel.HOTLINE_12345),
    ("供暖", "暖气不热", "家中暖气温度不足18度，物业未处理", Urgency.UTILITY, Kind.COMPLAINT, Channel.PROVINCIAL_SYSTEM),
    ("环境卫生", "垃圾清运不及时", "小区垃圾站连续三天未清运，气味很大", Urgency.ORDINARY, Kind.COMPLAINT, Channel.ONLINE),
    ("停车", "消防通道被占用", "东门消防通道长期停放私家车", Urgency.ORDINARY, Kind.REPORT, Channel.GRID_PATROL),
    ("绿化", "树木遮挡采光", "楼前树木过高遮挡低层住户采光，请求修剪", Urgency.ORDINARY, Kind.HELP, Channel.WALK_IN),
    ("安全", "单元门禁损坏", "单元门禁锁损坏一周，外来人员随意进出", Urgency.ORDINARY, Kind.COMPLAINT, Channel.HOTLINE_12345),
    ("收费", "物业费收费标准咨询", "询问本年度物业费标准及公共收益公示情况", Urgency.ORDINARY, Kind.CONSULTATION, Channel.ONLINE),
    ("噪音", "夜间装修噪音扰民", "楼上住户晚上十点后仍在装修施工", Urgency.ORDINARY, Kind.COMPLAINT, Channel.HOTLINE_12345),
    ("维修", "外墙渗水", "顶层外墙雨后渗水，墙皮脱落", Urgency.COMPLEX, Kind.HELP, Channel.PROVINCIAL_SYSTEM),
    ("公共设施", "路灯不亮", "小区中心路段路灯损坏，夜间出行不便", Urgency.ORDINARY, Kind.REPORT, Channel.GRID_PATROL),
    ("建议", "增设电动自行车充电桩", "建议在车棚增设集中充电设施，杜绝飞线充电", Urgency.ORDINARY, Kind.SUGGESTION, Channel.MEETING),
]
# Where each order is left: how many steps of accept, dispatch, acknowledge, resolve, visit, close are taken.
OUTCOMES = (["closed"] * 13 + ["closed_late"] * 2 + ["reopened_closed"] * 2 + ["reopened"] * 2 + ["resolved"] * 3
            + ["in_progress"] * 3 + ["dispatched"] * 3 + ["accepted"] + ["received"] * 2 + ["rejected"])
STEPS = {"received": 0, "accepted": 1, "dispatched": 2, "in_progress": 3, "resolved": 4}
Owners = dict[int, list[int]]  # compound → its owners, in registration order
Posts = dict[tuple[int, BodyKind], list[Membership]]  # (community, 两委 body kind) → current posts
Serving = dict[int, ContractCompound]  # compound → the contract serving it today


async def seed_activity(*, rng: random.Random, base: datetime) -> str:
    """Writes the area data; returns a summary fragment."""
    today = local_date(base)
    compounds = await Compound.all().order_by("id")
    streets = {s.id: s for s in await Street.all()}
    owners: defaultdict[int, list[int]] = defaultdict(list)
    for compound_id, person_id in await Ownership.all().order_by("id").values_list("unit__compound_id", "person_id"):
        if person_id not in owners[compound_id]:
            owners[compound_id].append(person_id)
    serving = await _serving(today)
    bodies = await _community_posts(today)
    formed = await _committees(rng, base, compounds, streets, owners, serving, bodies)
    orders = await _complaints(rng, base, compounds, owners, serving, bodies)
    minutes = await _meetings(rng, base, formed, bodies, serving)
    period = await _evaluation(rng, base, streets)
    board = await seed_notices(base=base)
    bodies_total = await OwnersBody.all().count()
    return (f"业主组织 {bodies_total} 个、工单 {orders} 件、会议纪要 {minutes} 份、"
            f"{period} 信用评价已公示；{board}")


def pack_of(street: Street) -> RulePack:
    pack = rule_pack(street.rule_pack)
    assert pack is not None, street.rule_pack  # streets are created with a known pack
    return pack


def at(day: date, hour: int = 10) -> datetime:
    """An instant on a Beijing calendar day, in UTC."""
    return datetime.combine(day, time(hour), LOCAL).astimezone(UTC)


async def _serving(today: date) -> dict[int, ContractCompound]:
    links = await ContractCompound.filter(starts_on__lte=today, ends_on__gte=today).order_by("id")
    return {link.compound_id: link for link in links}


async def _community_posts(today: date) -> dict[tuple[int, BodyKind], list[Membership]]:
    """Current posts in each community's Party organisation and residents' committee (grid workers left out)."""
    kinds = [BodyKind.COMMUNITY_PARTY_ORGANISATION, BodyKind.RESIDENTS_COMMITTEE]
    posts: dict[tuple[int, BodyKind], list[Membership]] = defaultdict(list)
    for m in await Membership.filter(body__kind__in=kinds, starts_on__lte=today, ends_on__isnull=True).order_by(
        "id"
    ).prefetch_related("body"):
        if m.role is not MembershipRole.GRID_WORKER:
            posts[(m.body.community_id, BodyKind(m.body.kind))].append(m)
    return posts


async def _committees(rng: random.Random, base: datetime, compounds: list[Compound], streets: dict[int, Street],
                      owners: Owners, serving: Serving, bodies: Posts) -> list[OwnersBody]:
    today = local_date(base)
    firm_managed = [c for c in compounds if c.management_mode is ManagementMode.PROFESSIONAL_FIRM and c.id in serving]
    chosen = sorted(rng.sample(firm_managed, round(len(firm_managed) * COMMITTEE_SHARE)), key=lambda c: c.id)
    used: set[int] = set()
    formed: list[OwnersBody] = []
    appointments = 0
    for n, compound in enumerate(chosen):
        pack = pack_of(streets[compound.street_id])
        low, high, odd = size_bounds(CommitteeKind.OWNERS_COMMITTEE,
                                     CompoundSize(compound.household_count, compound.total_exclusive_area), pack)
        free = [p for p in owners[compound.id] if p not in used]
        sizes = [s for s in (5, 7, 9) if low <= s <= (high or s) and (s % 2 or not odd) and s <= len(free)]
        if not sizes:
            continue
        size = rng.choice(sizes)
        # 双向进入: a 两委 member who owns a unit here stands for election (some compounds have one).
        posts = [m for kind in (BodyKind.COMMUNITY_PARTY_ORGANISATION, BodyKind.RESIDENTS_COMMITTEE)
                 for m in bodies[(compound.community_id, kind)] if m.person_id in free]
        home = posts[0] if posts and appointments < 3 else None
        rest = [p for p in free if home is None or p != home.person_id]
        members = ([home.person_id] if home else []) + rng.sample(rest, size - (1 if home else 0))
        used.update(members)
        elected = today - timedelta(days=12 if n == len(chosen) - 1 else rng.randint(60, 900))
        seats = tuple(committees.SeatDraft(p, SeatRole.CHAIR if i == 0 else SeatRole.VICE_CHAIR if i == 1
                                           else SeatRole.MEMBER) for i, p in enumerate(members))
        draft = committees.CommitteeDraft(compound.id, CommitteeKind.OWNERS_COMMITTEE, elected,
                                          add_years(elected, pack.owners_committee.max_term_years) - timedelta(days=1),
                                          seats)
        committee = await committees.form_committee(actor=ACTOR, draft=draft, now=at(elected + timedelta(days=1)))
        first = elected + timedelta(days=rng.randint(2, pack.owners_committee.first_meeting_days))
        await committees.record_first_meeting(actor=ACTOR, committee_id=committee.id, held_on=first, now=at(first, 16))
        if n < len(chosen) - 1:  # the newest one is still awaiting its filing (备案)
            filed = elected + timedelta(days=rng.randint(8, pack.owners_committee.filing_days))
            committee = await committees.file_committee(actor=ACTOR, committee_id=committee.id, filed_on=filed,
                                                        now=at(filed, 15))
        formed.append(committee)
        if home is not None:
            seat = await Membership.get(body_id=committee.body_id, person_id=home.person_id)
            await cross_appointment_service.record_cross_appointment(
                actor=ACTOR, home_membership_id=home.id, concurrent_membership_id=seat.id,
                basis=Basis.ELECTED_BY_OWNERS_ASSEMBLY, decision_ref=f"{compound.name}业主大会选举决议（{elected.year}）",
                now=base - timedelta(minutes=30 - appointments),
            )
            appointments += 1
    await _management_committee(rng, base, compounds, streets, owners, bodies, used)
    return formed


async def _management_committee(rng: random.Random, base: datetime, compounds: list[Compound],
                                streets: dict[int, Street], owners: Owners, bodies: Posts, used: set[int]) -> None:
    """物管会 at an unmanaged compound, chaired by a residents' committee member (京条例 art. 53)."""
    today = local_date(base)
    for compound in compounds:
        if compound.management_mode is not ManagementMode.NONE:
            continue
        pack = pack_of(streets[compound.street_id])
        mc = pack.management_committee
        elected = today - timedelta(days=rng.randint(90, 300))
        chairs = [m.person_id for m in bodies[(compound.community_id, BodyKind.RESIDENTS_COMMITTEE)]
                  if m.person_id not in used and m.starts_on <= elected]
        free = [p for p in owners[compound.id] if p not in used and p not in chairs]
        if not chairs or len(free) < mc.min_size - 1:
            continue
        members = [chairs[0], *rng.sample(free, mc.min_size - 1)]
        used.update(members)
        seats = tuple(committees.SeatDraft(p, SeatRole.CHAIR if i == 0 else SeatRole.MEMBER)
                      for i, p in enumerate(members))
        draft = committees.CommitteeDraft(compound.id, CommitteeKind.PROPERTY_MANAGEMENT_COMMITTEE, elected,
                                          add_years(elected, mc.max_term_years) - timedelta(days=1), seats)
        committee = await committees.form_committee(actor=ACTOR, draft=draft, now=at(elected + timedelta(days=1)))
        filed = elected + timedelta(days=10)
        await committees.file_committee(actor=ACTOR, committee_id=committee.id, filed_on=filed, now=at(filed))
        return


async def _complaints(rng: random.Random, base: datetime, compounds: list[Compound], owners: Owners,
                      serving: Serving, bodies: Posts) -> int:
    """~30 orders over several channels, left open, overdue, reopened, rejected or closed."""
    today = local_date(base)
    firm_body = dict(await PropertyFirm.all().values_list("id", "body_id"))
    # Orders from compounds whose firm has served them for the whole window, or from custodial compounds.
    places = [c for c in compounds if owners[c.id] and (
        (c.id in serving and serving[c.id].starts_on <= today - timedelta(days=200))
        or c.management_mode is ManagementMode.COMMUNITY_CUSTODIAL)]
    residents = {community_id: posts[0].body_id for (community_id, kind), posts in bodies.items()
                 if kind is BodyKind.RESIDENTS_COMMITTEE}
    outcomes = OUTCOMES[:]
    rng.shuffle(outcomes)
    persons = {p.id: p for p in await Person.filter(id__in=[p for c in places for p in owners[c.id][:5]])}
    planned: list[tuple[datetime, int, complaints.ComplaintDraft, str, int, Viewer, bool]] = []
    for n, outcome in enumerate(outcomes):
        compound = places[(n * 7) % len(places)]
        category, title, text, urgency, kind, channel = COMPLAINTS[n % len(COMPLAINTS)]
        person = persons[owners[compound.id][n % min(5, len(owners[compound.id]))]]
        if compound.id in serving:
            firm_id = serving[compound.id].firm_id_copy
            handler = firm_body[firm_id]
            handling = Viewer(account_id=None, username="seed-demo", roles=frozenset({Role.FIRM_STAFF}),
                              firm_id=firm_id)
        else:  # 社区代管: the residents' committee handles the order itself
            handler, handling = residents[compound.community_id], ACTOR
        late = outcome == "closed_late"
        # open orders are recent or (about a third of them) long overdue; closed ones spread over ~4 months
        if outcome in ("dispatched", "in_progress"):
            start = base - timedelta(days=rng.choice([1, 2, 25, 40]), hours=rng.randint(1, 8))
        elif outcome in ("resolved", "reopened"):
            start = base - timedelta(days=rng.choice([5, 8, 30]), hours=rng.randint(1, 8))
        elif outcome in ("received", "accepted"):
            start = base - timedelta(hours=rng.randint(2, 20))
        else:
            start = base - timedelta(days=rng.randint(16, 130), hours=rng.randint(0, 10))
        draft = complaints.ComplaintDraft(
            compound_id=compound.id, channel=channel, kind=kind, category=category, urgency=urgency,
            title=title, description=text, complainant_name=person.name, complainant_phone=person.phone,
            external_ref=f"12345-{start:%Y%m%d}-{n:04d}" if channel is Channel.HOTLINE_12345 else None,
            received_at=start - timedelta(minutes=rng.randint(3, 40)), complainant_person_id=person.id,
        )
        planned.append((start, n, draft, outcome, handler, handling, late))
    # Filed in the order they came in, so that order numbers (TS-2026-000123) rise with their dates, as in a
    # real ledger; each order's later steps come after its own filing.
    for start, _, draft, outcome, handler, handling, late in sorted(planned, key=lambda p: (p[2].received_at, p[1])):
        order = await complaints.file_complaint(actor=ACTOR, draft=draft, now=start)
        await _walk(rng, order.id, outcome, start, handler, handling, late)
    return len(outcomes)


async def _walk(rng: random.Random, order_id: int, outcome: str, start: datetime, handler: int, handling: Viewer,
                late: bool) -> None:
    t = start
    steps = STEPS.get(outcome, 9)

    def later(**delta: float) -> datetime:
        nonlocal t
        t = t + timedelta(**delta)
        return t

    if outcome == "rejected":
        await complaints.reject_complaint(actor=ACTOR, complaint_id=order_id, reason="属于业主之间民事纠纷",
                                          redirect_to="人民调解委员会", now=later(minutes=50))
        return
    if steps >= 1:
        await complaints.accept_complaint(actor=ACTOR, complaint_id=order_id, note="", now=later(minutes=20))
    if steps >= 2:
        await complaints.dispatch_complaint(actor=ACTOR, complaint_id=order_id, handler_id=handler, note="",
                                            now=later(minutes=30))
    rounds = 2 if outcome.startswith("reopened") else 1
    for round_ in range(rounds):
        if steps < 3 or (outcome == "reopened" and round_ == 1):
            return
        await complaints.acknowledge_complaint(actor=handling, complaint_id=order_id, note="已签收",
                                               now=later(hours=rng.randint(1, 6)))
        if steps < 4:
            return
        await complaints.resolve_complaint(actor=handling, complaint_id=order_id, resolution="已现场处置完毕",
                                           now=later(days=rng.randint(9, 12) if late else rng.randint(0, 2),
                                                     hours=rng.randint(2, 20)))
        if steps < 5:
            return
        unsatisfied = outcome.startswith("reopened") and round_ == 0
        satisfaction = (Satisfaction.UNSATISFIED if unsatisfied
                        else rng.choice([Satisfaction.SATISFIED] * 2 + [Satisfaction.BASICALLY_SATISFIED]))
        visit = complaints.VisitDraft(reached=True, solved=not unsatisfied, satisfaction=satisfaction,
                                      note="诉求人反映问题仍未解决" if unsatisfied else "回访满意")
        await complaints.record_return_visit(actor=ACTOR, complaint_id=order_id, visit=visit, now=later(hours=20))
    await complaints.close_complaint(actor=ACTOR, complaint_id=order_id, note="办结销号", now=later(hours=1))


async def _meetings(rng: random.Random, base: datetime, formed: list[OwnersBody], bodies: Posts,
                    serving: Serving) -> int:
    """A four-party joint meeting and an owners' committee meeting, each with published minutes."""
    today = local_date(base)
    active = [c for c in formed if c.filed_on is not None and c.compound_id in serving]
    if not active:
        return 0
    committee = active[0]
    compound = await Compound.get(id=committee.compound_id)
    seats = await Membership.filter(body_id=committee.body_id).order_by("id")
    chair = seats[0].person_id
    party = bodies[(compound.community_id, BodyKind.COMMUNITY_PARTY_ORGANISATION)]
    secretary = next(m for m in sorted(party, key=lambda m: m.role is not MembershipRole.SECRETARY)
                     if m.person_id != chair)
    residents = next(m for m in bodies[(compound.community_id, BodyKind.RESIDENTS_COMMITTEE)]
                     if m.person_id not in (secretary.person_id, chair))
    manager = await Membership.filter(role=MembershipRole.PROJECT_MANAGER, compound_id=compound.id,
                                      starts_on__lte=today).order_by("-starts_on").first()
    joint = [
        deliberation.ParticipantSpec(secretary.person_id, Party.PARTY_ORGANISATION, MeetingRole.CHAIR),
        deliberation.ParticipantSpec(residents.person_id, Party.RESIDENTS_COMMITTEE, MeetingRole.RECORDER),
        deliberation.ParticipantSpec(chair, Party.OWNERS_COMMITTEE, MeetingRole.ATTENDEE),
        deliberation.ParticipantSpec(manager.person_id, Party.PROPERTY_FIRM, MeetingRole.ATTENDEE),
    ]
    await _meeting(
        deliberation.MeetingDraft(
            MeetingKind.FOUR_PARTY_JOINT, f"{compound.name}四方联席会（消防通道整治）", secretary.body_id,
            at(today - timedelta(days=16), 15), compound_id=compound.id, location="社区党群服务中心",
            participants=joint, agenda=[deliberation.ItemSpec("消防通道违停整治方案", DecisionRule.MAJORITY_OF_PRESENT)],
        ),
        present=[p.person_id for p in joint], notice_days=5, base=base,
        body="四方共同研究消防通道违停问题，议定由物业设置隔离桩、业委会发动业主劝导、社区每周督查。",
    )
    members = [m.person_id for m in seats]
    specs = [deliberation.ParticipantSpec(p, Party.OWNERS_COMMITTEE, MeetingRole.CHAIR if i == 0 else
                                          MeetingRole.RECORDER if i == 1 else MeetingRole.ATTENDEE)
             for i, p in enumerate(members)]
    await _meeting(
        deliberation.MeetingDraft(
            MeetingKind.OWNERS_COMMITTEE, f"{compound.name}业主委员会第{rng.randint(3, 9)}次会议", committee.body_id,
            at(today - timedelta(days=3), 19), compound_id=compound.id, location="小区业委会办公室", participants=specs,
            agenda=[deliberation.ItemSpec("公共收益年度收支情况公示", DecisionRule.MAJORITY_OF_ALL_MEMBERS)],
        ),
        present=members[:-1], notice_days=8, base=base,
        body="审议公共收益年度收支情况，同意于小区公告栏及线上平台公示十五日。",
    )
    return 2


async def _meeting(draft: deliberation.MeetingDraft, *, present: list[int], notice_days: int, base: datetime,
                   body: str) -> None:
    start = draft.scheduled_at
    issued = start - timedelta(days=notice_days)
    meeting = await deliberation.schedule_meeting(actor=ACTOR, draft=draft, now=issued - timedelta(hours=2))
    await deliberation.issue_notice(actor=ACTOR, meeting_id=meeting.id, issued_at=issued, now=issued)
    await deliberation.open_meeting(actor=ACTOR, meeting_id=meeting.id, present_person_ids=present, now=start)
    item = await AgendaItem.get(meeting_id=meeting.id, position=1)
    await voting.open_voting(actor=ACTOR, item_id=item.id, now=start + timedelta(minutes=20))
    for i, person in enumerate(present):
        entry = voting.BallotEntry(item.id, person, Choice.ABSTAIN if i == len(present) - 1 else Choice.AGREE)
        await voting.cast_ballot(actor=ACTOR, entry=entry, now=start + timedelta(minutes=25 + i), broker=None)
    await voting.close_voting(actor=ACTOR, item_id=item.id, now=start + timedelta(minutes=45), broker=None)
    await deliberation.close_meeting(actor=ACTOR, meeting_id=meeting.id, now=start + timedelta(hours=1))
    drafted = start + timedelta(hours=20)
    minutes = await records.draft_minutes(actor=ACTOR, meeting_id=meeting.id, body=body, now=drafted)
    for i, person in enumerate(present):
        await records.sign_minutes(actor=ACTOR, minutes_id=minutes.id, person_id=person,
                                   now=drafted + timedelta(hours=1, minutes=i))
    await records.publish_minutes(actor=ACTOR, minutes_id=minutes.id, now=min(base, drafted + timedelta(hours=3)))


def last_completed(kind: PeriodKind, today: date) -> Period:
    parts = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2, PeriodKind.YEAR: 1}[kind]
    index = (today.month - 1) * parts // 12 + 1
    return Period(today.year, kind, index - 1) if index > 1 else Period(today.year - 1, kind, parts)


async def _evaluation(rng: random.Random, base: datetime, streets: dict[int, Street]) -> str:
    """Inspections and credit events in the last completed period of one street, evaluated and published."""
    today = local_date(base)
    packs = {s.id: pack_of(s) for s in streets.values()}
    street = min(streets.values(), key=lambda s: (packs[s.id].credit.period != "QUARTER", s.id))
    period = last_completed(PeriodKind(packs[street.id].credit.period), today)
    links = await ContractCompound.filter(compound__street_id=street.id, starts_on__lte=period.start,
                                          ends_on__gte=period.end).order_by("id")
    firms = sorted({link.firm_id_copy for link in links})
    if not firms:
        return f"{street.name} {period} 无可评价企业"
    good, severe = firms[0], firms[-1]
    for link in [k for k in links if k.firm_id_copy not in (good, severe)][:3]:
        day = period.start + timedelta(days=rng.randint(5, 60))
        findings = [Finding("公共区域保洁不到位", Decimal("2.00"), "楼道堆物未清理"),
                    Finding("消防设施巡检记录缺失", Decimal(rng.choice(["1.50", "3.00"])))]
        inspection = await evaluation.record_inspection(
            actor=ACTOR, firm_id=link.firm_id_copy, compound_id=link.compound_id, inspected_on=day,
            findings=findings, rectify_by=day + timedelta(days=15), now=at(day, 16))
        if rng.random() < 0.7:
            await evaluation.record_rectification(actor=ACTOR, inspection_id=inspection.id,
                                                  rectified_on=day + timedelta(days=10), now=at(day + timedelta(10)))
    events = [(good, CreditEventKind.GOOD, "20.00", "获评市级物业管理示范项目"),
              (severe, CreditEventKind.SEVERE, "20.00", "擅自撤离服务区域，未按规定办理交接")]
    for firm_id, kind, points, reason in events:
        day = period.start + timedelta(days=rng.randint(10, 70))
        await evaluation.record_credit_event(actor=ACTOR, firm_id=firm_id, kind=kind, points=Decimal(points),
                                             reason=reason, occurred_on=day, valid_until=None, now=at(day, 17))
    run = await runs.run_credit_evaluation(actor=ACTOR, period=str(period), street_id=street.id,
                                           now=min(base, at(period.end, 9)))
    await runs.publish_evaluation(actor=ACTOR, evaluation_id=run.id, now=min(base, at(period.end + timedelta(5), 9)))
    return f"{street.name} {period}"
