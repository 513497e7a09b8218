"""The signed-in viewer and the account payloads."""

from __future__ import annotations

import strawberry

from domain.accounts import service as accounts
from domain.accounts.models import Account
from domain.accounts.rules import Role as RoleEnum
from schema.core.errors import UserError
from schema.core.relay import encode_id

Role = strawberry.enum(RoleEnum, description="角色 — account role")


@strawberry.type(name="Viewer", description="当前用户 — the signed-in account")
class ViewerAccount:
    id: strawberry.ID
    username: str
    roles: list[Role]

    @classmethod
    def from_model(cls, row: Account) -> ViewerAccount:
        return cls(id=encode_id("Account", row.id), username=row.username,
                   roles=sorted(accounts.parse_roles(row.roles)))


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = None
    viewer: ViewerAccount | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LogoutPayload:
    revoked: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateAccountInput:
    username: str
    password: str
    roles: list[Role]
    street_id: strawberry.ID | None = None
    community_id: strawberry.ID | None = None
    firm_id: strawberry.ID | None = None
    person_id: strawberry.ID | None = None


@strawberry.type
class CreateAccountPayload:
    account: ViewerAccount | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)
