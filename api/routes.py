"""HTTP endpoints besides /graphql (e.g. the complaint ledger export), collected here."""

from __future__ import annotations

from typing import Any


def extra_routes() -> list[Any]:
    routes: list[Any] = []
    return routes
