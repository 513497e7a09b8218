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

from domain.errors import RuleViolation
from schema.core.demand import DemandControl
from schema.core.exposure import SchemaExposure
from schema.core.input_guard import InputGuard, RuleViolationErrors, guard_inputs
from schema.core.policies import ReadPolicy, guard_reads
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
    "schema.owners.queries",
    "schema.owners.mutations",
    "schema.complaints.rating",
    "schema.attachments.mutations",
    "schema.notifications.queries",
    "schema.notifications.mutations",
    "schema.disclosures.queries",
    "schema.disclosures.mutations",
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
    """Mask only unexpected faults; validation and request errors keep their message (stack notes), and a
    domain refusal outside a payload (a query's malformed argument) is typed by RuleViolationErrors."""
    return error.original_error is not None and not isinstance(error.original_error, (GraphQLError, RuleViolation))


def build_schema() -> strawberry.Schema:
    # Built once: the factory form of the limiters defeats ValidationCache (strawberry issue #4635).
    rules = [depth_rule(MAX_DEPTH, None, None), max_aliases_rule(MAX_ALIASES)]
    queries, mutations, subscriptions = _roots("Query"), _roots("Mutation"), _roots("Subscription")
    extra: dict[str, Any] = {}
    if subscriptions:
        extra["subscription"] = merge_types("Subscription", subscriptions)
    built = strawberry.Schema(
        query=merge_types("Query", queries),
        mutation=merge_types("Mutation", mutations),
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        types=_extra_types(),
        # Order matters: SchemaExposure adds its rule after AddValidationRules; DemandControl counts selections
        # before ValidationCache validates; MaskErrors comes last.
        extensions=[
            lambda: AddValidationRules(rules),
            lambda: MaxTokensLimiter(MAX_TOKENS),
            ParserCache,
            SchemaExposure,
            DemandControl,
            ValidationCache,
            InputGuard,
            RuleViolationErrors,
            lambda: MaskErrors(should_mask_error=_should_mask),
            ReadPolicy,
        ],
        **extra,
    )
    # The input and read guards go on the fields that need them now, not at the first execution (where InputGuard
    # and ReadPolicy install them on a schema that lacks them).
    guard_inputs(built._schema)
    guard_reads(built._schema)
    return built


schema = build_schema()
