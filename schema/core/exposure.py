"""What the schema tells about itself (issue 15 item 5): introspection open, to staff only, or off; and the
"Did you mean …" suggestions in error messages, which are off whenever introspection is not open to the caller
(a suggestion leaks field and enum names one guess at a time). The console (GraphiQL) is a separate setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import SchemaExtension
from strawberry.types.execution import ExecutionResult as StrawberryExecutionResult

from domain.accounts.rules import STAFF, Viewer


class Introspection(StrEnum):
    OPEN = "open"
    STAFF = "staff"
    OFF = "off"


@dataclass(frozen=True)
class ExposurePolicy:
    introspection: Introspection = Introspection.OPEN
    suggestions: bool = True


def introspection_open_to(policy: ExposurePolicy, viewer: Viewer) -> bool:
    if policy.introspection is Introspection.OPEN:
        return True
    return policy.introspection is Introspection.STAFF and viewer.has_any(STAFF)


def suggestions_shown_to(policy: ExposurePolicy, viewer: Viewer) -> bool:
    return policy.suggestions and introspection_open_to(policy, viewer)


_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


def without_suggestion(error: GraphQLError) -> GraphQLError:
    if "Did you mean" not in error.message:
        return error
    return GraphQLError(_SUGGESTION.sub("", error.message), nodes=error.nodes, source=error.source,
                        positions=error.positions, path=error.path, original_error=error.original_error,
                        extensions=error.extensions)


class SchemaExposure(SchemaExtension):
    """Adds graphql-core's no-introspection rule for callers the policy keeps out, and strips suggestions.
    Listed after AddValidationRules; the rule set it leaves is part of ValidationCache's key."""

    def on_operation(self) -> Iterator[None]:
        context: Any = self.execution_context.context
        policy = getattr(context, "exposure", None) or ExposurePolicy()
        viewer = getattr(context, "viewer", None) or Viewer.anonymous()
        if not introspection_open_to(policy, viewer):
            self.execution_context.validation_rules = (
                *self.execution_context.validation_rules, NoSchemaIntrospectionCustomRule)
        yield
        if suggestions_shown_to(policy, viewer):
            return
        result = self.execution_context.result
        if isinstance(result, (GraphQLExecutionResult, StrawberryExecutionResult)) and result.errors:
            result.errors = [without_suggestion(e) for e in result.errors]
