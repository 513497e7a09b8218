"""Accounts: creating users, logging in, resolving bearer tokens to viewers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

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
from domain.accounts.throttle import LoginThrottle
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.firms.models import PropertyFirm
from domain.geography.models import Community, Person, Street
from domain.statements import instant, rows
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


def verify_password(password_hash: str, password: str) -> bool:
    """argon2 verification: ~50 ms of CPU by design, so callers run it in a worker thread."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _throttled(retry_after_seconds: int) -> RuleViolation:
    minutes = max(1, -(-retry_after_seconds // 60))
    return RuleViolation(ErrorCode.THROTTLED, f"登录失败次数过多，请{minutes}分钟后再试或联系管理员解锁", None,
                         en=f"Too many failed sign-ins: try again in {minutes} min or ask an administrator")


async def login(
    *, username: str, password: str, now: datetime, throttle: LoginThrottle | None = None,
    address: str | None = None,
) -> tuple[str, Account]:
    """Returns a new bearer token (shown once; only its digest is stored) and the account.

    A throttled account name or address is refused before the password is verified, so guessing costs the
    attacker time and the server nothing. A wrong password is counted, then audited in one transaction.
    """
    if throttle is not None:
        state = await throttle.check(username, address)
        if not state.allowed:
            raise _throttled(state.retry_after_seconds)
    account = await Account.get_or_none(username=username.strip(), is_active=True)
    # Off the event loop: argon2 would otherwise stall every other request for its duration.
    verified = await asyncio.to_thread(verify_password, account.password_hash if account else _DUMMY_HASH,
                                       password)
    if account is None or not verified:
        locked = False
        if throttle is not None:
            locked = not (await throttle.hit(username, address)).allowed
        async with atomic():
            await record_event(
                actor=Viewer.anonymous(), action="loginFailed", entity_type="Account",
                entity_id=account.id if account else "",
                summary=f"登录失败：{username.strip()[:60]}，来自 {address or '未知地址'}" + ("，已锁定" if locked else ""),
                now=now)
        raise RuleViolation(ErrorCode.INVALID_CREDENTIALS, "用户名或密码错误", None,
                            en="Wrong username or password")
    if throttle is not None:
        await throttle.clear_account(username)
    token, digest = new_token()
    async with atomic():
        await AccessToken.create(account_id=account.id, token_hash=digest, created_at=now,
                                 expires_at=token_expiry(now))
        await record_event(actor=viewer_of(account), action="login", entity_type="Account",
                           entity_id=account.id, summary=f"{account.username} 登录", now=now)
    return token, account


async def clear_login_lock(*, actor: Viewer, username: str, throttle: LoginThrottle | None, now: datetime) -> None:
    """An administrator lifts the lock on an account name (after checking with its holder)."""
    name = username.strip()
    if not name:
        raise RuleViolation(ErrorCode.INVALID, "用户名不能为空", "username", en="username is required")
    async with atomic():
        account = await Account.get_or_none(username=name)
        await record_event(actor=actor, action="clearLoginLock", entity_type="Account",
                           entity_id=account.id if account else "", summary=f"解除登录锁定：{name[:60]}", now=now)
    if throttle is not None:
        await throttle.clear_account(name)


async def viewer_for_token(token: str, *, now: datetime) -> Viewer | None:
    """The viewer behind a bearer token, or None when it is unknown, revoked or expired."""
    found = await token_holder(token, now=now)
    return found[0] if found else None


async def token_holder(token: str, *, now: datetime) -> tuple[Viewer, datetime] | None:
    """The viewer behind a live bearer token and when the token expires (callers may cache it until then)."""
    # Plain SQL (domain/statements.py): every authenticated request pays for this read.
    found = await rows(_TOKEN_HOLDER, [hash_token(token), now.astimezone(UTC)])
    if not found or not found[0]["is_active"]:
        return None
    row = found[0]
    viewer = Viewer(account_id=row["id"], username=row["username"], roles=parse_roles(row["roles"]),
                    street_id=row["street_id"], community_id=row["community_id"], firm_id=row["firm_id"],
                    person_id=row["person_id"])
    expires_at = instant(row["expires_at"])
    assert expires_at is not None
    return viewer, expires_at


_TOKEN_HOLDER = (
    'SELECT a."id", a."username", a."roles", a."street_id", a."community_id", a."firm_id", a."person_id", '
    'a."is_active", t."expires_at" FROM "access_token" t JOIN "account" a ON a."id" = t."account_id" '
    'WHERE t."token_hash" = ? AND t."revoked_at" IS NULL AND t."expires_at" > ?'
)


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
