"""Mutations of the owners' app: verified sign-up, invitation letters, the owner's own ballots. Thin: parse, call
one use case, map the result."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.accounts.rules import STAFF
from domain.deliberation import own_ballots
from domain.deliberation.pubsub import TallyEvents
from domain.owners import service
from domain.owners.codes import VerificationRequest
from domain.owners.throttle import code_throttle
from schema.accounts.types import ViewerAccount
from schema.core.context import Info
from schema.core.errors import UserError, UserErrors
from schema.core.permissions import ANYONE_SIGNED_IN, mutation
from schema.core.relay import decode_id, decode_ids
from schema.deliberation.types import BallotChoice, Tally
from schema.geography.types import Person
from schema.owners.types import BallotReceipt


def _client(info: Info) -> str:
    request = info.context.request
    client = getattr(request, "client", None)
    return client.host if client is not None else "unknown"


def _events(info: Info) -> TallyEvents | None:
    return TallyEvents(info.context.events) if info.context.events is not None else None


@strawberry.input
class RequestOwnerVerificationInput:
    compound_id: strawberry.ID
    name: str
    id_number: str
    phone: str


@strawberry.type
class RequestOwnerVerificationPayload:
    verification_id: str | None = None
    expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CompleteOwnerSignUpInput:
    verification_id: str
    code: str
    username: str
    password: str


@strawberry.type
class CompleteOwnerSignUpPayload:
    token: str | None = None
    expires_at: datetime | None = None
    viewer: ViewerAccount | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class IssueOwnerInvitationsInput:
    compound_id: strawberry.ID


@strawberry.type(description="邀请函 — one owner's one-time sign-up code, shown once for printing")
class OwnerInvitation:
    person: Person
    units: str
    verification_id: str
    code: str
    expires_at: datetime


@strawberry.type
class IssueOwnerInvitationsPayload:
    invitations: list[OwnerInvitation] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CastMyBallotInput:
    agenda_item_id: strawberry.ID
    choice: BallotChoice


@strawberry.type
class CastMyBallotPayload:
    receipt: BallotReceipt | None = None
    tally: Tally | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CastMyElectionBallotInput:
    agenda_item_id: strawberry.ID
    candidate_ids: list[strawberry.ID] = strawberry.field(description="所选候选人（不超过 maxSelections；可为空即空白票）")


@strawberry.type
class CastMyElectionBallotPayload:
    receipt: BallotReceipt | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="业主身份验证 — a one-time code to the registry's phone; the same answer whether "
                                     "or not anyone matched", extensions=[UserErrors()])
    async def request_owner_verification(self, info: Info, input: RequestOwnerVerificationInput
                                         ) -> RequestOwnerVerificationPayload:
        request = VerificationRequest(compound_id=decode_id(input.compound_id, "Compound", "compoundId"),
                                      name=input.name, id_number=input.id_number, phone=input.phone)
        result = await service.request_verification(request=request, client_address=_client(info),
                                                    now=info.context.now, throttle=code_throttle())
        return RequestOwnerVerificationPayload(verification_id=result.verification_id, expires_at=result.expires_at)

    @strawberry.mutation(description="业主注册 — checks the code, creates or re-binds the OWNER account, signs in",
                         extensions=[UserErrors()])
    async def complete_owner_sign_up(self, info: Info, input: CompleteOwnerSignUpInput) -> CompleteOwnerSignUpPayload:
        token, expires_at, account = await service.complete_sign_up(
            verification_id=input.verification_id, code=input.code,
            sign_up=service.SignUp(username=input.username, password=input.password),
            client_address=_client(info), now=info.context.now, throttle=code_throttle())
        return CompleteOwnerSignUpPayload(token=token, expires_at=expires_at, viewer=ViewerAccount.from_model(account))

    @mutation(STAFF, "业主注册邀请函 — one-time codes for the compound's registered owners, shown once for printing")
    async def issue_owner_invitations(self, info: Info, input: IssueOwnerInvitationsInput
                                      ) -> IssueOwnerInvitationsPayload:
        letters = await service.issue_owner_invitations(
            actor=info.context.viewer, compound_id=decode_id(input.compound_id, "Compound", "compoundId"),
            now=info.context.now)
        return IssueOwnerInvitationsPayload(invitations=[
            OwnerInvitation(person=Person.from_model(i.person), units=i.units, verification_id=i.verification_id,
                            code=i.code, expires_at=i.expires_at) for i in letters])

    @mutation(ANYONE_SIGNED_IN, "业主自行投票 — for the seat the viewer holds; returns the receipt once")
    async def cast_my_ballot(self, info: Info, input: CastMyBallotInput) -> CastMyBallotPayload:
        receipt, tally = await own_ballots.cast_my_ballot(
            actor=info.context.viewer, item_id=decode_id(input.agenda_item_id, "AgendaItem", "agendaItemId"),
            choice=input.choice, now=info.context.now, broker=_events(info))
        return CastMyBallotPayload(receipt=BallotReceipt.from_value(receipt), tally=Tally.from_value(tally))

    @mutation(ANYONE_SIGNED_IN, "业主选举投票 — marks up to maxSelections candidates for the viewer's seat")
    async def cast_my_election_ballot(self, info: Info, input: CastMyElectionBallotInput
                                      ) -> CastMyElectionBallotPayload:
        receipt = await own_ballots.cast_my_election_ballot(
            actor=info.context.viewer, item_id=decode_id(input.agenda_item_id, "AgendaItem", "agendaItemId"),
            candidate_ids=decode_ids(input.candidate_ids, "Candidate", "candidateIds"), now=info.context.now,
            broker=_events(info))
        return CastMyElectionBallotPayload(receipt=BallotReceipt.from_value(receipt))
