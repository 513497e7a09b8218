"""The channels a message leaves through, behind one interface (`Sender.send`). Configured by plain values
(api/settings.py builds them), so this module never reads the environment."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Protocol

import httpx

from domain.messaging.rules import Channel

log = logging.getLogger("tongxin.messaging")


@dataclass(frozen=True)
class Delivery:
    message_id: int
    channel: Channel
    recipient: str
    kind: str
    title: str
    body: str
    idempotency_key: str


class DeliveryFailed(Exception):
    """A failed attempt. `permanent` failures (a refused number, an unsubscribed user) are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class Sender(Protocol):
    async def send(self, delivery: Delivery) -> None:
        """Delivers or raises DeliveryFailed; must be safe to call twice with the same idempotency key."""


def _http_failure(response: httpx.Response) -> DeliveryFailed:
    # 4xx means the request itself is wrong and will stay wrong, except timeouts and rate limits.
    permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 425, 429)
    return DeliveryFailed(f"HTTP {response.status_code}: {response.text[:200]}", permanent=permanent)


@dataclass
class SmsGateway:
    """An SMS HTTP gateway: POST JSON {to, body, kind, idempotencyKey} with a bearer token.

    The idempotency key is also sent as the `Idempotency-Key` header, so the gateway drops a resend that follows a
    crash between sending and recording it.
    """

    url: str
    token: str = ""
    sign_name: str = ""
    timeout: float = 10.0
    transport: httpx.AsyncBaseTransport | None = None

    async def send(self, delivery: Delivery) -> None:
        headers = {"Idempotency-Key": delivery.idempotency_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        text = f"【{self.sign_name}】{delivery.body}" if self.sign_name else delivery.body
        payload = {"to": delivery.recipient, "body": text, "kind": delivery.kind,
                   "idempotencyKey": delivery.idempotency_key}
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                response = await client.post(self.url, json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise _http_failure(response)


# WeChat official-account error codes: token invalid/expired (retry with a new token), user unreachable (give up).
_WECHAT_TOKEN_ERRORS = {40001, 40014, 42001}
_WECHAT_PERMANENT_ERRORS = {40003, 43004, 43101}


@dataclass
class WeChatTemplate:
    """WeChat official-account template messages (模板消息): recipient is the person's openid.

    `template_ids` maps a message kind to a template; `default_template_id` covers the rest. The template is
    filled with `first` (title), `keyword1` (body) and `remark`.
    """

    app_id: str
    app_secret: str
    default_template_id: str
    template_ids: dict[str, str] = field(default_factory=dict)
    api_base: str = "https://api.weixin.qq.com"
    timeout: float = 10.0
    transport: httpx.AsyncBaseTransport | None = None
    _token: str | None = None
    _token_expires: float = 0.0

    async def _access_token(self, client: httpx.AsyncClient) -> str:
        if self._token and time.monotonic() < self._token_expires:
            return self._token
        response = await client.get(f"{self.api_base}/cgi-bin/token", params={
            "grant_type": "client_credential", "appid": self.app_id, "secret": self.app_secret})
        data = response.json() if response.is_success else {}
        if "access_token" not in data:
            raise DeliveryFailed(f"WeChat token refused: {response.text[:200]}")
        self._token = data["access_token"]
        # Refresh five minutes early: WeChat tokens live 7200 s and a stale one fails the send.
        self._token_expires = time.monotonic() + int(data.get("expires_in", 7200)) - 300
        return self._token

    async def send(self, delivery: Delivery) -> None:
        template = self.template_ids.get(delivery.kind, self.default_template_id)
        payload = {
            "touser": delivery.recipient,
            "template_id": template,
            "client_msg_id": delivery.idempotency_key[:64],
            "data": {"first": {"value": delivery.title}, "keyword1": {"value": delivery.body},
                     "remark": {"value": delivery.kind}},
        }
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                token = await self._access_token(client)
                response = await client.post(f"{self.api_base}/cgi-bin/message/template/send",
                                             params={"access_token": token}, json=payload)
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            raise _http_failure(response)
        code = int(response.json().get("errcode", 0))
        if code == 0:
            return
        if code in _WECHAT_TOKEN_ERRORS:
            self._token = None
        raise DeliveryFailed(f"WeChat errcode {code}", permanent=code in _WECHAT_PERMANENT_ERRORS)


class InApp:
    """The in-app notification row is written with the cause (domain.notifications); delivering it is marking it
    delivered, there is nothing to transmit."""

    async def send(self, delivery: Delivery) -> None:
        return None


class DevLog:
    """Development: logs the message instead of sending it (and staff read it in OutboxMessages)."""

    async def send(self, delivery: Delivery) -> None:
        log.info("[%s] to %s (%s): %s %s", delivery.channel, delivery.recipient, delivery.kind, delivery.title,
                 delivery.body)
