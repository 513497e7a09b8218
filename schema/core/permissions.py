"""Permissions declared on fields: who may call a mutation or read a field at all.

Jurisdiction (which street or compound) depends on data and is checked by the domain service.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission
from strawberry.types.field import StrawberryField

from domain.accounts.rules import CENTRE, STAFF, Role
from domain.errors import ErrorCode, RuleViolation
import strawberry

from schema.core.errors import UserErrors, error_payload

ANYONE_SIGNED_IN: frozenset[Role] = frozenset(Role)
ADMIN: frozenset[Role] = frozenset({Role.CENTRE_ADMIN})
__all__ = ["ADMIN", "ANYONE_SIGNED_IN", "Allow", "CENTRE", "STAFF", "SignedIn", "mutation"]


def _forbidden() -> RuleViolation:
    return RuleViolation(ErrorCode.FORBIDDEN, "无权执行此操作", None, en="You may not do this")


class Allow(FieldExtension):
    """Lets through viewers holding one of `roles`; others get FORBIDDEN (in the payload for mutations)."""

    def __init__(self, roles: frozenset[Role] | set[Role]) -> None:
        self.roles = frozenset(roles)

    def apply(self, field: StrawberryField) -> None:
        self.field = field

    def _refusal(self, info: Any) -> Any:
        payload_type = self.field.type
        if hasattr(payload_type, "__strawberry_definition__") and "errors" in {
            f.python_name for f in payload_type.__strawberry_definition__.fields
        }:
            return error_payload(payload_type, _forbidden(), info.context.language)
        raise GraphQLError("无权访问 (FORBIDDEN)", extensions={"code": "FORBIDDEN"})

    def _allowed(self, info: Any) -> bool:
        return info.context.viewer.has_any(self.roles)

    def resolve(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        if not self._allowed(info):
            return self._refusal(info)
        return next_(source, info, **kwargs)

    async def resolve_async(self, next_: Any, source: Any, info: Any, **kwargs: Any) -> Any:
        if not self._allowed(info):
            return self._refusal(info)
        return await next_(source, info, **kwargs)


def mutation(allow: frozenset[Role], description: str) -> Any:
    """A mutation open to `allow`, whose RuleViolations become payload errors (the one error contract)."""
    return strawberry.mutation(description=description, extensions=[UserErrors(), Allow(allow)])


class SignedIn(BasePermission):
    """For subscriptions, which field extensions (Allow) do not wrap in strawberry; permission classes do."""

    message = "无权访问 (FORBIDDEN)"
    error_extensions = {"code": "FORBIDDEN"}

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return bool(info.context.viewer.is_authenticated)
