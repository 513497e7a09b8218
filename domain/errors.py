"""Domain failures as values: raised once by a rule or service, mapped once in schema/core/errors.py."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    """The one error vocabulary of the API (the `code` of every UserError)."""

    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    DUPLICATE = "DUPLICATE"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    # accounts
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    # structure
    UNKNOWN_RULE_PACK = "UNKNOWN_RULE_PACK"
    INVALID_CREDIT_CODE = "INVALID_CREDIT_CODE"
    COMPOUND_ALREADY_SERVED = "COMPOUND_ALREADY_SERVED"
    FIRM_BLACKLISTED = "FIRM_BLACKLISTED"
    # committees
    COMMITTEE_SIZE = "COMMITTEE_SIZE"
    NOT_AN_OWNER = "NOT_AN_OWNER"
    CONFLICT_OF_INTEREST = "CONFLICT_OF_INTEREST"
    TERM_TOO_LONG = "TERM_TOO_LONG"
    COMMITTEE_EXISTS = "COMMITTEE_EXISTS"
    NOT_SAME_PERSON = "NOT_SAME_PERSON"
    NOT_ELECTED = "NOT_ELECTED"
    NEGATIVE_LISTED = "NEGATIVE_LISTED"
    # deliberation
    RULE_MISMATCH = "RULE_MISMATCH"
    NOTICE_PERIOD_NOT_ELAPSED = "NOTICE_PERIOD_NOT_ELAPSED"
    QUORUM_NOT_MET = "QUORUM_NOT_MET"
    MISSING_PARTY = "MISSING_PARTY"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"
    ALREADY_VOTED = "ALREADY_VOTED"
    VOTING_CLOSED = "VOTING_CLOSED"
    NOT_AN_ATTENDEE = "NOT_AN_ATTENDEE"
    ALREADY_SIGNED = "ALREADY_SIGNED"
    MISSING_SIGNATURES = "MISSING_SIGNATURES"
    # evaluation
    ALREADY_PUBLISHED = "ALREADY_PUBLISHED"


class RuleViolation(Exception):
    """A domain rejection: a stable code, the input field it concerns, and a message for people (zh-CN)."""

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        field: tuple[str, ...] | list[str] | str | None = None,
        *,
        en: str | None = None,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.message_en = en or message
        if isinstance(field, str):
            field = (field,)
        self.field: tuple[str, ...] | None = tuple(field) if field else None

    def __repr__(self) -> str:
        return f"RuleViolation({self.code}, {self.message!r}, field={self.field})"
