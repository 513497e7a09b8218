"""Slow and idle connections against a real uvicorn server on a loopback port (raw sockets), and the app's own
guards: a time limit per request and a size limit per websocket message."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket, WebSocketDisconnect

from api.guards import RequestTimeLimit, WebSocketMessageLimit
from api.server import MAX_HEAD_BYTES, guarded_protocol
from api.settings import Settings

# Generous waits: the assertion is that the server closes the socket at all, not how fast.
PATIENCE = 15.0


async def _echo(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        await websocket.send_text(await websocket.receive_text())


async def _hello(request: Any) -> PlainTextResponse:
    await request.body()  # like /graphql, the answer waits for the whole body
    return PlainTextResponse("hello")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["h11", "httptools"])
async def server(request: Any) -> AsyncIterator[int]:
    """Both HTTP parsers the service can run (TONGXIN_HTTP), each with the same guard."""
    port = _free_port()
    app = Starlette(routes=[Route("/", _hello, methods=["GET", "POST"]), WebSocketRoute("/ws", _echo)])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, http=guarded_protocol(0.5, request.param),
                            timeout_keep_alive=1, log_level="warning", lifespan="off",
                            h11_max_incomplete_event_size=MAX_HEAD_BYTES)
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve())
    while not instance.started:
        await asyncio.sleep(0.02)
    try:
        yield port
    finally:
        instance.should_exit = True
        await task


async def _closed_by_server(port: int, send: bytes = b"") -> bytes:
    """Everything the server sent before it closed the connection."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    if send:
        writer.write(send)
        await writer.drain()
    received = await asyncio.wait_for(reader.read(), PATIENCE)  # read() returns at EOF: the server closed
    writer.close()
    return received


async def test_a_connection_that_sends_nothing_is_closed(server):
    assert await _closed_by_server(server) == b""


async def test_headers_that_never_finish_are_cut_off(server):
    assert await _closed_by_server(server, b"POST / HTTP/1.1\r\nHost: x\r\nX-Slow: 1") == b""


async def test_a_websocket_outlives_the_arrival_deadline(server):
    import websockets

    async with websockets.connect(f"ws://127.0.0.1:{server}/ws") as ws:
        await asyncio.sleep(1.5)  # idle as a subscriber between events, three times the deadline of the upgrade
        await ws.send("still here")
        assert await asyncio.wait_for(ws.recv(), PATIENCE) == "still here"


async def test_a_request_head_over_the_cap_is_refused(server):
    # 80 KB of headers arriving in pieces within the arrival deadline: without the cap the head would complete.
    reader, writer = await asyncio.open_connection("127.0.0.1", server)
    pieces = [b"GET / HTTP/1.1\r\nHost: x\r\n", *(b"X-Pad-%d: %s\r\n" % (i, b"a" * 1000) for i in range(80)), b"\r\n"]
    try:
        for piece in pieces:
            writer.write(piece)
            await writer.drain()
            await asyncio.sleep(0.001)
    except ConnectionError:
        pass  # refused mid-way: what the assertion below expects
    try:
        received = await asyncio.wait_for(reader.read(), PATIENCE)
    except ConnectionError:
        received = b""  # the server answered and closed while we were still sending
    writer.close()
    assert received == b"" or received.split(b" ")[1] in (b"400", b"431"), received[:80]


async def test_a_body_that_never_finishes_is_cut_off(server):
    sent = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"query\":"
    assert await _closed_by_server(server, sent) == b""


async def test_a_whole_request_is_answered_and_the_idle_connection_then_closes(server):
    received = await _closed_by_server(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")

    assert received.startswith(b"HTTP/1.1 200") and received.endswith(b"hello")


async def test_a_request_over_its_time_limit_is_answered_503():
    async def forever(scope: Any, receive: Any, send: Any) -> None:
        await asyncio.sleep(3600)

    app = RequestTimeLimit(forever, seconds=0.05)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        response = await http.post("/graphql", json={"query": "{ __typename }"})

    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"


def test_a_websocket_message_over_the_cap_closes_the_connection():
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        try:
            while True:
                await websocket.send_text(await websocket.receive_text())
        except WebSocketDisconnect:
            pass

    app = WebSocketMessageLimit(Starlette(routes=[WebSocketRoute("/ws", echo)]), max_bytes=1000)
    with TestClient(app) as client, client.websocket_connect("/ws") as ws:
        ws.send_text("x" * 1000)
        assert ws.receive_text() == "x" * 1000
        ws.send_text("y" * 1001)
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_text()
    assert closed.value.code == 1009


def test_the_app_caps_subscriptions_per_connection_from_settings():
    from api.app import create_app

    app = create_app(Settings(database_url="unused", redis_url=None, max_subscriptions_per_connection=3),
                     manage_database=False)
    view = next(r.endpoint for r in app.routes if getattr(r, "path", "") == "/graphql")
    assert view.max_subscriptions_per_connection == 3


async def test_a_request_body_that_is_json_but_not_an_object_is_a_400(client):
    for body in ('"x"', "5", "null", "true"):
        response = await client.post("/graphql", content=body, headers={"content-type": "application/json"})

        assert response.status_code == 400, (body, response.text)
