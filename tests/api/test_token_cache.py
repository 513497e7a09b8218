"""The in-process token cache answers only under the data version it was filled under, and never past expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.auth import TokenCache
from domain.accounts.rules import Viewer

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)


def test_a_cached_token_is_forgotten_once_the_data_version_moves():
    cache = TokenCache()
    viewer = Viewer.anonymous()
    cache.put("digest", viewer, NOW + timedelta(hours=1), "v1")

    assert cache.get("digest", version="v1", now=NOW) is viewer
    assert cache.get("digest", version="v2", now=NOW) is None


def test_a_cached_token_is_refused_at_its_expiry():
    cache = TokenCache()
    cache.put("digest", Viewer.anonymous(), NOW + timedelta(minutes=5), "v1")

    assert cache.get("digest", version="v1", now=NOW + timedelta(minutes=5)) is None


def test_the_cache_keeps_only_the_most_recently_used_tokens():
    cache = TokenCache(size=2)
    for name in ("a", "b"):
        cache.put(name, Viewer.anonymous(), NOW + timedelta(hours=1), "v1")
    cache.get("a", version="v1", now=NOW)
    cache.put("c", Viewer.anonymous(), NOW + timedelta(hours=1), "v1")

    assert cache.get("b", version="v1", now=NOW) is None
    assert cache.get("a", version="v1", now=NOW) is not None
