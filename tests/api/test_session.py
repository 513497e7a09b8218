"""login, viewer and createAccount over GraphQL (console/session.graphql), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from domain.accounts.models import AccessToken, Account
from domain.accounts.rules import Role, hash_token
from domain.audit.models import AuditEvent
from tests import factories as f
from tests.api.structure_support import (
    FORBIDDEN,
    SESSION,
    STRUCTURE,
    assert_one_audit_event,
    mutate,
    operation,
    refused,
    snapshot,
)
from tests.conftest import make_token
from tests.factories import gid

PASSWORD = "correct horse battery"  # the password of every account made by make_token
CREATE_ACCOUNT = """
mutation CreateAccount($input: CreateAccountInput!) {
  createAccount(input: $input) {
    account { id username roles }
    errors { code field message }
  }
}
"""


async def create_account(gql, input, token):
    return (await gql(CREATE_ACCOUNT, {"input": input}, token=token))["createAccount"]


# --- login and viewer ----------------------------------------------------------------------------------------------

async def test_login_returns_a_token_whose_digest_alone_is_stored(gql, db):
    await make_token(Role.STREET_STAFF, username="zhang", street_id=(await f.street()).id)
    account = await Account.get(username="zhang")

    payload = await mutate(gql, SESSION, "Login", {"username": " zhang ", "password": PASSWORD})

    token = payload["token"]
    assert payload == {"token": token, "viewer": {"id": gid("Account", account.id), "username": "zhang",
                                                  "roles": ["STREET_STAFF"]}, "errors": []}
    stored = await AccessToken.get(token_hash=hash_token(token))
    assert stored.account_id == account.id
    assert stored.expires_at - stored.created_at == timedelta(hours=12)
    assert await AccessToken.filter(token_hash=token).count() == 0
    await assert_one_audit_event("login", "Account", account.id, "zhang")


async def test_the_viewer_is_the_account_behind_the_token(gql, db):
    await make_token(Role.OWNER, username="owner-li", person_id=(await f.person()).id)
    token = (await mutate(gql, SESSION, "Login", {"username": "owner-li", "password": PASSWORD}))["token"]

    data = await gql(operation(SESSION, "Viewer"), token=token)

    account = await Account.get(username="owner-li")
    assert data == {"viewer": {"id": gid("Account", account.id), "username": "owner-li", "roles": ["OWNER"]}}


async def test_an_anonymous_viewer_is_null(gql, db):
    assert await gql(operation(SESSION, "Viewer")) == {"viewer": None}


@pytest.mark.parametrize(
    ("_case", "username", "password", "active"),
    [
        ("wrong password", "zhang", "wrong horse battery", True),
        ("password in another case", "zhang", PASSWORD.upper(), True),
        ("empty password", "zhang", "", True),
        ("unknown user", "nobody", PASSWORD, True),
        ("username in another case", "ZHANG", PASSWORD, True),
        ("deactivated account", "zhang", PASSWORD, False),
    ],
)
async def test_a_failed_login_says_only_that_the_credentials_are_wrong(gql, db, _case, username, password, active):
    await make_token(Role.CENTRE_STAFF, username="zhang")
    await Account.filter(username="zhang").update(is_active=active)
    before = await snapshot()

    payload = await mutate(gql, SESSION, "Login", {"username": username, "password": password})

    assert payload == {"token": None, "viewer": None, "errors": [
        {"code": "INVALID_CREDENTIALS", "field": None, "message": "用户名或密码错误"}]}
    # Only the failure is recorded (issue 15 item 6): one audit event that never holds the password.
    assert await snapshot() == {**before, "AuditEvent": before["AuditEvent"] + 1}
    failure = await AuditEvent.get(action="loginFailed")
    assert failure.actor_id is None and (not password or password not in failure.summary)


# --- createAccount -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("_case", "roles", "anchor", "shown"),
    [
        ("street staff of a street", ["STREET_STAFF"], "streetId", ["STREET_STAFF"]),
        ("community staff of a community", ["COMMUNITY_STAFF"], "communityId", ["COMMUNITY_STAFF"]),
        ("firm staff of a firm", ["FIRM_STAFF"], "firmId", ["FIRM_STAFF"]),
        ("owner who sits on the committee", ["OWNER", "COMMITTEE_MEMBER"], "personId", ["COMMITTEE_MEMBER", "OWNER"]),
        ("centre staff", ["CENTRE_STAFF"], None, ["CENTRE_STAFF"]),
    ],
)
async def test_centre_admins_create_accounts_that_can_sign_in(gql, admin_token, _case, roles, anchor, shown):
    community = await f.community()
    anchors = {"streetId": gid("Street", community.street_id), "communityId": gid("Community", community.id),
               "firmId": gid("PropertyFirm", (await f.firm()).id), "personId": gid("Person", (await f.person()).id)}

    payload = await create_account(gql, {"username": "new-user", "password": "s3cret-pass", "roles": roles,
                                         **({anchor: anchors[anchor]} if anchor else {})}, admin_token)

    account = await Account.get(username="new-user")
    assert payload == {"account": {"id": gid("Account", account.id), "username": "new-user", "roles": shown},
                       "errors": []}
    assert set(account.roles.split(",")) == set(roles)
    assert PasswordHasher().verify(account.password_hash, "s3cret-pass")
    assert "s3cret-pass" not in account.password_hash
    await assert_one_audit_event("createAccount", "Account", account.id, "admin")
    login = await mutate(gql, SESSION, "Login", {"username": "new-user", "password": "s3cret-pass"})
    assert login["viewer"]["roles"] == shown


async def test_an_account_is_anchored_where_it_acts(gql, admin_token):
    community = await f.community()

    await create_account(gql, {"username": "grid", "password": "s3cret-pass", "roles": ["COMMUNITY_STAFF"],
                               "communityId": gid("Community", community.id)}, admin_token)

    account = await Account.get(username="grid")
    assert (account.community_id, account.street_id, account.firm_id, account.person_id) == (
        community.id, None, None, None)


@pytest.mark.parametrize(
    ("_case", "changes", "code", "field"),
    [
        ("short password", {"password": "1234567"}, "INVALID", ["password"]),
        ("empty username", {"username": "  "}, "INVALID", ["username"]),
        ("username too long", {"username": "u" * 61}, "INVALID", ["username"]),
        ("username taken", {"username": "admin"}, "DUPLICATE", ["username"]),
        ("no role", {"roles": []}, "INVALID", ["roles"]),
        ("street staff without street", {"roles": ["STREET_STAFF"]}, "INVALID", ["streetId"]),
        ("owner without person", {"roles": ["OWNER"]}, "INVALID", ["personId"]),
        ("malformed street ID", {"roles": ["STREET_STAFF"], "streetId": "s1"}, "INVALID", ["streetId"]),
        ("community ID as street ID", {"roles": ["STREET_STAFF"], "streetId": gid("Community", 1)}, "INVALID",
         ["streetId"]),
        ("street that does not exist", {"roles": ["STREET_STAFF"], "streetId": gid("Street", 999999)},
         "NOT_FOUND", ["streetId"]),
        ("person who does not exist", {"roles": ["OWNER"], "personId": gid("Person", 999999)}, "NOT_FOUND",
         ["personId"]),
    ],
)
async def test_a_refused_account_is_not_written(gql, admin_token, _case, changes, code, field):
    before = await snapshot()

    payload = await create_account(gql, {"username": "new-user", "password": "s3cret-pass",
                                         "roles": ["CENTRE_STAFF"], **changes}, admin_token)

    refused(payload, code, field)
    assert await snapshot() == before


@pytest.mark.parametrize("role", [None, Role.CENTRE_STAFF, Role.STREET_STAFF, Role.OWNER])
async def test_only_centre_admins_create_accounts(gql, db, role):
    token = await make_token(role, street_id=(await f.street()).id, person_id=(await f.person()).id) if role else None
    before = await snapshot()

    payload = await create_account(gql, {"username": "sneaky", "password": "s3cret-pass",
                                         "roles": ["CENTRE_ADMIN"]}, token)

    assert payload == {"account": None, "errors": [FORBIDDEN]}
    assert await snapshot() == before


# --- the audit log -------------------------------------------------------------------------------------------------

AUDIT = """
query Audit {
  verifyAuditChain { valid checked firstBrokenEventId headHash }
  auditEvents(first: 10) { totalCount edges { node { id action actorUsername entityType entityId hash } } }
}
"""


async def test_every_mutation_extends_a_verifiable_audit_chain(gql, admin_token):
    street = await mutate(gql, STRUCTURE, "CreateStreet", {"name": "审计街道", "rulePack": "national"},
                          token=admin_token)
    await mutate(gql, STRUCTURE, "CreateCommunity", {"streetId": street["street"]["id"], "name": "审计社区"},
                 token=admin_token)

    data = await gql(AUDIT, token=admin_token)

    events = [e["node"] for e in data["auditEvents"]["edges"]]
    assert [(e["action"], e["actorUsername"], e["entityType"]) for e in events] == [
        ("createCommunity", "admin", "Community"), ("createStreet", "admin", "Street")]
    assert data["auditEvents"]["totalCount"] == 2
    assert data["verifyAuditChain"] == {"valid": True, "checked": 2, "firstBrokenEventId": None,
                                        "headHash": events[0]["hash"]}


async def test_a_rewritten_audit_event_breaks_the_chain_at_that_event(gql, admin_token):
    for name in ("甲街道", "乙街道", "丙街道"):
        await mutate(gql, STRUCTURE, "CreateStreet", {"name": name, "rulePack": "national"}, token=admin_token)
    middle = (await AuditEvent.all().order_by("id"))[1]
    await AuditEvent.filter(id=middle.id).update(summary="创建街道 伪造")

    data = await gql(AUDIT, token=admin_token)

    assert data["verifyAuditChain"]["valid"] is False
    assert data["verifyAuditChain"]["firstBrokenEventId"] == gid("AuditEvent", middle.id)


@pytest.mark.parametrize("role", [None, Role.CENTRE_STAFF, Role.STREET_STAFF])
async def test_only_centre_admins_read_the_audit_log(gql, db, role):
    token = await make_token(role, street_id=(await f.street()).id) if role else None

    body = await gql("query { auditEvents { totalCount } }", token=token, expect_errors=True)

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
