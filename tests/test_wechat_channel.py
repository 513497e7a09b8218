"""The WeChat template-message adapter against a local stand-in for the official-account API (real HTTP)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from domain.messaging.channels import Delivery, DeliveryFailed, WeChatTemplate
from domain.messaging.rules import Channel


@contextmanager
def wechat_api(errcodes: list[int]) -> Iterator[dict[str, Any]]:
    """Answers /cgi-bin/token with a fresh token each time and /message/template/send with the next errcode."""
    state: dict[str, Any] = {"tokens": 0, "sent": [], "errcodes": list(errcodes)}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

        def _json(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802
            query = parse_qs(urlsplit(self.path).query)
            assert query["appid"] == ["wx-app"] and query["secret"] == ["s3cret"]
            state["tokens"] += 1
            self._json({"access_token": f"token-{state['tokens']}", "expires_in": 7200})

        def do_POST(self) -> None:  # noqa: N802
            token = parse_qs(urlsplit(self.path).query)["access_token"][0]
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state["sent"].append((token, payload))
            self._json({"errcode": state["errcodes"].pop(0) if state["errcodes"] else 0, "errmsg": "ok"})

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["url"] = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


DELIVERY = Delivery(message_id=1, channel=Channel.WECHAT, recipient="openid-1", kind="MEETING_NOTICE",
                    title="会议通知：业主大会", body="定于 2026-12-01 召开", idempotency_key="MEETING_NOTICE:meeting:1:p1")


def _adapter(url: str) -> WeChatTemplate:
    return WeChatTemplate(app_id="wx-app", app_secret="s3cret", default_template_id="tpl-default",
                          template_ids={"MEETING_NOTICE": "tpl-meeting"}, api_base=url)


async def test_a_template_message_is_sent_with_the_kinds_template_and_a_cached_token():
    with wechat_api([]) as api:
        adapter = _adapter(api["url"])
        await adapter.send(DELIVERY)
        await adapter.send(DELIVERY)

    assert api["tokens"] == 1
    token, payload = api["sent"][0]
    assert token == "token-1"
    assert (payload["touser"], payload["template_id"]) == ("openid-1", "tpl-meeting")
    assert payload["data"]["first"]["value"] == "会议通知：业主大会"


async def test_an_expired_token_is_a_retryable_failure_and_the_next_attempt_fetches_a_new_one():
    with wechat_api([42001]) as api:
        adapter = _adapter(api["url"])
        with pytest.raises(DeliveryFailed) as failed:
            await adapter.send(DELIVERY)
        await adapter.send(DELIVERY)

    assert failed.value.permanent is False
    assert [token for token, _ in api["sent"]] == ["token-1", "token-2"]


async def test_an_unsubscribed_user_is_a_permanent_failure():
    with wechat_api([43004]) as api:
        with pytest.raises(DeliveryFailed) as failed:
            await _adapter(api["url"]).send(DELIVERY)

    assert failed.value.permanent is True
