"""Every String (and [String]) input of the schema with its maximum length, in one place (issue 15 item 7).

Limits follow the field: the database column where one bounds it (a longer value would be a fault), otherwise the
kind of text. A new String input field or argument must be added here: tests/api/test_input_bounds.py fails and
names the line to add. Checked before any resolver runs (schema/core/input_guard.py), with NUL characters and lone
surrogates, which no column stores (PostgreSQL rejects NUL; UTF-8 cannot encode a lone surrogate).
"""

from __future__ import annotations

# Kinds of text (characters).
CODE = 20  # building/entrance/unit numbers, phone numbers
ID_NUMBER = 18  # 居民身份证 (GB 11643), and the 统一社会信用代码 (GB 32100): 18 characters
SHORT = 60  # person names, usernames, categories, external references, rule pack names
NAME = 100  # names of streets, communities, compounds
ORG_NAME = 120  # names of firms and bodies
TITLE = 200  # titles, addresses, short notes stored in 200-character columns
SEARCH = 100  # search strings
PASSWORD = 200
NOTE = 2_000  # notes, reasons, descriptions, evidence
MINUTES = 100_000  # the body of a meeting's minutes
CURSOR = 200  # opaque cursors (after/before)
ID = 200  # global IDs (base64 of "Type:pk")
PERIOD = 10  # a disclosure's period (2026, 2026-03, 2026Q3, 2026H1) in its 10-character column
PUBLIC_ID = 40  # an owner verification's public ID (its 40-character column)
TRACKING_CODE = 32  # a ballot's receipt tracking code (its 32-character column)
RECIPIENT = 120  # an outbox message's recipient: phone, WeChat openid or person ID (its 120-character column)
DISCLOSURE_BODY = 20_000  # the body of a notice-board disclosure (what publish_disclosure accepts)

MAX_LENGTH: dict[str, int] = {
    # filters
    "ComplaintFilter.search": SEARCH,
    "CompoundFilter.search": SEARCH,
    "PersonFilter.search": SEARCH,
    "PropertyFirmFilter.search": SEARCH,
    # accounts
    "LoginInput.username": SHORT,
    "LoginInput.password": PASSWORD,
    "CreateAccountInput.username": SHORT,
    "CreateAccountInput.password": PASSWORD,
    "ClearLoginLockInput.username": SHORT,
    # structure
    "CreateStreetInput.name": NAME,
    "CreateStreetInput.rulePack": SHORT,
    "CreateCommunityInput.name": NAME,
    "CreateCompoundInput.name": NAME,
    "CreateCompoundInput.address": TITLE,
    "UpdateCompoundInput.name": NAME,
    "UpdateCompoundInput.address": TITLE,
    "RegisterPersonInput.name": SHORT,
    "RegisterPersonInput.phone": CODE,
    "RegisterPersonInput.idNumber": ID_NUMBER,
    "UnitInput.building": CODE,
    "UnitInput.entrance": CODE,
    "UnitInput.number": CODE,
    "RegisterPropertyFirmInput.name": ORG_NAME,
    "RegisterPropertyFirmInput.creditCode": ID_NUMBER,
    "RegisterPropertyFirmInput.partyBuildingInstructor": SHORT,
    "CreateBodyInput.name": ORG_NAME,
    # complaints
    "FileComplaintInput.category": SHORT,
    "FileComplaintInput.title": TITLE,
    "FileComplaintInput.description": NOTE,
    "FileComplaintInput.externalRef": SHORT,
    "ComplainantInput.name": SHORT,
    "ComplainantInput.phone": CODE,
    "ComplaintActionInput.note": NOTE,
    "RejectComplaintInput.reason": NOTE,
    "RejectComplaintInput.redirectTo": TITLE,
    "DispatchComplaintInput.note": NOTE,
    "ExtendComplaintInput.reason": NOTE,
    "EscalateComplaintInput.reason": NOTE,
    "ResolveComplaintInput.resolution": NOTE,
    "RecordReturnVisitInput.note": NOTE,
    "MergeComplaintsInput.note": NOTE,
    # evaluation
    "FindingInput.item": TITLE,
    "FindingInput.note": NOTE,
    "RecordCreditEventInput.reason": 500,  # credit_event.reason column
    # deliberation
    "ScheduleMeetingInput.title": TITLE,
    "ScheduleMeetingInput.location": TITLE,
    "AgendaItemInput.title": TITLE,
    "AgendaItemInput.description": NOTE,
    "AgendaItemInput.scopeBuilding": CODE,
    "AgendaItemInput.scopeEntrance": CODE,
    "CancelMeetingInput.reason": TITLE,
    "CastBallotInput.evidence": NOTE,
    "CastBallotInput.proxyAuthorisation": NOTE,
    "CorrectBallotInput.reason": NOTE,
    "DraftMinutesInput.body": MINUTES,
    "CreateFollowUpTaskInput.title": TITLE,
    "FollowUpTaskActionInput.note": NOTE,
    # owners' committees
    "DissolveOwnersCommitteeInput.reason": TITLE,
    "EndCommitteeSeatInput.note": TITLE,
    "ListReserveCandidateInput.note": TITLE,
    "RecordCrossAppointmentInput.decisionRef": TITLE,
    # owners' sign-up and own rating
    "RequestOwnerVerificationInput.name": SHORT,
    "RequestOwnerVerificationInput.idNumber": ID_NUMBER,
    "RequestOwnerVerificationInput.phone": CODE,
    "CompleteOwnerSignUpInput.verificationId": PUBLIC_ID,
    "CompleteOwnerSignUpInput.code": CODE,
    "CompleteOwnerSignUpInput.username": SHORT,
    "CompleteOwnerSignUpInput.password": PASSWORD,
    "RateMyComplaintInput.note": NOTE,
    # notice board
    "PublishDisclosureInput.title": TITLE,
    "PublishDisclosureInput.period": PERIOD,
    "PublishDisclosureInput.body": DISCLOSURE_BODY,
    # arguments of fields ("Type.field(argument)")
    "Query.rulePack(name)": SHORT,
    "Query.ballotReceipt(trackingCode)": TRACKING_CODE,
    "Query.outboxMessages(recipient)": RECIPIENT,
}

# Arguments bounded by their name wherever they occur: the relay cursors of every connection.
ARGUMENT_KINDS: dict[str, int] = {"after": CURSOR, "before": CURSOR}


def max_length(key: str, argument: str | None = None) -> int | None:
    """The declared maximum of an input field ("Input.field") or argument ("Type.field(arg)"), else None."""
    if key in MAX_LENGTH:
        return MAX_LENGTH[key]
    return ARGUMENT_KINDS.get(argument) if argument else None
