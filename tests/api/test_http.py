"""The HTTP face of the service: health, GraphiQL, GraphQL over HTTP media types, limits, tokens, language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from domain.accounts.models import AccessToken, Account
from domain.accounts.rules import Role
from domain.geography.models import Street
from schema.root import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from tests.api.structure_support import SESSION, STRUCTURE, operation
from tests.conftest import make_token

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
PASSWORD = "correct horse battery"


async def post(client, query, variables=None, **headers):
    return await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


async def test_health_is_ok_while_the_database_answers(client):
    response = await client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_a_browser_gets_graphiql_at_the_graphql_endpoint(client):
    response = await client.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_a_query_may_be_sent_with_get(client):
    response = await client.get("/graphql", params={"query": "{ viewer { id } }"},
                                headers={"Accept": "application/json"})

    assert (response.status_code, response.json()) == (200, {"data": {"viewer": None}})


@pytest.mark.parametrize(
    ("_case", "accept", "media_type"),
    [
        ("graphql-response+json asked", GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        ("graphql-response+json preferred", f"{GRAPHQL_RESPONSE_JSON}, application/json;q=0.9",
         GRAPHQL_RESPONSE_JSON),
        ("json preferred", f"application/json, {GRAPHQL_RESPONSE_JSON}", "application/json"),
        ("plain json", "application/json", "application/json"),
        ("anything", "*/*", "application/json"),
    ],
)
async def test_the_response_media_type_follows_the_accept_header(client, db, _case, accept, media_type):
    response = await post(client, "{ rulePacks { name } }", Accept=accept)

    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert len(response.json()["data"]["rulePacks"]) == 4


async def test_a_syntax_error_is_a_400_under_graphql_response_json(client, db):
    response = await post(client, "{ viewer { id ", Accept=GRAPHQL_RESPONSE_JSON)

    assert response.status_code == 400
    assert response.headers["content-type"].split(";")[0] == GRAPHQL_RESPONSE_JSON
    body = response.json()
    assert "data" not in body
    assert "Syntax Error" in body["errors"][0]["message"]


async def test_a_field_error_under_graphql_response_json_is_a_200_with_null_data(client, db):
    response = await post(client, "{ persons { totalCount } }", Accept=GRAPHQL_RESPONSE_JSON)

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_syntax_error_under_plain_json_is_still_a_graphql_error(client, db):
    response = await post(client, "{ viewer { id ", Accept="application/json")

    assert response.status_code in (200, 400)
    assert response.headers["content-type"].split(";")[0] == "application/json"
    assert "Syntax Error" in response.json()["errors"][0]["message"]


def nested(depth: int) -> str:
    """A selection `depth` fields deep, walking compound -> community -> compounds -> ..."""
    fields, opening = ["compounds", "edges", "node"], []
    cycle = ["community", "compounds"]
    while len(fields) < depth - 1:
        fields.append(cycle[(len(fields) - 3) % 2])
    for name in fields:
        opening.append(name + " {")
    return "{ " + " ".join(opening) + " id " + "} " * len(fields) + "}"


async def test_a_query_within_the_depth_limit_runs(db):
    # The depth limit is under test here, not the node cost (tests/api/test_demand_control.py): lift the latter.
    app = create_app(Settings(database_url="unused", redis_url=None, max_cost=10**9), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        response = await post(client, nested(MAX_DEPTH))

    assert response.status_code == 200
    assert "errors" not in response.json()


@pytest.mark.parametrize(("accept", "status"), [("application/json", 200), (GRAPHQL_RESPONSE_JSON, 400)])
async def test_a_query_deeper_than_the_limit_is_rejected_with_a_graphql_error(client, db, accept, status):
    response = await post(client, nested(MAX_DEPTH + 3), Accept=accept)

    assert response.status_code == status
    body = response.json()
    assert not body.get("data")
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]


async def test_a_query_with_too_many_aliases_is_rejected_with_a_graphql_error(client, db):
    within = "{ " + " ".join(f"a{i}: rulePacks {{ name }}" for i in range(MAX_ALIASES)) + " }"
    beyond = "{ " + " ".join(f"a{i}: rulePacks {{ name }}" for i in range(MAX_ALIASES + 1)) + " }"

    accepted = await post(client, within)
    rejected = await post(client, beyond)

    assert accepted.status_code == 200 and "errors" not in accepted.json()
    assert rejected.status_code == 200
    body = rejected.json()
    assert not body.get("data")
    assert "aliases" in body["errors"][0]["message"].lower()


async def test_a_document_with_too_many_tokens_is_rejected_with_a_graphql_error(client, db):
    within = "{ " + "viewer { id } " * 10 + "}"  # more repeats are refused by demand control (test_demand_control)
    beyond = "{ " + "viewer { id } " * (MAX_TOKENS // 4 + 1) + "}"  # four tokens a repeat

    accepted = await post(client, within)
    rejected = await post(client, beyond)

    assert accepted.status_code == 200 and "errors" not in accepted.json()
    assert rejected.status_code in (200, 400)
    assert "token" in rejected.json()["errors"][0]["message"].lower()


@pytest.mark.parametrize(
    ("_case", "authorization"),
    [
        ("unknown token", "Bearer not-a-token"),
        ("empty bearer", "Bearer "),
        ("another scheme", "Basic YWRtaW46YWRtaW4="),
    ],
)
async def test_a_bad_authorization_header_is_a_401(client, db, _case, authorization):
    response = await post(client, "{ viewer { id } }", Authorization=authorization)

    assert response.status_code == 401


async def test_login_then_viewer_with_the_token(client, db):
    await make_token(Role.CENTRE_STAFF, username="li")

    login = await post(client, operation(SESSION, "Login"), {"input": {"username": "li", "password": PASSWORD}})
    token = login.json()["data"]["login"]["token"]
    viewer = await post(client, operation(SESSION, "Viewer"), Authorization=f"Bearer {token}")

    assert viewer.status_code == 200
    assert viewer.json()["data"]["viewer"]["username"] == "li"
    assert viewer.json()["data"]["viewer"]["roles"] == ["CENTRE_STAFF"]


@pytest.mark.parametrize(
    ("_case", "expires_in", "revoked", "active"),
    [
        ("expired a second ago", timedelta(seconds=-1), False, True),
        ("expired yesterday", timedelta(days=-1), False, True),
        ("revoked", timedelta(hours=1), True, True),
        ("of a deactivated account", timedelta(hours=1), False, False),
    ],
)
async def test_a_dead_token_is_refused_with_401(client, db, _case, expires_in, revoked, active):
    token = await make_token(Role.CENTRE_ADMIN, username="old")
    now = datetime.now(UTC)
    await AccessToken.all().update(expires_at=now + expires_in, revoked_at=now if revoked else None)
    await Account.filter(username="old").update(is_active=active)

    response = await post(client, "{ viewer { id } }", Authorization=f"Bearer {token}")

    assert response.status_code == 401


async def test_a_live_token_is_accepted_until_it_expires(client, db):
    token = await make_token(Role.CENTRE_ADMIN, username="fresh")
    await AccessToken.all().update(expires_at=datetime.now(UTC) + timedelta(minutes=1))

    response = await post(client, "{ viewer { username } }", Authorization=f"Bearer {token}")

    assert response.json() == {"data": {"viewer": {"username": "fresh"}}}


@pytest.mark.parametrize(
    ("_case", "language", "message"),
    [
        ("English", "en", "name must be 1 to 100 characters"),
        ("British English with quality", "en-GB,en;q=0.9", "name must be 1 to 100 characters"),
        ("Chinese", "zh-CN,zh;q=0.9", "街道名称不能为空且不超过100个字"),
        ("no preference", None, "街道名称不能为空且不超过100个字"),
    ],
)
async def test_user_error_messages_follow_accept_language(client, db, _case, language, message):
    token = await make_token(Role.CENTRE_ADMIN)
    headers = {"Authorization": f"Bearer {token}", **({"Accept-Language": language} if language else {})}

    response = await post(client, operation(STRUCTURE, "CreateStreet"), {"input": {"name": "", "rulePack": "national"}},
                          **headers)

    assert response.json()["data"]["createStreet"]["errors"] == [{"code": "INVALID", "field": ["name"],
                                                                  "message": message}]


async def test_a_forbidden_mutation_explains_itself_in_english(client, db):
    response = await post(client, operation(STRUCTURE, "CreateStreet"),
                          {"input": {"name": "x", "rulePack": "national"}}, **{"Accept-Language": "en"})

    assert response.json()["data"]["createStreet"]["errors"] == [
        {"code": "FORBIDDEN", "field": None, "message": "You may not do this"}]


async def test_a_request_error_raised_by_a_resolver_keeps_its_message(client, db):
    response = await post(client, '{ node(id: "!!!") { id } }')

    body = response.json()
    assert response.status_code == 200
    assert body["errors"][0]["message"].startswith("Malformed ID")


async def test_a_mutation_cannot_be_sent_with_get(client, admin_token):
    query = 'mutation { createStreet(input: {name: "GET街道", rulePack: "national"}) { errors { code } } }'

    response = await client.get("/graphql", params={"query": query},
                                headers={"Accept": "application/json", "Authorization": f"Bearer {admin_token}"})

    assert 400 <= response.status_code < 500
    assert await Street.filter(name="GET街道").count() == 0


@pytest.mark.parametrize(
    ("_case", "content_type", "body"),
    [
        ("html form", "application/x-www-form-urlencoded", "query=mutation%20%7B%20x%20%7D"),
        ("plain text", "text/plain", '{"query": "{ viewer { id } }"}'),
    ],
)
async def test_a_post_that_a_foreign_page_could_forge_is_not_executed(client, db, _case, content_type, body):
    response = await client.post("/graphql", content=body, headers={"Content-Type": content_type})

    assert 400 <= response.status_code < 500


async def test_graphiql_can_be_switched_off(db):
    app = create_app(Settings(database_url="unused", redis_url=None, graphiql=False), manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        page = await http.get("/graphql", headers={"Accept": "text/html"})
        query = await http.post("/graphql", json={"query": "{ viewer { id } }"})

    assert "graphiql" not in page.text.lower()
    assert 400 <= page.status_code < 500
    assert query.json() == {"data": {"viewer": None}}


async def test_a_request_body_over_the_limit_is_refused_before_graphql_reads_it(client):
    padding = "x" * 1_100_000

    response = await client.post("/graphql", json={"query": "{ viewer { id } }", "variables": {"pad": padding}})

    assert response.status_code == 413
