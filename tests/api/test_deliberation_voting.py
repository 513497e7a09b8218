"""Ballots over GraphQL: committee votes, owners' joint decisions (民法典 art. 278), corrections and closing."""

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.deliberation.models import AgendaItem, Ballot, BallotCorrection
from schema.core.relay import parse_id
from tests import factories as f
from tests.api.test_deliberation_support import (
    CAST,
    CLOSE,
    CLOSE_VOTING,
    CORRECT,
    ITEM_TALLY,
    OPEN_VOTING,
    build_world,
    cast,
    codes,
    gid,
    in_session,
    payload,
    voting,
)
from tests.conftest import make_token


def pk(global_id: str) -> int:
    return parse_id(global_id)[1]


async def test_a_members_ballot_records_who_entered_it_and_returns_the_tally(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)

    result = await cast(gql, w, item, w.members[0], evidence="纸质表决票 No.1")

    assert result["errors"] == []
    assert result["ballot"]["choice"] == "AGREE"
    assert result["ballot"]["voter"] == {"id": gid("Person", w.members[0].id)}
    assert result["ballot"]["enteredBy"]["username"].startswith("street_staff")
    assert {k: result["tally"][k] for k in ("eligibleVoters", "participatingVoters", "agreeVoters", "passed")} == {
        "eligibleVoters": 5, "participatingVoters": 1, "agreeVoters": 1, "passed": False}
    assert result["tally"]["eligibleArea"] is None
    row = await Ballot.get(id=pk(result["ballot"]["id"]))
    assert (row.seat_key, row.evidence) == (f"p{w.members[0].id}", "纸质表决票 No.1")
    assert await AuditEvent.filter(action="castBallot", entity_id=str(row.id)).count() == 1


async def test_an_error_message_follows_the_requests_language(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    await cast(gql, w, item, w.members[0])

    data = await gql(CAST, {"input": {"agendaItemId": item, "voterId": gid("Person", w.members[0].id),
                                      "choice": "AGREE"}}, token=w.staff_token, headers={"Accept-Language": "en"})

    assert data["castBallot"]["errors"] == [{"code": "ALREADY_VOTED", "field": ["voterId"], "message": "Already voted"}]


async def test_a_second_ballot_of_the_same_voter_is_already_voted(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    await cast(gql, w, item, w.members[0])

    again = await cast(gql, w, item, w.members[0], "OPPOSE")

    assert codes(again) == ["ALREADY_VOTED"] and again["ballot"] is None
    assert await Ballot.filter(item_id=pk(item)).count() == 1


async def test_a_member_who_is_absent_or_not_a_member_is_not_eligible(gql, db):
    w = await build_world()
    meeting = await in_session(gql, w, present=w.members[:4])
    item = meeting["agenda"][0]["id"]
    await payload(gql, OPEN_VOTING, {"agendaItemId": item}, w.staff_token)

    absent = await cast(gql, w, item, w.members[4])
    outsider = await cast(gql, w, item, w.project_manager)

    assert codes(absent) == ["NOT_ELIGIBLE"] and codes(outsider) == ["NOT_ELIGIBLE"]
    assert await Ballot.all().count() == 0


async def test_a_committee_ballot_may_not_be_cast_by_proxy(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)

    result = await cast(gql, w, item, w.members[0], proxyId=gid("Person", w.members[1].id),
                        proxyAuthorisation="委托书")

    assert codes(result) == ["NOT_ELIGIBLE"]
    assert await Ballot.all().count() == 0


async def test_ballots_before_voting_opens_or_after_it_closes_are_refused(gql, db):
    w = await build_world()
    meeting = await in_session(gql, w)
    item = meeting["agenda"][0]["id"]

    early = await cast(gql, w, item, w.members[0])
    await payload(gql, OPEN_VOTING, {"agendaItemId": item}, w.staff_token)
    for member in w.members[:3]:
        await cast(gql, w, item, member)
    closed = await payload(gql, CLOSE_VOTING, {"agendaItemId": item}, w.staff_token)
    late = await cast(gql, w, item, w.members[3])

    assert codes(early) == ["VOTING_CLOSED"] and codes(late) == ["VOTING_CLOSED"]
    assert closed["agendaItem"]["status"] == "DECIDED" and closed["agendaItem"]["result"] == "PASSED"
    assert closed["agendaItem"]["tally"]["agreeVoters"] == 3
    assert "全体成员过半数同意" in closed["agendaItem"]["tally"]["explanation"]
    row = await AgendaItem.get(id=pk(item))
    assert row.final_tally["agree_voters"] == 3
    assert await Ballot.filter(item_id=row.id).count() == 3


async def test_an_owner_may_cast_only_their_own_ballot(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    owner = await make_token(Role.OWNER, person_id=w.members[0].id, username="owner-zhang")

    for_someone_else = await cast(gql, w, item, w.members[1], token=owner)
    own = await cast(gql, w, item, w.members[0], token=owner)

    assert codes(for_someone_else) == ["FORBIDDEN"]
    assert own["errors"] == [] and own["ballot"]["enteredBy"]["username"] == "owner-zhang"


async def test_firm_staff_may_not_cast_ballots(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    firm_staff = await make_token(Role.FIRM_STAFF, firm_id=w.firm.id)

    result = await cast(gql, w, item, w.members[0], token=firm_staff)

    assert codes(result) == ["FORBIDDEN"]
    assert await Ballot.all().count() == 0


async def test_a_correction_is_a_separate_audited_act_with_a_reason(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    ballot = (await cast(gql, w, item, w.members[0]))["ballot"]

    no_reason = await payload(gql, CORRECT, {"ballotId": ballot["id"], "choice": "OPPOSE", "reason": " "},
                              w.staff_token)
    corrected = await payload(gql, CORRECT, {"ballotId": ballot["id"], "choice": "OPPOSE",
                                             "reason": "纸质票录入错误"}, w.staff_token)

    assert codes(no_reason) == ["INVALID"]
    assert corrected["errors"] == []
    assert corrected["ballot"]["choice"] == "OPPOSE"
    assert corrected["ballot"]["corrections"] == [{"oldChoice": "AGREE", "newChoice": "OPPOSE",
                                                   "reason": "纸质票录入错误"}]
    assert (corrected["tally"]["agreeVoters"], corrected["tally"]["opposeVoters"]) == (0, 1)
    assert await BallotCorrection.all().count() == 1
    assert await AuditEvent.filter(action="correctBallot").count() == 1


# --- owners' assembly (民法典 art. 278) --------------------------------------------------------------------


async def assembly(gql, w, *, agenda):
    """Adds to the world's five members (one 100 m² unit each): three developer units in building 2 (one seat),
    a buyer of two units (80 + 120 m², one seat) and a couple co-owning one 100 m² unit: 8 seats, 1100 m²."""
    for number in ("201", "202", "203"):
        await f.unit(w.compound, building="2", number=number, held_by_developer=True)
    buyer, wife, husband = await f.person("买家"), await f.person("妻"), await f.person("夫")
    await f.unit(w.compound, buyer, building="3", number="301", area="80.00")
    await f.unit(w.compound, buyer, building="3", number="302", area="120.00")
    await f.unit(w.compound, wife, husband, building="3", number="303")
    _, item = await voting(gql, w, kind="OWNERS_ASSEMBLY", title="业主大会", agenda=agenda, days_ago=16)
    return item, buyer, wife, husband


FUND = [{"title": "使用维修资金更换电梯", "decisionRule": "OWNERS_ORDINARY", "matter": "USE_MAINTENANCE_FUND"}]


async def test_an_owners_tally_counts_seats_by_head_and_areas_exactly(gql, db):
    w = await build_world()
    item, buyer, wife, husband = await assembly(gql, w, agenda=FUND)

    for member in w.members:
        await cast(gql, w, item, member)
    await cast(gql, w, item, buyer)
    last = await cast(gql, w, item, wife, "ABSTAIN")
    couple_again = await cast(gql, w, item, husband, "OPPOSE")

    tally = last["tally"]
    assert (tally["eligibleVoters"], tally["eligibleArea"]) == (8, "1100.00")
    assert (tally["participatingVoters"], tally["participatingArea"]) == (7, "800.00")
    assert (tally["agreeVoters"], tally["agreeArea"], tally["abstainVoters"]) == (6, "700.00", 1)
    assert tally["participationMet"] is True and tally["passed"] is True
    assert codes(couple_again) == ["ALREADY_VOTED"]


async def test_an_owners_item_fails_when_participation_by_area_falls_short(gql, db):
    w = await build_world()
    item, buyer, wife, _ = await assembly(gql, w, agenda=FUND)

    for member in w.members:
        await cast(gql, w, item, member)
    last = await cast(gql, w, item, wife)

    # 6 of 8 seats (≥ 2/3) but 600 of 1100 m² (< 2/3).
    assert (last["tally"]["participatingVoters"], last["tally"]["participatingArea"]) == (6, "600.00")
    assert last["tally"]["participationMet"] is False and last["tally"]["passed"] is False
    assert "面积未达到" in last["tally"]["explanation"]


async def test_a_person_without_a_unit_in_the_compound_is_not_eligible_for_an_owners_item(gql, db):
    w = await build_world()
    item, *_ = await assembly(gql, w, agenda=FUND)

    result = await cast(gql, w, item, w.project_manager)

    assert codes(result) == ["NOT_ELIGIBLE"]


async def test_an_owner_may_vote_by_proxy_with_a_written_authorisation(gql, db):
    w = await build_world()
    item, buyer, *_ = await assembly(gql, w, agenda=FUND)

    missing = await cast(gql, w, item, buyer, proxyId=gid("Person", w.members[0].id), proxyAuthorisation=" ")
    result = await cast(gql, w, item, buyer, proxyId=gid("Person", w.members[0].id),
                        proxyAuthorisation="授权委托书（2026-11-01）")

    assert codes(missing) == ["INVALID"]
    assert result["errors"] == []
    row = await Ballot.get(id=pk(result["ballot"]["id"]))
    assert (row.proxy_id, row.proxy_authorisation) == (w.members[0].id, "授权委托书（2026-11-01）")


async def test_voting_scoped_to_a_building_counts_only_its_owners(gql, db):
    w = await build_world()
    scoped = [{"title": "3号楼外墙改造", "decisionRule": "OWNERS_MAJOR", "matter": "REBUILD", "scopeBuilding": "3"}]
    item, buyer, wife, _ = await assembly(gql, w, agenda=scoped)

    outside = await cast(gql, w, item, w.members[0])
    await cast(gql, w, item, buyer)
    last = await cast(gql, w, item, wife)

    assert codes(outside) == ["NOT_ELIGIBLE"]
    assert (last["tally"]["eligibleVoters"], last["tally"]["eligibleArea"]) == (2, "300.00")
    assert last["tally"]["passed"] is True


async def test_the_agenda_item_tally_query_is_reproducible_from_the_stored_ballots(gql, db):
    w = await build_world()
    item, buyer, wife, _ = await assembly(gql, w, agenda=FUND)
    for member in w.members[:3]:
        await cast(gql, w, item, member)
    last = await cast(gql, w, item, buyer, "OPPOSE")

    queried = (await gql(ITEM_TALLY, {"id": item}, token=w.staff_token))["agendaItem"]

    assert queried["tally"] == last["tally"]
    assert (queried["decisionRule"], queried["status"], queried["result"]) == ("OWNERS_ORDINARY", "VOTING", None)


async def test_cast_ballot_rejects_an_unknown_item(gql, db):
    w = await build_world()

    result = await payload(gql, CAST, {"agendaItemId": gid("AgendaItem", 999), "voterId": gid("Person", 1),
                                       "choice": "AGREE"}, w.staff_token)

    assert codes(result) == ["NOT_FOUND"]


async def test_closing_a_meeting_with_voting_still_open_is_refused(gql, db):
    w = await build_world()
    meeting, item = await voting(gql, w)

    result = await payload(gql, CLOSE, {"meetingId": meeting["id"]}, w.staff_token)

    assert codes(result) == ["INVALID_TRANSITION"]
    assert (await AgendaItem.get(id=pk(item))).status == "VOTING"
