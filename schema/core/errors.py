"""The one error shape of the API: UserError with a code from the one ErrorCode enum, mapped once here."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types.field import StrawberryField

from domain.errors import ErrorCode as DomainErrorCode
from domain.errors import RuleViolation

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode", description="错误代码 — stable error codes")


@strawberry.type(description="业务错误 — a domain failure reported in a mutation payload")
class UserError:
    code: ErrorCode
    field: list[str] | None
    message: str


def user_error(violation: RuleViolation, language: str = "zh-CN") -> UserError:
    message = violation.message_en if language.startswith("en") else violation.message
    return UserError(code=violation.code, field=list(violation.field) if violation.field else None, message=message)


def error_payload(payload_type: Any, violation: RuleViolation, language: str) -> Any:
    """An instance of the mutation's payload carrying only the error (every other field None)."""
    return payload_type(errors=[user_error(violation, language)])


class UserErrors(FieldExtension):
    """Turns a RuleViolation raised by a mutation's use case into its payload's `errors`."""

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:  # pragma: no cover - async only
        raise NotImplementedError("mutations are async")

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        try:
            return await next_(source, info, **kwargs)
        except RuleViolation as violation:
            return error_payload(self.field.type, violation, info.context.language)
