"""Browsers cannot set headers on a websocket: GraphiQL and graphql-ws send the token in connection_init's
payload. The server authenticates there (on_ws_connect), over a real websocket against a real uvicorn server."""

from __future__ import annotations

import asyncio
import json

import websockets

from tests.api.test_deliberation_subscription import TALLY_UPDATED, Subscriber, cast_over_http, server
from tests.api.test_deliberation_support import build_world, voting


async def _connect(address: str, payload: dict | None) -> websockets.ClientConnection:
    ws = await websockets.connect(f"ws://{address}/graphql", subprotocols=["graphql-transport-ws"])
    await ws.send(json.dumps({"type": "connection_init", **({"payload": payload} if payload is not None else {})}))
    return ws


async def test_a_token_only_in_connection_init_receives_the_tally(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)

    async with server(None) as address:
        ws = await _connect(address, {"Authorization": f"Bearer {w.staff_token}"})  # no header on the upgrade
        try:
            assert json.loads(await asyncio.wait_for(ws.recv(), timeout=10))["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                "query": TALLY_UPDATED, "variables": {"agendaItemId": item}}}))
            client = Subscriber(ws)
            initial = await client.next_tally()
            after = await cast_over_http(address, w.staff_token, item, w.members[0].id)
            pushed = await client.next_tally()
        finally:
            await ws.close()

    assert initial["participatingVoters"] == 0
    assert pushed == after and pushed["agreeVoters"] == 1


async def test_graphiql_style_headers_in_the_payload_are_accepted_in_any_case(gql, db):
    w = await build_world()
    _, item = await voting(gql, w)

    async with server(None) as address:
        ws = await _connect(address, {"headers": {"authorization": f"Bearer {w.staff_token}"}})
        try:
            assert json.loads(await asyncio.wait_for(ws.recv(), timeout=10))["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {
                "query": TALLY_UPDATED, "variables": {"agendaItemId": item}}}))
            first = await Subscriber(ws).next_tally()
        finally:
            await ws.close()

    assert first["participatingVoters"] == 0


async def test_a_bad_token_in_connection_init_closes_the_socket_with_4403(gql, db):
    async with server(None) as address:
        ws = await _connect(address, {"Authorization": "Bearer not-a-token"})
        try:
            await asyncio.wait_for(ws.recv(), timeout=10)
            raise AssertionError("the connection was acknowledged")
        except websockets.ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
        finally:
            await ws.close()

    assert code == 4403
