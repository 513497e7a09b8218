"""Introspection and suggestions (issue 15 item 5): separate settings; no suggestions unless introspection is open
to the caller; __typename always answers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from domain.accounts.rules import Role
from tests import factories
from tests.conftest import Gql, make_token

INTROSPECT = "{ __schema { queryType { name } } }"
TYPO = "{ streetz { totalCount } }"


async def _ask(settings: Settings, document: str, token: str | None = None) -> dict[str, Any]:
    app = create_app(settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        return await Gql(http)(document, token=token, expect_errors=True)


def _settings(**changes: Any) -> Settings:
    return Settings(database_url="unused", redis_url=None, **changes)


@pytest.mark.parametrize(
    ("_case", "introspection", "role", "answered"),
    [
        ("open to anyone", "open", None, True),
        ("staff only, anonymous", "staff", None, False),
        ("staff only, street staff", "staff", Role.STREET_STAFF, True),
        ("staff only, an owner", "staff", Role.OWNER, False),
        ("off, even for the centre", "off", Role.CENTRE_ADMIN, False),
    ],
)
async def test_introspection_follows_its_setting(db, _case, introspection, role, answered):
    token = None
    if role is not None:
        street = await factories.street("和平街道", rule_pack="national")
        person = await factories.person("业主1")
        token = await make_token(role, street_id=street.id, person_id=person.id)

    body = await _ask(_settings(introspection=introspection), INTROSPECT, token)

    assert ("errors" not in body) is answered
    assert (await _ask(_settings(introspection=introspection), "{ __typename }", token))["data"] == {
        "__typename": "Query"}


@pytest.mark.parametrize(
    ("_case", "introspection", "suggestions", "staff", "suggested"),
    [
        ("open", "open", True, False, True),
        ("open but suggestions off", "open", False, False, False),
        ("staff introspection, anonymous caller", "staff", True, False, False),
        ("staff introspection, staff caller", "staff", True, True, True),
        ("off", "off", True, True, False),
    ],
)
async def test_suggestions_only_where_introspection_is_open(db, _case, introspection, suggestions, staff, suggested):
    token = await make_token(Role.CENTRE_STAFF) if staff else None

    body = await _ask(_settings(introspection=introspection, suggestions=suggestions), TYPO, token)

    message = body["errors"][0]["message"]
    assert "streetz" in message
    assert ("Did you mean" in message) is suggested
