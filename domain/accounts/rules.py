"""Roles, the viewer, jurisdiction and token rules — pure, so that every permission decision is unit-tested."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import ErrorCode, RuleViolation


class Role(StrEnum):
    CENTRE_ADMIN = "CENTRE_ADMIN"
    CENTRE_STAFF = "CENTRE_STAFF"
    STREET_STAFF = "STREET_STAFF"
    COMMUNITY_STAFF = "COMMUNITY_STAFF"
    FIRM_STAFF = "FIRM_STAFF"
    COMMITTEE_MEMBER = "COMMITTEE_MEMBER"
    OWNER = "OWNER"


CENTRE = frozenset({Role.CENTRE_ADMIN, Role.CENTRE_STAFF})
STAFF = CENTRE | {Role.STREET_STAFF, Role.COMMUNITY_STAFF}
TOKEN_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class Scope:
    """Where a thing sits in the territory; None where it does not apply (a firm has no street)."""

    street_id: int | None = None
    community_id: int | None = None
    compound_id: int | None = None
    firm_id: int | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class Viewer:
    """Who is asking. Anonymous callers are `Viewer.anonymous()`."""

    account_id: int | None
    username: str | None
    roles: frozenset[Role] = frozenset()
    street_id: int | None = None
    community_id: int | None = None
    firm_id: int | None = None
    person_id: int | None = None
    compound_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def anonymous(cls) -> Viewer:
        return cls(account_id=None, username=None)

    @property
    def is_authenticated(self) -> bool:
        return self.account_id is not None

    def has_any(self, roles: frozenset[Role] | set[Role]) -> bool:
        return bool(self.roles & roles)

    @property
    def is_centre(self) -> bool:
        return self.has_any(CENTRE)


def in_jurisdiction(viewer: Viewer, scope: Scope) -> bool:
    """Centre staff act everywhere; street and community staff inside their territory."""
    if viewer.is_centre:
        return True
    if Role.STREET_STAFF in viewer.roles and viewer.street_id is not None and scope.street_id == viewer.street_id:
        return True
    if (
        Role.COMMUNITY_STAFF in viewer.roles
        and viewer.community_id is not None
        and scope.community_id == viewer.community_id
    ):
        return True
    return False


def require_jurisdiction(viewer: Viewer, scope: Scope) -> None:
    if not in_jurisdiction(viewer, scope):
        raise RuleViolation(
            ErrorCode.FORBIDDEN, "超出您的管辖范围", None, en="Outside your jurisdiction"
        )


def may_read_personal_data(viewer: Viewer, scope: Scope | None = None) -> bool:
    """Phone and ID numbers: staff inside their jurisdiction, and the person themself."""
    if scope is not None and scope.person_id is not None and scope.person_id == viewer.person_id:
        return True
    if viewer.is_centre:
        return True
    if not viewer.has_any({Role.STREET_STAFF, Role.COMMUNITY_STAFF}):
        return False
    return scope is None or scope.street_id is None or in_jurisdiction(viewer, scope)


def new_token() -> tuple[str, str]:
    """An opaque bearer token and the SHA-256 digest that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_expiry(now: datetime) -> datetime:
    return now + TOKEN_LIFETIME


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            ErrorCode.INVALID,
            f"密码至少{MIN_PASSWORD_LENGTH}位",
            "password",
            en=f"Password must have at least {MIN_PASSWORD_LENGTH} characters",
        )


def check_role_anchor(
    roles: frozenset[Role], *, street_id: int | None, community_id: int | None, firm_id: int | None,
    person_id: int | None,
) -> None:
    """A scoped role needs its anchor: street staff a street, firm staff a firm, an owner a person."""
    needs = {
        Role.STREET_STAFF: ("streetId", street_id),
        Role.COMMUNITY_STAFF: ("communityId", community_id),
        Role.FIRM_STAFF: ("firmId", firm_id),
        Role.OWNER: ("personId", person_id),
        Role.COMMITTEE_MEMBER: ("personId", person_id),
    }
    if not roles:
        raise RuleViolation(ErrorCode.INVALID, "至少需要一个角色", "roles", en="At least one role is required")
    for role in roles:
        if role in needs and needs[role][1] is None:
            name = needs[role][0]
            raise RuleViolation(ErrorCode.INVALID, f"角色{role}须指定{name}", name, en=f"Role {role} needs {name}")
