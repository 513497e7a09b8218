"""The one schema: every area's Query, Mutation and Subscription merged, with the request limits."""

from __future__ import annotations

import importlib
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules, MaskErrors, ParserCache, ValidationCache
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.extensions.max_tokens import MaxTokensLimiter
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema.core.scalars import SCALAR_MAP

# Area modules in the order their root fields appear; a module contributes Query, Mutation and/or Subscription.
AREAS = [
    "schema.accounts.queries",
    "schema.rulepacks.queries",
    "schema.audit.queries",
    "schema.accounts.mutations",
    "schema.core.queries",
    "schema.geography.queries",
    "schema.firms.queries",
    "schema.bodies.queries",
    "schema.geography.mutations",
    "schema.firms.mutations",
    "schema.bodies.mutations",
    "schema.complaints.queries",
    "schema.complaints.mutations",
    "schema.complaints.subscriptions",
    "schema.evaluation.queries",
    "schema.evaluation.mutations",
    "schema.deliberation.queries",
    "schema.deliberation.subscriptions",
    "schema.deliberation.mutations",
    "schema.committees.queries",
    "schema.committees.mutations",
]
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 4000


def _extra_types() -> list[type]:
    """Types reachable only through an interface (Body, Node) must be named to the schema."""
    found: list[type] = []
    for name in AREAS:
        found.extend(getattr(importlib.import_module(name), "EXTRA_TYPES", []))
    return found


def _roots(kind: str) -> tuple[type, ...]:
    found = []
    for name in AREAS:
        module = importlib.import_module(name)
        if hasattr(module, kind):
            found.append(getattr(module, kind))
    return tuple(found)


def _should_mask(error: GraphQLError) -> bool:
    """Mask only unexpected faults; validation and request errors keep their message (stack notes)."""
    return error.original_error is not None and not isinstance(error.original_error, GraphQLError)


def build_schema() -> strawberry.Schema:
    # Built once: the factory form of the limiters defeats ValidationCache (strawberry issue #4635).
    rules = [depth_rule(MAX_DEPTH, None, None), max_aliases_rule(MAX_ALIASES)]
    queries, mutations, subscriptions = _roots("Query"), _roots("Mutation"), _roots("Subscription")
    extra: dict[str, Any] = {}
    if subscriptions:
        extra["subscription"] = merge_types("Subscription", subscriptions)
    return strawberry.Schema(
        query=merge_types("Query", queries),
        mutation=merge_types("Mutation", mutations),
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        types=_extra_types(),
        extensions=[
            lambda: AddValidationRules(rules),
            lambda: MaxTokensLimiter(MAX_TOKENS),
            ParserCache,
            ValidationCache,
            lambda: MaskErrors(should_mask_error=_should_mask),
        ],
        **extra,
    )


schema = build_schema()
