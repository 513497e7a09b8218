"""HTTP endpoints besides /graphql (e.g. the complaint ledger export), collected here."""

from __future__ import annotations

from typing import Any


def extra_routes() -> list[Any]:
    from starlette.routing import Route

    from api.ledger import ledger_export

    routes: list[Any] = [Route("/complaints/ledger.xlsx", ledger_export, methods=["GET"])]
    return routes
