"""Sign-in, sign-out and account creation."""

from __future__ import annotations

import strawberry

from domain.accounts import service as accounts
from schema.accounts.types import (
    ClearLoginLockInput,
    ClearLoginLockPayload,
    CreateAccountInput,
    CreateAccountPayload,
    LoginInput,
    LoginPayload,
    LogoutPayload,
    ViewerAccount,
)
from schema.core.context import Info
from schema.core.errors import UserErrors
from schema.core.permissions import ADMIN, ANYONE_SIGNED_IN, mutation
from schema.core.relay import decode_id


def _optional(global_id: strawberry.ID | None, expected: str, field: str) -> int | None:
    return decode_id(global_id, expected, field) if global_id is not None else None


@strawberry.type
class Mutation:
    @strawberry.mutation(description="登录 — returns a bearer token", extensions=[UserErrors()])
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        token, account = await accounts.login(username=input.username, password=input.password,
                                              now=info.context.now, throttle=info.context.login_throttle,
                                              address=info.context.client_address)
        return LoginPayload(token=token, viewer=ViewerAccount.from_model(account))

    @mutation(ADMIN, "解除登录锁定 — forget an account name's failed sign-ins (after checking with its holder)")
    async def clear_login_lock(self, info: Info, input: ClearLoginLockInput) -> ClearLoginLockPayload:
        await accounts.clear_login_lock(actor=info.context.viewer, username=input.username,
                                        throttle=info.context.login_throttle, now=info.context.now)
        return ClearLoginLockPayload(cleared=True)

    @mutation(ANYONE_SIGNED_IN, "退出登录 — revoke the bearer token of this request")
    async def logout(self, info: Info) -> LogoutPayload:
        token = info.context.request.headers.get("authorization", "").partition(" ")[2].strip()
        await accounts.logout(actor=info.context.viewer, token=token, now=info.context.now)
        return LogoutPayload(revoked=True)

    @mutation(ADMIN, "创建账号 — accounts are managed by the centre's administrators")
    async def create_account(self, info: Info, input: CreateAccountInput) -> CreateAccountPayload:
        draft = accounts.AccountDraft(
            username=input.username, password=input.password, roles=frozenset(input.roles),
            street_id=_optional(input.street_id, "Street", "streetId"),
            community_id=_optional(input.community_id, "Community", "communityId"),
            firm_id=_optional(input.firm_id, "PropertyFirm", "firmId"),
            person_id=_optional(input.person_id, "Person", "personId"))
        account = await accounts.create_account(actor=info.context.viewer, draft=draft, now=info.context.now)
        return CreateAccountPayload(account=ViewerAccount.from_model(account))
