"""Login under attack (issue 15 item 6): throttled per account and address before the password is verified,
failures audited, a lock an administrator clears; the throttle's Redis storage."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from api.throttling import throttle_storage
from domain.accounts import service as accounts
from domain.accounts.rules import Role
from domain.accounts.throttle import Throttle
from domain.audit.models import AuditEvent
from tests.conftest import Gql, make_token

PASSWORD = "correct horse battery"
LOGIN = "mutation($input: LoginInput!) { login(input: $input) { token errors { code field message } } }"
CLEAR = """mutation($input: ClearLoginLockInput!) { clearLoginLock(input: $input) { errors { code field } } }"""


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts the argon2 verifications the login use case asks for."""
    seen: list[str] = []
    real = accounts.verify_password

    def counting(password_hash: str, password: str) -> bool:
        seen.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(accounts, "verify_password", counting)
    return seen


async def _login(gql: Gql, username: str, password: str) -> dict[str, Any]:
    return (await gql(LOGIN, {"input": {"username": username, "password": password}}))["login"]


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


async def test_the_eleventh_wrong_password_is_refused_without_being_verified(gql, db, verifications):
    await make_token(Role.CENTRE_STAFF, username="zhang")

    answers = [_codes(await _login(gql, "zhang", f"guess-{n}")) for n in range(10)]
    eleventh = await _login(gql, "zhang", "guess-11")

    assert answers == [["INVALID_CREDENTIALS"]] * 10
    assert _codes(eleventh) == ["THROTTLED"] and eleventh["token"] is None
    assert len(verifications) == 10  # the eleventh never reached argon2


async def test_the_right_password_is_refused_too_until_an_administrator_clears_the_lock(gql, db, verifications):
    await make_token(Role.CENTRE_STAFF, username="zhang")
    admin = await make_token(Role.CENTRE_ADMIN, username="root")
    for n in range(10):
        await _login(gql, "ZHANG", f"guess-{n}")  # the account name is counted case-blind

    locked = await _login(gql, "zhang", PASSWORD)
    cleared = await gql(CLEAR, {"input": {"username": "zhang"}}, token=admin)
    unlocked = await _login(gql, "zhang", PASSWORD)

    assert _codes(locked) == ["THROTTLED"]
    assert cleared["clearLoginLock"]["errors"] == []
    assert unlocked["errors"] == [] and unlocked["token"]
    assert verifications.count(PASSWORD) == 1
    assert await AuditEvent.filter(action="clearLoginLock", actor_username="root").count() == 1


async def test_each_failed_login_is_one_audit_event_without_the_password(gql, db):
    await make_token(Role.CENTRE_STAFF, username="zhang")

    await _login(gql, "zhang", "secret-guess-1")
    await _login(gql, "nobody", "secret-guess-2")

    failures = await AuditEvent.filter(action="loginFailed").order_by("id")
    assert [("zhang" in e.summary, "nobody" in e.summary) for e in failures] == [(True, False), (False, True)]
    assert all("secret-guess" not in e.summary and e.actor_id is None for e in failures)


async def test_only_a_centre_administrator_may_clear_a_lock(gql, db):
    staff = await make_token(Role.CENTRE_STAFF, username="staff")

    body = await gql(CLEAR, {"input": {"username": "zhang"}}, token=staff)

    assert _codes(body["clearLoginLock"]) == ["FORBIDDEN"]
    assert await AuditEvent.filter(action="clearLoginLock").count() == 0


async def test_guessing_across_many_accounts_from_one_address_is_throttled(db, verifications):
    app = create_app(Settings(database_url="unused", redis_url=None, login_limit_per_address="3/minute"),
                     manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        gql = Gql(http)
        answers = [_codes(await _login(gql, f"user{n}", "guess")) for n in range(4)]

    assert answers == [["INVALID_CREDENTIALS"]] * 3 + [["THROTTLED"]]
    assert len(verifications) == 3


async def test_the_throttle_counts_in_redis_when_one_is_configured():
    storage = throttle_storage("redis://127.0.0.1:6379/0")
    if not await storage.check():
        pytest.skip("no Redis at 127.0.0.1:6379")
    throttle = Throttle(storage, "2/minute", namespace=f"test-{uuid.uuid4().hex}")

    await throttle.hit("alice")
    await throttle.hit("alice")
    refused = await throttle.check("alice")
    await throttle.clear("alice")

    assert not refused.allowed and (await throttle.check("alice")).allowed
