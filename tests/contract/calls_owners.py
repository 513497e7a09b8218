"""How the contract's owners' app voting and sign-up operations are called (owner/owner-app.graphql).

The scenario's first owner gets an ID number and an OWNER account; an owners' assembly of the scenario's
compound is driven through the domain's use cases to the stage each operation needs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.accounts.rules import Role, Viewer
from domain.deliberation import own_ballots, voting
from domain.deliberation.register_models import Candidate
from domain.deliberation.vocabulary import Choice
from domain.geography.models import Person
from domain.owners.codes import CodePurpose, digest
from domain.owners.models import OwnerVerification
from domain.owners.throttle import LimitsThrottle, use_throttle
from tests.conftest import make_token
from tests.contract.scenario import Call, Scenario, call
from tests.factories import gid
from tests.owners_support import CENTRE, assembly, election

ID_NUMBER = "11010519491231002X"


def _now() -> datetime:
    return datetime.now(UTC)


async def _owner_token(s: Scenario) -> str:
    return await make_token(Role.OWNER, person_id=s.owners[0].id)


@call("RequestOwnerVerification")
async def _request_verification(s: Scenario) -> Call:
    use_throttle(LimitsThrottle())
    await Person.filter(id=s.owners[0].id).update(id_number=ID_NUMBER)
    return Call({"input": {"compoundId": gid("Compound", s.compound.id), "name": s.owners[0].name,
                           "idNumber": ID_NUMBER, "phone": s.owners[0].phone}}, None)


@call("CompleteOwnerSignUp")
async def _complete_sign_up(s: Scenario) -> Call:
    use_throttle(LimitsThrottle())
    await OwnerVerification.create(public_id="contract-verification", purpose=CodePurpose.SMS,
                                   compound_id=s.compound.id, person_id=s.owners[0].id,
                                   code_hash=digest("contract-verification", "246810"),
                                   expires_at=_now() + timedelta(minutes=10), wrong_guesses=0, created_at=_now())
    return Call({"input": {"verificationId": "contract-verification", "code": "246810", "username": "wang-fang",
                           "password": "a long enough password"}}, None)


@call("MyHome")
async def _my_home(s: Scenario) -> Call:
    await assembly(s.compound)
    return Call({}, await _owner_token(s))


@call("CastMyBallot")
async def _cast_my_ballot(s: Scenario) -> Call:
    _, items = await assembly(s.compound)
    return Call({"input": {"agendaItemId": gid("AgendaItem", items[0].id), "choice": "AGREE"}}, await _owner_token(s))


@call("CastMyElectionBallot")
async def _cast_my_election_ballot(s: Scenario) -> Call:
    _, items = await assembly(s.compound, [election([o.id for o in s.owners[:4]], 3)])
    chosen = await Candidate.filter(item_id=items[0].id).order_by("position").limit(2).values_list("id", flat=True)
    return Call({"input": {"agendaItemId": gid("AgendaItem", items[0].id),
                           "candidateIds": [gid("Candidate", c) for c in chosen]}}, await _owner_token(s))


@call("VerifyBallotReceipt")
async def _verify_receipt(s: Scenario) -> Call:
    _, items = await assembly(s.compound)
    token = await _owner_token(s)
    from domain.accounts.models import AccessToken
    from domain.accounts.rules import hash_token

    account_id = (await AccessToken.get(token_hash=hash_token(token))).account_id
    voter = Viewer(account_id=account_id, username="owner", roles=frozenset({Role.OWNER}), person_id=s.owners[0].id)
    receipt, _ = await own_ballots.cast_my_ballot(actor=voter, item_id=items[0].id, choice=Choice.AGREE, now=_now(),
                                                  broker=None)
    await voting.close_voting(actor=CENTRE, item_id=items[0].id, now=_now(), broker=None)
    return Call({"trackingCode": receipt.tracking_code}, token)  # the owner checks their own receipt
