"""Filing, first meeting, dissolution, expiry and member changes of owners' bodies, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.bodies.models import Membership
from domain.calendar import LOCAL, add_months
from domain.committees.models import OwnersBody, SeatChange
from domain.committees.values import Status
from domain.deliberation.models import Meeting
from domain.deliberation.vocabulary import MeetingKind, MeetingStatus
from domain.geography.models import Ownership
from domain.workdays import add_working_days
from tests.api.structure_support import FORBIDDEN, OUTSIDE, assert_one_audit_event, refused
from tests.api.test_committees_support import (
    DISSOLVE,
    ELECTED,
    END_FORMER_OWNERS,
    END_SEAT,
    FILE,
    FIRST_MEETING,
    NOT_ALLOWED,
    TODAY,
    clock,  # noqa: F401 - autouse fixture
    committee_snapshot,
    formed,
    outside_token,
    send,
    token_for,
    world,
)
from tests.factories import gid


async def _seat(committee: dict, index: int) -> str:
    return committee["members"][index]["id"]


async def test_street_staff_file_an_elected_committee_which_becomes_active(gql, db):
    w = await world()
    committee = await formed(gql, w)

    payload = await send(gql, FILE, {"committeeId": committee["id"], "filedOn": str(TODAY)}, w.token())

    row = await OwnersBody.get()
    assert payload["errors"] == []
    assert (payload["committee"]["status"], payload["committee"]["filedOn"]) == ("ACTIVE", str(TODAY))
    assert payload["committee"]["availableActions"] == ["DISSOLVE"]
    assert (row.status, row.filed_on) == (Status.ACTIVE, TODAY)
    await assert_one_audit_event("fileOwnersCommittee", "OwnersCommittee", row.id, "street")


@pytest.mark.parametrize(
    ("_case", "filed_on", "times", "code", "field"),
    [
        ("指导规则 art. 35: filed once", TODAY, 2, "INVALID_TRANSITION", None),
        ("a filing before the election", ELECTED - timedelta(days=1), 1, "INVALID", ["filedOn"]),
        ("a filing in the future", TODAY + timedelta(days=1), 1, "INVALID", ["filedOn"]),
    ],
)
async def test_a_refused_filing_changes_nothing(gql, db, _case, filed_on, times, code, field):
    w = await world()
    committee = await formed(gql, w)
    for _ in range(times - 1):
        await send(gql, FILE, {"committeeId": committee["id"], "filedOn": str(TODAY)}, w.token())
    before = (await committee_snapshot(), await OwnersBody.get().values("status", "filed_on"))

    payload = await send(gql, FILE, {"committeeId": committee["id"], "filedOn": str(filed_on)}, w.token())

    refused(payload, code, field)
    assert (await committee_snapshot(), await OwnersBody.get().values("status", "filed_on")) == before


async def test_a_filing_for_an_unknown_committee_is_not_found(gql, db):
    w = await world()

    payload = await send(gql, FILE, {"committeeId": gid("OwnersCommittee", 4242), "filedOn": str(TODAY)}, w.token())

    refused(payload, "NOT_FOUND", ["committeeId"])


@pytest.mark.parametrize("role", [*NOT_ALLOWED, Role.COMMUNITY_STAFF])
async def test_only_the_street_and_the_centre_file_committees(gql, db, role):
    w = await world()
    committee = await formed(gql, w)
    token = await token_for(role, w)
    before = await committee_snapshot()

    payload = await send(gql, FILE, {"committeeId": committee["id"], "filedOn": str(TODAY)}, token)

    assert payload == {"committee": None, "errors": [FORBIDDEN]}
    assert await committee_snapshot() == before


async def test_street_staff_of_another_street_may_not_file(gql, db):
    w = await world()
    committee = await formed(gql, w)
    token = await outside_token()

    payload = await send(gql, FILE, {"committeeId": committee["id"], "filedOn": str(TODAY)}, token)

    assert payload == {"committee": None, "errors": [OUTSIDE]}
    assert (await OwnersBody.get()).status is Status.PREPARING


async def test_the_first_meeting_is_recorded_once(gql, db):
    w = await world()
    committee = await formed(gql, w)
    held = ELECTED + timedelta(days=3)

    first = await send(gql, FIRST_MEETING, {"committeeId": committee["id"], "heldOn": str(held)}, w.token())
    again = await send(gql, FIRST_MEETING, {"committeeId": committee["id"], "heldOn": str(held)}, w.token())
    early = await send(gql, FIRST_MEETING, {"committeeId": committee["id"], "heldOn": str(ELECTED - timedelta(1))},
                       w.token())

    assert first["committee"]["firstMeetingOn"] == str(held)
    refused(again, "INVALID_TRANSITION", ["committeeId"])
    refused(early, "INVALID", ["heldOn"])
    await assert_one_audit_event("recordFirstCommitteeMeeting", "OwnersCommittee", (await OwnersBody.get()).id,
                                 "street")


async def test_the_overview_shows_filing_and_first_meeting_deadlines(gql, db):
    w = await world()
    committee = await formed(gql, w, electedOn=str(TODAY - timedelta(days=31)))
    query = """query($id: ID!) { ownersCommittee(id: $id) { filingDeadline isFilingOverdue firstMeetingDeadline } }"""

    data = await gql(query, {"id": committee["id"]}, token=w.token())

    assert data["ownersCommittee"] == {"filingDeadline": str(TODAY - timedelta(days=1)), "isFilingOverdue": True,
                                       "firstMeetingDeadline": str(TODAY - timedelta(days=24))}


async def test_street_staff_dissolve_a_committee_and_every_seat_ends(gql, db):
    w = await world()
    committee = await formed(gql, w)

    payload = await send(gql, DISSOLVE, {"committeeId": committee["id"], "dissolvedOn": str(TODAY),
                                         "reason": "业主大会决定解散"}, w.token())

    row = await OwnersBody.get()
    assert payload["committee"]["status"] == "DISSOLVED"
    assert [m["endsOn"] for m in payload["committee"]["members"]] == [str(TODAY)] * 5  # the final composition
    assert (row.status, row.live_compound_id, row.ended_on, row.end_note) == (Status.DISSOLVED, None, TODAY,
                                                                              "业主大会决定解散")
    assert await Membership.filter(body_id=row.body_id, ends_on=TODAY, end_reason="DISSOLVED").count() == 5
    await assert_one_audit_event("dissolveOwnersCommittee", "OwnersCommittee", row.id, "street")


@pytest.mark.parametrize(
    ("_case", "input", "code", "field"),
    [
        ("no reason", {"dissolvedOn": str(TODAY), "reason": " "}, "INVALID", ["reason"]),
        ("a date before the election", {"dissolvedOn": str(ELECTED - timedelta(days=1)), "reason": "x"}, "INVALID",
         ["dissolvedOn"]),
    ],
)
async def test_a_refused_dissolution_changes_nothing(gql, db, _case, input, code, field):
    w = await world()
    committee = await formed(gql, w)
    before = await committee_snapshot()

    payload = await send(gql, DISSOLVE, {"committeeId": committee["id"], **input}, w.token())

    refused(payload, code, field)
    assert await committee_snapshot() == before
    assert (await OwnersBody.get()).status is Status.PREPARING


async def test_a_dissolved_committee_is_not_dissolved_again(gql, db):
    w = await world()
    committee = await formed(gql, w)
    input = {"committeeId": committee["id"], "dissolvedOn": str(TODAY), "reason": "解散"}
    await send(gql, DISSOLVE, input, w.token())

    payload = await send(gql, DISSOLVE, input, w.token())

    refused(payload, "INVALID_TRANSITION", None)


async def test_a_committee_past_its_term_shows_expired_and_gives_way_to_the_next_election(gql, db):
    w = await world()
    old = await formed(gql, w, electedOn=str(TODAY - timedelta(days=400)), termEndsOn=str(TODAY))
    row = await OwnersBody.get()
    await OwnersBody.filter(id=row.id).update(term_ends_on=TODAY - timedelta(days=1))
    query = """query($id: ID!) { ownersCommittee(id: $id) { status availableActions } }"""

    shown = await gql(query, {"id": old["id"]}, token=w.token())
    new = await formed(gql, w, w.owners[4:9])

    await row.refresh_from_db()
    assert shown["ownersCommittee"] == {"status": "EXPIRED", "availableActions": []}
    assert (row.status, row.live_compound_id) == (Status.EXPIRED, None)
    assert new["status"] == "PREPARING"
    await assert_one_audit_event("expireOwnersCommittee", "OwnersCommittee", row.id, "centre")


async def test_a_member_resigns_and_the_history_keeps_the_seat(gql, db):
    w = await world()
    committee = await formed(gql, w)
    seat = await _seat(committee, 2)

    payload = await send(gql, END_SEAT, {"membershipId": seat, "reason": "RESIGNED", "endedOn": str(TODAY),
                                         "note": "工作调动"}, w.token())
    history = await gql("""query($id: ID!) { ownersCommittee(id: $id) { members(includeEnded: true) { endsOn }
        seatChanges { reason effectiveOn note membership { person { name } } } } }""", {"id": committee["id"]},
                        token=w.token())

    assert payload["errors"] == []
    assert payload["membership"] == {"id": seat, "endsOn": str(TODAY), "endReason": "RESIGNED"}
    assert history["ownersCommittee"]["seatChanges"] == [
        {"reason": "RESIGNED", "effectiveOn": str(TODAY), "note": "工作调动", "membership": {"person": {"name": "业主3"}}}]
    assert [m["endsOn"] for m in history["ownersCommittee"]["members"]].count(str(TODAY)) == 1
    await assert_one_audit_event("endCommitteeSeat", "OwnersCommittee", (await OwnersBody.get()).id, "street")


async def test_a_committee_below_half_its_seats_is_flagged_for_reelection(gql, db):
    w = await world()
    committee = await formed(gql, w)
    for index in (1, 2, 3):
        await send(gql, END_SEAT, {"membershipId": await _seat(committee, index), "reason": "REMOVED",
                                   "endedOn": str(TODAY - timedelta(days=1))}, w.token())  # the last day held
    query = """query($scope: ID) { committeesDueForReelection(scopeId: $scope) { totalCount
        edges { node { id filledSeatCount reelection { reasons } } } } }"""

    data = await gql(query, {"scope": gid("Street", w.street.id)}, token=w.token())

    assert data["committeesDueForReelection"] == {"totalCount": 1, "edges": [{"node": {
        "id": committee["id"], "filledSeatCount": 2, "reelection": {"reasons": ["SEATS_BELOW_SHARE"]}}}]}


async def test_a_committee_inside_the_lead_time_is_due_and_one_outside_is_not(gql, db):
    near, far = await world(), await world(tag="-far")
    # national pack: the re-election starts 3 months (the corresponding date) before the term ends
    await formed(gql, near, termEndsOn=str(add_months(TODAY, 3)))
    await formed(gql, far, termEndsOn=str(add_months(TODAY, 3) + timedelta(days=1)))
    query = """{ committeesDueForReelection { edges { node { compound { id } reelection { reasons } } } } }"""

    data = await gql(query, token=near.token(Role.CENTRE_ADMIN))

    assert data["committeesDueForReelection"]["edges"] == [{"node": {
        "compound": {"id": gid("Compound", near.compound.id)}, "reelection": {"reasons": ["TERM_ENDING"]}}}]


@pytest.mark.parametrize(
    ("_case", "input", "code", "field"),
    [
        ("指导规则 art. 37: an owner does not lose a seat for not owning", {"reason": "CEASED_TO_BE_OWNER"}, "INVALID",
         ["reason"]),
        ("term end is not a member change", {"reason": "TERM_ENDED"}, "INVALID", ["reason"]),
        ("a seat ending in the future", {"reason": "RESIGNED", "endedOn": str(TODAY + timedelta(days=1))}, "INVALID",
         ["endedOn"]),
        ("a post that is not a committee seat", {"membershipId": "other", "reason": "RESIGNED"}, "NOT_FOUND",
         ["membershipId"]),
    ],
)
async def test_a_refused_member_change_changes_nothing(gql, db, _case, input, code, field):
    w = await world()
    committee = await formed(gql, w)
    other = await Membership.create(body_id=w.residents_committee.id, person_id=w.owners[0].id, role="MEMBER",
                                    starts_on=ELECTED, created_at=ELECTED.isoformat() + "T00:00:00Z")
    sent = {"membershipId": await _seat(committee, 1), "endedOn": str(TODAY), **input}
    if sent["membershipId"] == "other":
        sent["membershipId"] = gid("Membership", other.id)
    before = await committee_snapshot()

    payload = await send(gql, END_SEAT, sent, w.token())

    refused(payload, code, field)
    assert await committee_snapshot() == before


async def test_seats_of_members_who_sold_their_unit_end_by_law(gql, db):
    w = await world()
    committee = await formed(gql, w)
    await Ownership.filter(person_id=w.owners[3].id).delete()

    payload = await send(gql, END_FORMER_OWNERS, {"committeeId": committee["id"]}, w.token())
    again = await send(gql, END_FORMER_OWNERS, {"committeeId": committee["id"]}, w.token())

    assert payload["ended"] == [{"id": committee["members"][3]["id"], "person": {"name": "业主4"}}]
    assert [m["endsOn"] for m in payload["committee"]["members"]] == [None, None, None, str(TODAY), None]
    assert again["ended"] == []
    assert await SeatChange.filter(reason="CEASED_TO_BE_OWNER").count() == 1
    # Each successful check is one audit event, also the second one that found nobody (issue 15 item 8).
    checks = await AuditEvent.filter(action="endSeatsOfFormerOwners").order_by("id")
    assert [("业主4" in e.summary, e.entity_id) for e in checks] == [
        (True, str((await OwnersBody.get()).id)), (False, str((await OwnersBody.get()).id))]


MUTATIONS = {
    "recordFirstCommitteeMeeting": (FIRST_MEETING, lambda c, m: {"committeeId": c, "heldOn": str(TODAY)}),
    "dissolveOwnersCommittee": (DISSOLVE, lambda c, m: {"committeeId": c, "dissolvedOn": str(TODAY),
                                                        "reason": "x"}),
    "endCommitteeSeat": (END_SEAT, lambda c, m: {"membershipId": m, "reason": "RESIGNED", "endedOn": str(TODAY)}),
    "endSeatsOfFormerOwners": (END_FORMER_OWNERS, lambda c, m: {"committeeId": c}),
}
STREET_ONLY = {"dissolveOwnersCommittee"}


REFUSED = [
    (name, role)
    for name in sorted(MUTATIONS)
    for role in [*NOT_ALLOWED, Role.COMMUNITY_STAFF, "outside"]
    # community staff may change members, but dissolving is the street's act
    if role is not Role.COMMUNITY_STAFF or name in STREET_ONLY
]


@pytest.mark.parametrize("name, role", REFUSED)
async def test_member_changes_and_dissolution_are_refused_to_other_roles(gql, db, name, role):
    w = await world()
    committee = await formed(gql, w)
    token = await outside_token() if role == "outside" else await token_for(role, w)
    doc, input = MUTATIONS[name]
    before = await committee_snapshot()

    payload = await send(gql, doc, input(committee["id"], committee["members"][1]["id"]), token)

    assert payload["errors"] == [OUTSIDE if role == "outside" else FORBIDDEN]
    assert await committee_snapshot() == before


UNKNOWN = {
    "recordFirstCommitteeMeeting": (FIRST_MEETING, {"committeeId": gid("OwnersCommittee", 4242),
                                                    "heldOn": str(TODAY)}, ["committeeId"]),
    "dissolveOwnersCommittee": (DISSOLVE, {"committeeId": gid("OwnersCommittee", 4242), "dissolvedOn": str(TODAY),
                                           "reason": "x"}, ["committeeId"]),
    "endCommitteeSeat": (END_SEAT, {"membershipId": gid("Membership", 4242), "reason": "RESIGNED",
                                    "endedOn": str(TODAY)}, ["membershipId"]),
    "endSeatsOfFormerOwners": (END_FORMER_OWNERS, {"committeeId": gid("OwnersCommittee", 4242)}, ["committeeId"]),
}


@pytest.mark.parametrize("name", sorted(UNKNOWN))
async def test_an_unknown_committee_or_seat_is_not_found(gql, db, name):
    w = await world()
    doc, input, field = UNKNOWN[name]

    payload = await send(gql, doc, input, w.token())

    refused(payload, "NOT_FOUND", field)


async def test_a_seat_ends_once(gql, db):
    w = await world()
    committee = await formed(gql, w)
    input = {"membershipId": await _seat(committee, 1), "reason": "RESIGNED", "endedOn": str(TODAY)}
    await send(gql, END_SEAT, input, w.token())
    before = await committee_snapshot()

    payload = await send(gql, END_SEAT, {**input, "reason": "REMOVED"}, w.token())

    refused(payload, "INVALID_TRANSITION", ["membershipId"])
    assert await committee_snapshot() == before


async def test_every_term_of_a_compound_stays_queryable_with_its_members(gql, db):
    w = await world()
    first = await formed(gql, w, electedOn=str(TODAY - timedelta(days=400)), termEndsOn=str(TODAY))
    await send(gql, DISSOLVE, {"committeeId": first["id"], "dissolvedOn": str(TODAY - timedelta(days=30)),
                               "reason": "业主大会决定改选"}, w.token())
    second = await formed(gql, w, w.owners[4:9])
    query = """query($scope: ID, $status: CommitteeStatus) {
      ownersCommittees(filter: {scopeId: $scope, status: $status}) { totalCount
        edges { node { id status endNote members(includeEnded: true) { person { name } } } } } }"""

    every = await gql(query, {"scope": gid("Compound", w.compound.id)}, token=w.token())
    dissolved = await gql(query, {"scope": gid("Compound", w.compound.id), "status": "DISSOLVED"}, token=w.token())

    nodes = [e["node"] for e in every["ownersCommittees"]["edges"]]
    assert [(n["id"], n["status"], n["endNote"]) for n in nodes] == [
        (first["id"], "DISSOLVED", "业主大会决定改选"), (second["id"], "PREPARING", None)]
    assert [m["person"]["name"] for m in nodes[0]["members"]] == ["业主1", "业主2", "业主3", "业主4", "业主5"]
    assert dissolved["ownersCommittees"]["totalCount"] == 1


async def test_beijing_shows_the_streets_filing_and_the_chair_names_deadlines(gql, db):
    w, national = await world("beijing"), await world(tag="-national")
    committee = await formed(gql, w)
    other = await formed(gql, national)
    first_meeting = ELECTED + timedelta(days=3)
    for c, owner in ((committee, w), (other, national)):
        await send(gql, FIRST_MEETING, {"committeeId": c["id"], "heldOn": str(first_meeting)}, owner.token())
        await send(gql, FILE, {"committeeId": c["id"], "filedOn": str(TODAY)}, owner.token())
    query = """query($id: ID!) { ownersCommittee(id: $id) { streetFilingDeadline chairNamesDueOn } }"""

    shown = (await gql(query, {"id": committee["id"]}, token=w.token()))["ownersCommittee"]
    silent = (await gql(query, {"id": other["id"]}, token=national.token()))["ownersCommittee"]

    # 京条例 art. 43: 5 working days after the filing; art. 42: 3 days after the first meeting
    assert shown == {"streetFilingDeadline": str(add_working_days(TODAY, 5).last_day),
                     "chairNamesDueOn": str(first_meeting + timedelta(days=3))}
    assert silent == {"streetFilingDeadline": None, "chairNamesDueOn": None}


async def test_a_beijing_committee_without_a_meeting_for_two_months_is_flagged(gql, db):
    w = await world("beijing")
    committee = await formed(gql, w, electedOn=str(add_months(TODAY, -2) - timedelta(days=1)))
    query = """query($id: ID!) { ownersCommittee(id: $id) { regularMeetingOverdue } }"""
    before = (await gql(query, {"id": committee["id"]}, token=w.token()))["ownersCommittee"]
    row = await OwnersBody.get(compound_id=w.compound.id)
    opened = datetime.combine(TODAY - timedelta(days=1), time(10), LOCAL)
    await Meeting.create(kind=MeetingKind.OWNERS_COMMITTEE, status=MeetingStatus.CLOSED, title="例会",
                         compound_id=w.compound.id, convener_id=row.body_id, scheduled_at=opened, opened_at=opened,
                         closed_at=opened, rule_pack=row.rule_pack, created_at=opened)

    after = (await gql(query, {"id": committee["id"]}, token=w.token()))["ownersCommittee"]

    # 京条例 art. 45: elected two months and a day ago with no meeting; a meeting yesterday clears the flag
    assert (before, after) == ({"regularMeetingOverdue": True}, {"regularMeetingOverdue": False})
