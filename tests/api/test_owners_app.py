"""The owners' app over GraphQL (issue 12, Must show): verified sign-up, `me`, own ballots with receipts, written
consultation closed by the scheduler, elections."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from strawberry.relay import GlobalID

from api.vote_jobs import close_due_votes_job
from domain.accounts.models import Account
from domain.accounts.rules import Role
from domain.committees.models import OwnersBody
from domain.deliberation.models import AgendaItem, Ballot
from domain.deliberation.register_models import Candidate
from domain.messaging.models import OutboxMessage
from domain.owners.throttle import Buckets, LimitsThrottle, use_throttle
from tests import factories as f
from tests.conftest import make_token
from tests.contract.operations import contract_operations
from tests.owners_support import assembly, convener

OWNER_APP = {op.name: op.document for op in contract_operations() if op.file.startswith("owner/")}
STAFF_OPS = {op.name: op.document for op in contract_operations() if op.file.startswith("committee/")}
ID_NUMBER = "11010519491231002X"
ERRORS = "errors { code field message }"

SCHEDULE = """
mutation ScheduleMeeting($input: ScheduleMeetingInput!) {
  scheduleMeeting(input: $input) { meeting { id agenda { id maxSelections votingOpensAt votingClosesAt
    candidates { id name position } } } %s }
}""" % ERRORS
NOTICE = "mutation N($input: IssueMeetingNoticeInput!) { issueMeetingNotice(input: $input) { meeting { id } %s } }" % ERRORS
OPEN = "mutation O($input: OpenMeetingInput!) { openMeeting(input: $input) { meeting { id } %s } }" % ERRORS
OPEN_VOTING = "mutation V($input: AgendaItemActionInput!) { openVoting(input: $input) { agendaItem { id } %s } }" % ERRORS
CLOSE_VOTING = """mutation C($input: AgendaItemActionInput!) { closeVoting(input: $input) {
  agendaItem { id status result tally { passed explanation } candidates { name elected votes } } %s } }""" % ERRORS
CAST = """mutation P($input: CastBallotInput!) { castBallot(input: $input) { ballot { id } %s } }""" % ERRORS
INVITE = """mutation I($input: IssueOwnerInvitationsInput!) { issueOwnerInvitations(input: $input) {
  invitations { person { id name } units verificationId code expiresAt } %s } }""" % ERRORS
FORM = """mutation F($input: FormOwnersCommitteeInput!) { formOwnersCommittee(input: $input) {
  committee { id } %s } }""" % ERRORS


@pytest.fixture(autouse=True)
def fresh_throttle():
    use_throttle(LimitsThrottle())


def gid(kind: str, key: int) -> str:
    return f.gid(kind, key)


def pk(global_id: str) -> int:
    return int(GlobalID.from_id(global_id).node_id)


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def one(gql, document: str, variables: dict, token: str | None = None) -> dict:
    data = await gql(document, variables, token=token)
    (value,) = data.values()
    return value


async def compound_with_owners(n: int = 6):
    street = await f.street()
    compound = await f.compound(await f.community(street))
    owners = []
    for i in range(n):
        owner = await f.person(f"业主{i}", phone=f"1380013{i:04d}")
        await f.unit(compound, owner, building="5", number=f"{101 + i}")
        owners.append(owner)
    staff = await make_token(Role.STREET_STAFF, street_id=street.id)
    return street, compound, owners, staff


async def owner_token(person) -> str:
    return await make_token(Role.OWNER, person_id=person.id)


# --- sign-up ---------------------------------------------------------------------------------------------------


async def request_code(gql, compound, name: str, id_number: str, phone: str) -> dict:
    return await one(gql, OWNER_APP["RequestOwnerVerification"], {"input": {
        "compoundId": gid("Compound", compound.id), "name": name, "idNumber": id_number, "phone": phone}})


async def test_an_owner_signs_up_with_the_code_from_the_development_outbox_and_sees_their_home(gql, db):
    _, compound, owners, _ = await compound_with_owners(2)
    owner = owners[0]
    owner.id_number = ID_NUMBER
    await owner.save()

    asked = await request_code(gql, compound, owner.name, ID_NUMBER, owner.phone)
    message = await OutboxMessage.get(recipient=owner.phone)
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    wrong = await one(gql, OWNER_APP["CompleteOwnerSignUp"], {"input": {
        "verificationId": asked["verificationId"], "code": "000000" if code != "000000" else "111111",
        "username": "wangfang", "password": "a long enough password"}})
    signed = await one(gql, OWNER_APP["CompleteOwnerSignUp"], {"input": {
        "verificationId": asked["verificationId"], "code": code, "username": "wangfang",
        "password": "a long enough password"}})
    again = await one(gql, OWNER_APP["CompleteOwnerSignUp"], {"input": {
        "verificationId": asked["verificationId"], "code": code, "username": "wangfang2",
        "password": "a long enough password"}})
    home = await gql(OWNER_APP["MyHome"], token=signed["token"])

    assert asked["errors"] == [] and asked["verificationId"]
    assert code not in (await Account.get(username="wangfang")).password_hash
    assert codes(wrong) == ["INVALID_CODE"]
    assert signed["errors"] == [] and signed["viewer"]["roles"] == ["OWNER"]
    assert codes(again) == ["INVALID_CODE"]  # single use
    me = home["me"]
    assert me["person"]["name"] == owner.name and me["person"]["phone"] == owner.phone
    assert [u["number"] for u in me["units"]] == ["101"]
    assert [c["name"] for c in me["compounds"]] == [compound.name]


async def test_a_wrong_id_number_gets_the_same_answer_and_no_code(gql, db):
    _, compound, owners, _ = await compound_with_owners(1)
    owner = owners[0]
    owner.id_number = ID_NUMBER
    await owner.save()

    wrong = await request_code(gql, compound, owner.name, "110105194912310038", owner.phone)

    assert wrong["errors"] == [] and wrong["verificationId"] and wrong["expiresAt"]
    assert await OutboxMessage.filter(recipient=owner.phone).count() == 0
    # Whatever code is tried, the verification opens nothing.
    tried = await one(gql, OWNER_APP["CompleteOwnerSignUp"], {"input": {
        "verificationId": wrong["verificationId"], "code": "123456", "username": "intruder",
        "password": "a long enough password"}})
    assert codes(tried) == ["INVALID_CODE"]
    assert not await Account.exists(username="intruder")


async def test_an_unknown_compound_is_not_found(gql, db):
    answer = await one(gql, OWNER_APP["RequestOwnerVerification"], {"input": {
        "compoundId": gid("Compound", 999999), "name": "某人", "idNumber": ID_NUMBER, "phone": "13900000000"}})
    assert codes(answer) == ["NOT_FOUND"]


async def test_requests_for_one_phone_are_throttled(gql, db):
    use_throttle(LimitsThrottle(buckets=Buckets(per_phone="3/hour")))
    _, compound, owners, _ = await compound_with_owners(1)

    answers = [await request_code(gql, compound, "某人", ID_NUMBER, "13900000000") for _ in range(4)]

    assert [codes(a) for a in answers] == [[], [], [], ["THROTTLED"]]


async def test_staff_print_invitation_letters_whose_code_signs_the_owner_up(gql, db):
    _, compound, owners, staff = await compound_with_owners(3)

    letters = await one(gql, INVITE, {"input": {"compoundId": gid("Compound", compound.id)}}, staff)
    letter = next(i for i in letters["invitations"] if i["person"]["name"] == owners[2].name)
    signed = await one(gql, OWNER_APP["CompleteOwnerSignUp"], {"input": {
        "verificationId": letter["verificationId"], "code": letter["code"].lower(), "username": "letter-owner",
        "password": "a long enough password"}})
    refused = await one(gql, INVITE, {"input": {"compoundId": gid("Compound", compound.id)}},
                        await owner_token(owners[0]))

    assert len(letters["invitations"]) == 3 and letter["units"] == "5号楼1单元103"
    assert signed["errors"] == []
    assert (await Account.get(username="letter-owner")).person_id == owners[2].id
    assert codes(refused) == ["FORBIDDEN"]


# --- own ballots -----------------------------------------------------------------------------------------------


async def test_an_owner_votes_gets_a_receipt_cannot_vote_twice_nor_by_paper_and_finds_it_counted(gql, db):
    _, compound, owners, staff = await compound_with_owners(4)
    _, items = await assembly(compound)
    item = gid("AgendaItem", items[0].id)
    token = await owner_token(owners[0])

    before = (await gql(OWNER_APP["MyHome"], token=token))["me"]["openVotes"]
    cast = await one(gql, OWNER_APP["CastMyBallot"], {"input": {"agendaItemId": item, "choice": "AGREE"}}, token)
    twice = await one(gql, OWNER_APP["CastMyBallot"], {"input": {"agendaItemId": item, "choice": "OPPOSE"}}, token)
    paper = await one(gql, CAST, {"input": {"agendaItemId": item, "voterId": gid("Person", owners[0].id),
                                            "choice": "OPPOSE"}}, staff)
    after = (await gql(OWNER_APP["MyHome"], token=token))["me"]["openVotes"]
    receipt = cast["receipt"]
    pending = (await gql(OWNER_APP["VerifyBallotReceipt"], {"trackingCode": receipt["trackingCode"]}))
    for other in owners[1:3]:
        await one(gql, CAST, {"input": {"agendaItemId": item, "voterId": gid("Person", other.id),
                                        "choice": "AGREE"}}, staff)
    closed = await one(gql, CLOSE_VOTING, {"input": {"agendaItemId": item}}, staff)
    checked = (await gql(OWNER_APP["VerifyBallotReceipt"], {"trackingCode": receipt["trackingCode"]}, token=token))
    anonymous = (await gql(OWNER_APP["VerifyBallotReceipt"], {"trackingCode": receipt["trackingCode"]}))

    assert [(v["agendaItem"]["id"], v["seatLabel"], v["myBallot"]) for v in before] == [(item, "5号楼1单元101", None)]
    assert cast["errors"] == [] and receipt["choice"] == "AGREE" and receipt["seatLabel"] == "5号楼1单元101"
    assert len(receipt["trackingCode"]) == 19
    assert cast["tally"]["participatingVoters"] == 1
    assert codes(twice) == ["ALREADY_VOTED"] and codes(paper) == ["ALREADY_VOTED"]
    assert after[0]["myBallot"]["choice"] == "AGREE"
    assert pending["ballotReceipt"]["counted"] is False and pending["ballotReceipt"]["choice"] is None
    assert closed["errors"] == [] and closed["agendaItem"]["result"] == "PASSED"
    assert checked["ballotReceipt"] == {"trackingCode": receipt["trackingCode"], "counted": True, "choice": "AGREE",
                                        "agendaItem": {"id": item, "title": "使用维修资金更换电梯",
                                                       "result": "PASSED"}}
    # Anyone holding the code learns it was counted; the meeting itself stays with those who may read it.
    assert anonymous["ballotReceipt"]["counted"] is True and anonymous["ballotReceipt"]["agendaItem"] is None


async def test_co_owners_share_one_ballot_and_a_buyer_of_two_units_holds_one_seat(gql, db):
    _, compound, owners, staff = await compound_with_owners(2)
    wife, husband, buyer = await f.person("妻"), await f.person("夫"), await f.person("买家")
    await f.unit(compound, wife, husband, building="6", number="601")
    await f.unit(compound, buyer, building="6", number="602")
    await f.unit(compound, buyer, building="6", number="603")
    _, items = await assembly(compound)
    item = gid("AgendaItem", items[0].id)

    first = await one(gql, OWNER_APP["CastMyBallot"], {"input": {"agendaItemId": item, "choice": "OPPOSE"}},
                      await owner_token(wife))
    second = await one(gql, OWNER_APP["CastMyBallot"], {"input": {"agendaItemId": item, "choice": "AGREE"}},
                       await owner_token(husband))
    husband_home = (await gql(OWNER_APP["MyHome"], token=await owner_token(husband)))["me"]["openVotes"]
    buyer_home = (await gql(OWNER_APP["MyHome"], token=await owner_token(buyer)))["me"]["openVotes"]
    stranger = await one(gql, OWNER_APP["CastMyBallot"], {"input": {"agendaItemId": item, "choice": "AGREE"}},
                         await owner_token(await f.person("外人")))

    assert first["errors"] == [] and codes(second) == ["ALREADY_VOTED"]
    assert husband_home[0]["myBallot"]["choice"] == "OPPOSE"  # the co-owner's ballot is the seat's ballot
    assert [v["seatLabel"] for v in buyer_home] == ["6号楼1单元602 等2套"]
    assert codes(stranger) == ["NOT_ELIGIBLE"]


async def test_me_is_null_for_anonymous_callers_and_staff_without_a_person(gql, db):
    _, _, _, staff = await compound_with_owners(1)
    assert (await gql(OWNER_APP["MyHome"]))["me"] is None
    assert (await gql(OWNER_APP["MyHome"], token=staff))["me"] is None


# --- written consultation --------------------------------------------------------------------------------------


async def test_a_written_consultation_closes_by_the_scheduler_and_passes_with_paper_proxy_and_app_ballots(gql, db):
    _, compound, owners, staff = await compound_with_owners(6)
    body = await convener(compound)
    now = datetime.now(UTC)
    scheduled = await one(gql, SCHEDULE, {"input": {
        "kind": "OWNERS_ASSEMBLY", "compoundId": gid("Compound", compound.id),
        "convenerBodyId": gid("Organisation", body.id), "title": "书面征求意见：更换电梯",
        "scheduledAt": (now - timedelta(days=1)).isoformat(),
        "agenda": [{"title": "使用维修资金更换电梯", "decisionRule": "OWNERS_ORDINARY",
                    "matter": "USE_MAINTENANCE_FUND", "votingOpensAt": (now - timedelta(days=1)).isoformat(),
                    "votingClosesAt": (now + timedelta(days=14)).isoformat()}]}}, staff)
    meeting = scheduled["meeting"]["id"]
    item = scheduled["meeting"]["agenda"][0]["id"]
    too_late = await one(gql, NOTICE, {"input": {"meetingId": meeting,
                                                 "issuedAt": (now - timedelta(days=10)).isoformat()}}, staff)
    noticed = await one(gql, NOTICE, {"input": {"meetingId": meeting,
                                                "issuedAt": (now - timedelta(days=17)).isoformat()}}, staff)
    await one(gql, OPEN, {"input": {"meetingId": meeting, "presentPersonIds": []}}, staff)
    await one(gql, OPEN_VOTING, {"input": {"agendaItemId": item}}, staff)
    for owner in owners[:2]:
        assert (await one(gql, CAST, {"input": {"agendaItemId": item, "voterId": gid("Person", owner.id),
                                                "choice": "AGREE", "evidence": "纸质表决票"}}, staff))["errors"] == []
    proxy = await one(gql, CAST, {"input": {"agendaItemId": item, "voterId": gid("Person", owners[2].id),
                                            "choice": "AGREE", "proxyId": gid("Person", owners[5].id),
                                            "proxyAuthorisation": "授权委托书"}}, staff)
    for owner in owners[3:5]:
        app = await one(gql, OWNER_APP["CastMyBallot"], {"input": {"agendaItemId": item, "choice": "AGREE"}},
                        await owner_token(owner))
        assert app["errors"] == []
    early = await one(gql, CLOSE_VOTING, {"input": {"agendaItemId": item}}, staff)

    first = await close_due_votes_job(now=now + timedelta(days=14, minutes=1))
    second = await close_due_votes_job(now=now + timedelta(days=14, minutes=2))

    assert codes(too_late) == ["NOTICE_PERIOD_NOT_ELAPSED"] and noticed["errors"] == []
    assert scheduled["meeting"]["agenda"][0]["votingClosesAt"] is not None
    assert proxy["errors"] == []
    assert codes(early) == ["INVALID_TRANSITION"]
    assert [i for i, _ in first.closed] == [pk(item)] and second.closed == []
    row = await AgendaItem.get(id=pk(item))
    assert (row.status, row.result) == ("DECIDED", "PASSED")
    channels = sorted(await Ballot.filter(item_id=row.id).values_list("channel", flat=True))
    assert channels == ["APP", "APP", "PAPER", "PAPER", "PROXY"]
    assert row.final_tally["participating_voters"] == 5


# --- elections -------------------------------------------------------------------------------------------------


async def test_an_election_fills_five_seats_from_seven_candidates_and_forms_the_committee(gql, db):
    _, compound, owners, staff = await compound_with_owners(9)
    body = await convener(compound)
    now = datetime.now(UTC)
    scheduled = await one(gql, SCHEDULE, {"input": {
        "kind": "OWNERS_ASSEMBLY", "compoundId": gid("Compound", compound.id),
        "convenerBodyId": gid("Organisation", body.id), "title": "选举第一届业主委员会",
        "scheduledAt": (now + timedelta(days=1)).isoformat(),
        "agenda": [{"title": "选举业主委员会委员", "decisionRule": "OWNERS_ORDINARY", "matter": "ELECT_COMMITTEE",
                    "maxSelections": 5, "candidates": [{"personId": gid("Person", o.id)} for o in owners[:7]]}]}},
        staff)
    meeting = scheduled["meeting"]["id"]
    item = scheduled["meeting"]["agenda"][0]
    await one(gql, NOTICE, {"input": {"meetingId": meeting, "issuedAt": (now - timedelta(days=16)).isoformat()}},
              staff)
    await one(gql, OPEN, {"input": {"meetingId": meeting, "presentPersonIds": []}}, staff)
    await one(gql, OPEN_VOTING, {"input": {"agendaItemId": item["id"]}}, staff)
    candidates = [c["id"] for c in item["candidates"]]
    too_many = await one(gql, OWNER_APP["CastMyElectionBallot"], {"input": {
        "agendaItemId": item["id"], "candidateIds": candidates[:6]}}, await owner_token(owners[0]))
    # Owners 0-6 mark candidates 1-5; owners 7-8 mark 6 and 7: 1-5 get 7 of 9 heads and area, 6-7 get 2.
    for index, owner in enumerate(owners):
        marked = candidates[:5] if index < 7 else candidates[5:]
        cast = await one(gql, OWNER_APP["CastMyElectionBallot"], {"input": {
            "agendaItemId": item["id"], "candidateIds": marked}}, await owner_token(owner))
        assert cast["errors"] == [] and cast["receipt"]["trackingCode"]
    closed = await one(gql, CLOSE_VOTING, {"input": {"agendaItemId": item["id"]}}, staff)

    assert codes(too_many) == ["TOO_MANY_SELECTIONS"]
    assert closed["errors"] == [] and closed["agendaItem"]["result"] == "PASSED"
    elected = {c["name"] for c in closed["agendaItem"]["candidates"] if c["elected"]}
    assert elected == {o.name for o in owners[:5]}
    assert await Candidate.filter(item_id=pk(item["id"]), elected=True).count() == 5

    formed = await one(gql, FORM, {"input": {
        "compoundId": gid("Compound", compound.id), "kind": "OWNERS_COMMITTEE",
        "electedOn": now.date().isoformat(), "termEndsOn": (now.date() + timedelta(days=365 * 5 - 2)).isoformat(),
        "members": [], "electionMeetingId": meeting}}, staff)
    unknown = await one(gql, FORM, {"input": {
        "compoundId": gid("Compound", compound.id), "kind": "OWNERS_COMMITTEE",
        "electedOn": now.date().isoformat(), "termEndsOn": (now.date() + timedelta(days=365 * 5 - 2)).isoformat(),
        "members": [], "electionMeetingId": gid("Meeting", 999999)}}, staff)
    assert codes(unknown) == ["NOT_FOUND"]
    assert formed["errors"] == [], formed["errors"]
    assert await OwnersBody.filter(compound_id=compound.id, election_meeting_id=pk(meeting)).count() == 1


async def test_signing_up_again_rebinds_the_owners_account_and_signs_the_old_login_out(gql, client, db):
    _, compound, owners, _ = await compound_with_owners(1)
    owner = owners[0]
    owner.id_number = ID_NUMBER
    await owner.save()
    old_token = await owner_token(owner)

    asked = await request_code(gql, compound, owner.name, ID_NUMBER, owner.phone)
    code = re.search(r"\b(\d{6})\b", (await OutboxMessage.get(recipient=owner.phone)).body).group(1)
    signed = await one(gql, OWNER_APP["CompleteOwnerSignUp"], {"input": {
        "verificationId": asked["verificationId"], "code": code, "username": "new-phone-owner",
        "password": "a long enough password"}})

    assert signed["errors"] == []
    accounts = await Account.filter(person_id=owner.id)
    assert [a.username for a in accounts] == ["new-phone-owner"]
    old = await client.post("/graphql", json={"query": OWNER_APP["MyHome"]},
                            headers={"Authorization": f"Bearer {old_token}"})
    assert old.status_code == 401  # the revoked token of the old login
    assert (await gql(OWNER_APP["MyHome"], token=signed["token"]))["me"]["person"]["name"] == owner.name
