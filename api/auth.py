"""Bearer token -> viewer. No strawberry here: the GraphQL view and the HTTP endpoints both use it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from domain.accounts.rules import Viewer
from domain.accounts.service import viewer_for_token


class InvalidToken(Exception):
    """A bearer token that is unknown, revoked or expired: the client must sign in again (HTTP 401)."""


async def viewer_from_headers(headers: Mapping[str, str], *, now: datetime) -> Viewer:
    header = headers.get("authorization", "")
    if not header:
        return Viewer.anonymous()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Authorization must be 'Bearer TOKEN'")
    viewer = await viewer_for_token(token.strip(), now=now)
    if viewer is None:
        raise InvalidToken("Invalid or expired token")
    return viewer
