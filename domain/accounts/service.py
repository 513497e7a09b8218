"""Accounts: creating users, logging in, resolving bearer tokens to viewers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.exceptions import IntegrityError

from domain.accounts.models import AccessToken, Account
from domain.accounts.rules import (
    Role,
    Viewer,
    check_new_password,
    check_role_anchor,
    hash_token,
    new_token,
    token_expiry,
)
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Person, Street
from domain.transaction import atomic

_hasher = PasswordHasher()
# Verifying against a real hash when the user is unknown keeps the timing of both failures alike.
_DUMMY_HASH = _hasher.hash("tongxin-timing-equaliser")


def parse_roles(text: str) -> frozenset[Role]:
    return frozenset(Role(r) for r in text.split(",") if r)


def viewer_of(account: Account) -> Viewer:
    return Viewer(
        account_id=account.id,
        username=account.username,
        roles=parse_roles(account.roles),
        street_id=account.street_id,
        community_id=account.community_id,
        firm_id=account.firm_id,
        person_id=account.person_id,
    )


@dataclass(frozen=True)
class AccountDraft:
    username: str
    password: str
    roles: frozenset[Role]
    street_id: int | None = None
    community_id: int | None = None
    firm_id: int | None = None
    person_id: int | None = None


async def create_account(*, actor: Viewer, draft: AccountDraft, now: datetime) -> Account:
    username = draft.username.strip()
    if not username or len(username) > 60:
        raise RuleViolation(ErrorCode.INVALID, "用户名须为1至60个字符", "username", en="username must be 1-60 chars")
    check_new_password(draft.password)
    check_role_anchor(draft.roles, street_id=draft.street_id, community_id=draft.community_id,
                      firm_id=draft.firm_id, person_id=draft.person_id)
    async with atomic():
        if await Account.exists(username=username):
            raise RuleViolation(ErrorCode.DUPLICATE, "用户名已存在", "username", en="Username taken")
        # An unknown anchor would otherwise surface as a foreign-key fault, masked as an unexpected error.
        for field, pk, model in (("streetId", draft.street_id, Street), ("communityId", draft.community_id, Community),
                                 ("firmId", draft.firm_id, PropertyFirm), ("personId", draft.person_id, Person)):
            if pk is not None and not await model.exists(id=pk):
                raise RuleViolation(ErrorCode.NOT_FOUND, f"{field} 不存在", field, en=f"{field} does not exist")
        try:  # the unique index decides between concurrent requests that both passed the check above
            account = await Account.create(
                username=username, password_hash=_hasher.hash(draft.password),
                roles=",".join(sorted(draft.roles)), street_id=draft.street_id, community_id=draft.community_id,
                firm_id=draft.firm_id, person_id=draft.person_id, created_at=now,
            )
        except IntegrityError:
            raise RuleViolation(ErrorCode.DUPLICATE, "用户名已存在", "username", en="Username taken") from None
        await record_event(actor=actor, action="createAccount", entity_type="Account", entity_id=account.id,
                           summary=f"创建账号 {username}（{','.join(sorted(draft.roles))}）", now=now)
    return account


async def login(*, username: str, password: str, now: datetime) -> tuple[str, Account]:
    """Returns a new bearer token (shown once; only its digest is stored) and the account."""
    account = await Account.get_or_none(username=username.strip(), is_active=True)
    try:
        _hasher.verify(account.password_hash if account else _DUMMY_HASH, password)
        if account is None:
            raise VerificationError
    except (VerificationError, InvalidHashError):
        raise RuleViolation(ErrorCode.INVALID_CREDENTIALS, "用户名或密码错误", None,
                            en="Wrong username or password") from None
    token, digest = new_token()
    async with atomic():
        await AccessToken.create(account_id=account.id, token_hash=digest, created_at=now,
                                 expires_at=token_expiry(now))
        await record_event(actor=viewer_of(account), action="login", entity_type="Account",
                           entity_id=account.id, summary=f"{account.username} 登录", now=now)
    return token, account


async def viewer_for_token(token: str, *, now: datetime) -> Viewer | None:
    """The viewer behind a bearer token, or None when it is unknown, revoked or expired."""
    found = await token_holder(token, now=now)
    return found[0] if found else None


async def token_holder(token: str, *, now: datetime) -> tuple[Viewer, datetime] | None:
    """The viewer behind a live bearer token and when the token expires (callers may cache it until then)."""
    row = await AccessToken.get_or_none(token_hash=hash_token(token), revoked_at__isnull=True,
                                        expires_at__gt=now).select_related("account")
    if row is None or not row.account.is_active:
        return None
    return viewer_of(row.account), row.expires_at


async def logout(*, actor: Viewer, token: str, now: datetime) -> None:
    """Revokes the bearer token the request came with."""
    async with atomic():
        revoked = await AccessToken.filter(
            token_hash=hash_token(token), account_id=actor.account_id, revoked_at__isnull=True
        ).update(revoked_at=now)
        if not revoked:
            raise RuleViolation(ErrorCode.INVALID_CREDENTIALS, "令牌无效", None, en="No live token to revoke")
        await record_event(actor=actor, action="logout", entity_type="Account", entity_id=actor.account_id or 0,
                           summary=f"{actor.username} 退出登录", now=now)
