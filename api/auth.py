"""Bearer token -> viewer. No strawberry here: the GraphQL view and the HTTP endpoints both use it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime

from domain.accounts.rules import Viewer
from domain.accounts.service import token_holder
from domain.accounts.rules import hash_token


class InvalidToken(Exception):
    """A bearer token that is unknown, revoked or expired: the client must sign in again (HTTP 401)."""


class TokenCache:
    """Token digest -> (viewer, expiry, data version) in this process, so the hot path skips the token query.

    An entry holds only while the data version (the audit chain head) is the one it was read under: logout,
    revocation, deactivation and role changes are mutations, each appends an audit event and so moves the head,
    in every worker at once (the version is read from the database). Expiry is checked here against `now`.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[Viewer, datetime, str]] = OrderedDict()

    def get(self, digest: str, *, version: str, now: datetime) -> Viewer | None:
        entry = self._entries.get(digest)
        if entry is None or entry[2] != version or entry[1] <= now:
            return None
        self._entries.move_to_end(digest)
        return entry[0]

    def put(self, digest: str, viewer: Viewer, expires_at: datetime, version: str) -> None:
        self._entries[digest] = (viewer, expires_at, version)
        self._entries.move_to_end(digest)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


def bearer_token(headers: Mapping[str, str]) -> str | None:
    header = headers.get("authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken("Authorization must be 'Bearer TOKEN'")
    return token.strip()


async def viewer_from_headers(headers: Mapping[str, str], *, now: datetime, cache: TokenCache | None = None,
                              version: str | None = None) -> Viewer:
    token = bearer_token(headers)
    if token is None:
        return Viewer.anonymous()
    digest = hash_token(token) if cache is not None and version is not None else None
    if digest is not None and cache is not None and version is not None:
        cached = cache.get(digest, version=version, now=now)
        if cached is not None:
            return cached
    found = await token_holder(token, now=now)
    if found is None:
        raise InvalidToken("Invalid or expired token")
    if digest is not None and cache is not None and version is not None:
        cache.put(digest, found[0], found[1], version)
    return found[0]
