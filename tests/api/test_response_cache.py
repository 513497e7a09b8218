"""The response cache of compiled reads never serves an answer older than the last committed write."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from api.app import create_app
from api.compiled.cache import ResponseCache
from api.settings import Settings
from domain.geography.rules import ManagementMode
from tests import factories as f
from tests.conftest import count_queries
from tests.factories import gid

LIST = "{ compounds(first: 10) { totalCount edges { node { name managementMode } } } }"
UPDATE = """mutation($input: UpdateCompoundInput!) { updateCompound(input: $input) { errors { code } } }"""
LOGOUT = "mutation { logout { revoked errors { code } } }"


def _cached_app() -> Any:
    return create_app(Settings(database_url="unused", redis_url=None, response_cache=True), manage_database=False)


def _endpoint(app: Any) -> Any:
    return next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/graphql" and hasattr(r, "methods"))


async def _post(app: Any, query: str, token: str | None, variables: dict[str, Any] | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        return await http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


async def test_a_committed_mutation_is_visible_at_once_through_the_cache(db, admin_token):
    compound = await f.compound(name="旧名小区", mode=ManagementMode.PROFESSIONAL_FIRM)
    app = _cached_app()
    cache = _endpoint(app).cache

    first = (await _post(app, LIST, admin_token)).json()
    again = (await _post(app, LIST, admin_token)).json()
    assert first == again and (cache.misses, cache.hits) == (1, 1)

    changed = await _post(app, UPDATE, admin_token, {"input": {"compoundId": gid("Compound", compound.id),
                                                             "managementMode": "COMMUNITY_CUSTODIAL"}})
    assert changed.json()["data"]["updateCompound"]["errors"] == []
    after = (await _post(app, LIST, admin_token)).json()

    assert after["data"]["compounds"]["edges"][0]["node"]["managementMode"] == "COMMUNITY_CUSTODIAL"
    assert (cache.misses, cache.hits) == (2, 1)


async def test_a_cache_hit_costs_one_statement_the_data_version(db, admin_token):
    await f.compound()
    app = _cached_app()
    await _post(app, LIST, admin_token)

    with count_queries() as sql:
        body = (await _post(app, LIST, admin_token)).json()

    assert body["data"]["compounds"]["totalCount"] == 1
    assert len(sql) == 1 and "audit_chain_head" in sql[0]


async def test_a_logged_out_token_is_refused_although_it_was_cached(db, admin_token):
    app = _cached_app()
    assert (await _post(app, LIST, admin_token)).status_code == 200

    assert (await _post(app, LOGOUT, admin_token)).json()["data"]["logout"]["revoked"] is True
    refused = await _post(app, LIST, admin_token)

    assert refused.status_code == 401


async def test_workers_share_answers_through_redis(db, admin_token):
    await f.compound(name="共享小区")
    redis = Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        await redis.ping()
    except Exception:  # noqa: BLE001
        pytest.skip("no Redis at 127.0.0.1:6379")
    namespace = uuid.uuid4().hex  # this test's own keys
    workers = [_cached_app(), _cached_app()]
    for app in workers:
        _endpoint(app).cache = ResponseCache(redis=redis, namespace=namespace)

    first = (await _post(workers[0], LIST, admin_token)).json()
    second = (await _post(workers[1], LIST, admin_token)).json()

    assert first == second
    assert (_endpoint(workers[1]).cache.hits, _endpoint(workers[1]).cache.misses) == (1, 0)
    await redis.aclose()
