"""tallyUpdated over a real websocket (graphql-transport-ws) against real uvicorn servers on loopback ports:
in-process events for one server, Redis pub/sub shared by two app instances."""

from __future__ import annotations

import asyncio
import json
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn
import websockets

from api.app import create_app
from api.server import server_config
from api.settings import Settings
from domain.accounts.rules import Role
from domain.deliberation.models import Ballot
from tests import factories as f
from tests.api.test_deliberation_support import CAST, CONTRACT, build_world, gid, voting
from tests.conftest import make_token

REDIS_URL = os.environ.get("TONGXIN_TEST_REDIS", "redis://127.0.0.1:6379/0")  # make test may start its own
TALLY_UPDATED = CONTRACT["TallyUpdated"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", urlsplit(REDIS_URL).port or 6379), timeout=1):
            return True
    except OSError:
        return False


@asynccontextmanager
async def server(redis_url: str | None) -> AsyncIterator[str]:
    """A real server process-in-a-task sharing the test's ORM; yields its base URL."""
    port = _free_port()
    settings = Settings(database_url="unused", redis_url=redis_url)
    app = create_app(settings, manage_database=False)
    # The production server options (api.server): the upgrade passes through the slow-request guard.
    instance = uvicorn.Server(server_config(app, settings, host="127.0.0.1", port=port, log_level="warning",
                                            lifespan="on"))
    task = asyncio.create_task(instance.serve())
    while not instance.started:
        await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        await task


class Subscriber:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    async def next_tally(self) -> dict[str, Any]:
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout=10))
            if message["type"] == "next":
                assert "errors" not in message["payload"], message
                return message["payload"]["data"]["tallyUpdated"]
            assert message["type"] in ("ping", "pong"), message


@asynccontextmanager
async def subscribe(address: str, token: str, item_id: str) -> AsyncIterator[Subscriber]:
    headers = {"Authorization": f"Bearer {token}"}
    async with websockets.connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"],
                                  additional_headers=headers) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": headers}))
        assert json.loads(await asyncio.wait_for(ws.recv(), timeout=10))["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": TALLY_UPDATED, "variables": {"agendaItemId": item_id}}}))
        yield Subscriber(ws)


async def cast_over_http(address: str, token: str, item_id: str, voter_id: int, choice: str = "AGREE") -> dict:
    async with httpx.AsyncClient(base_url=f"http://{address}") as http:
        response = await http.post("/graphql", headers={"Authorization": f"Bearer {token}"}, json={
            "query": CAST, "variables": {"input": {"agendaItemId": item_id, "voterId": gid("Person", voter_id),
                                                   "choice": choice}}})
    payload = response.json()["data"]["castBallot"]
    assert payload["errors"] == [], payload
    return payload["tally"]


async def test_a_subscriber_receives_the_current_tally_and_then_the_tally_after_each_ballot(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)

    async with server(None) as address, subscribe(address, w.staff_token, item) as client:
        initial = await client.next_tally()
        after_first = await cast_over_http(address, w.staff_token, item, w.members[0].id)
        pushed_first = await client.next_tally()
        after_second = await cast_over_http(address, w.staff_token, item, w.members[1].id, "OPPOSE")
        pushed_second = await client.next_tally()

    assert initial["participatingVoters"] == 0
    assert pushed_first == after_first and pushed_first["agreeVoters"] == 1
    assert pushed_second == after_second and pushed_second["opposeVoters"] == 1
    assert pushed_second["rule"] == "MAJORITY_OF_ALL_MEMBERS"


async def test_an_anonymous_subscriber_is_refused(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)

    async with server(None) as address, websockets.connect(
            f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        await asyncio.wait_for(ws.recv(), timeout=10)
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
            "query": TALLY_UPDATED, "variables": {"agendaItemId": item}}}))
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))

    assert message["type"] in ("error", "next")
    assert "FORBIDDEN" in json.dumps(message)


@pytest.mark.skipif(not _redis_available() and os.environ.get("CI") != "true",
                    reason=f"Redis is not running at {REDIS_URL} (required in CI)")
async def test_with_redis_a_subscriber_of_a_second_app_instance_receives_the_tally_too(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)

    async with server(REDIS_URL) as first, server(REDIS_URL) as second:
        async with subscribe(first, w.staff_token, item) as near, subscribe(second, w.staff_token, item) as far:
            await near.next_tally(), await far.next_tally()
            cast_on_first = await cast_over_http(first, w.staff_token, item, w.members[0].id)
            near_first, far_first = await near.next_tally(), await far.next_tally()
            cast_on_second = await cast_over_http(second, w.staff_token, item, w.members[1].id)
            near_second, far_second = await near.next_tally(), await far.next_tally()

    assert near_first == far_first == cast_on_first
    assert near_second == far_second == cast_on_second
    assert far_second["participatingVoters"] == 2


class BrokenBroker:
    async def publish(self, channel: str, message: dict) -> None:
        raise ConnectionError("redis is down")


async def test_a_ballot_is_recorded_even_when_the_live_event_cannot_be_published(gql, db, app, caplog):
    w = await build_world()
    _, item = await voting(gql, w)
    endpoint = next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/graphql")
    graphql = getattr(endpoint, "graphql", endpoint)  # the strawberry view behind the compiled read path
    original, graphql.broker = graphql.broker, BrokenBroker()
    try:
        data = await gql(CAST, {"input": {"agendaItemId": item, "voterId": gid("Person", w.members[0].id),
                                          "choice": "AGREE"}}, token=w.staff_token)
    finally:
        graphql.broker = original

    assert data["castBallot"]["errors"] == [] and data["castBallot"]["tally"]["agreeVoters"] == 1
    assert await Ballot.all().count() == 1
    assert "tally event for item" in caplog.text


async def test_a_viewer_who_may_not_read_the_meeting_cannot_subscribe_to_its_tally(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)
    elsewhere = await make_token(Role.STREET_STAFF, street_id=(await f.street()).id)

    async with server(None) as address, subscribe(address, elsewhere, item) as client:
        message = json.loads(await asyncio.wait_for(client.ws.recv(), timeout=10))

    assert message["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["NOT_FOUND"]
