"""Checks every String and ID argument against schema/core/bounds.py before the field resolves (issue 15 item 7).

A value over its maximum, or holding a NUL character or a lone surrogate, is refused as INVALID naming the field:
in a mutation's payload `errors`, elsewhere as a GraphQL error with `extensions.code` INVALID and `field`. Nothing
reaches a resolver, so nothing is written and no database sees the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    get_named_type,
)
from strawberry.extensions import SchemaExtension

from domain.errors import ErrorCode, RuleViolation
from schema.core.bounds import ID, NOTE, max_length
from schema.core.errors import error_payload

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _text_problem(value: str, limit: int, path: list[str]) -> RuleViolation | None:
    # One dotted path with list indexes ("units.0.entrance"), as the use cases name nested fields.
    name = ".".join(path)
    if len(value) > limit:
        return RuleViolation(ErrorCode.INVALID, f"{name} 不能超过{limit}个字符", name,
                             en=f"{name} must have at most {limit} characters")
    if _UNSTORABLE.search(value):
        return RuleViolation(ErrorCode.INVALID, f"{name} 含有无法保存的字符（NUL 或孤立代理项）", name,
                             en=f"{name} holds a character that cannot be stored (NUL or a lone surrogate)")
    return None


def _problem(value: Any, type_: Any, key: str, argument: str | None, path: list[str]) -> RuleViolation | None:
    if value is None:
        return None
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if problem := _problem(item, type_.of_type, key, argument, [*path, str(index)]):
                return problem
        return None
    if isinstance(type_, GraphQLInputObjectType) and isinstance(value, Mapping):
        for name, field in type_.fields.items():
            if name in value and (problem := _problem(value[name], field.type, f"{type_.name}.{name}", None,
                                                      [*path, name])):
                return problem
        return None
    if isinstance(type_, GraphQLScalarType) and isinstance(value, str):
        if type_.name == "ID":
            return _text_problem(value, ID, path)
        if type_.name == "String":
            return _text_problem(value, max_length(key, argument) or NOTE, path)
    return None


def find_problem(parent: str, field: str, arguments: Mapping[str, GraphQLArgument],
                 values: Mapping[str, Any]) -> RuleViolation | None:
    for name, argument in arguments.items():
        if name in values:
            # Payload field paths leave out the one `input` argument, as every use case's own errors do.
            path = [] if name == "input" else [name]
            if problem := _problem(values[name], argument.type, f"{parent}.{field}({name})", name, path):
                return problem
    return None


class InputGuard(SchemaExtension):
    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            definition = info.parent_type.fields[info.field_name]
            problem = find_problem(info.parent_type.name, info.field_name, definition.args, kwargs)
            if problem is not None:
                return _refuse(problem, info, definition)
        return _next(root, info, *args, **kwargs)


def _refuse(problem: RuleViolation, info: Any, definition: Any) -> Any:
    strawberry_field = (definition.extensions or {}).get("strawberry-definition")
    payload_type = getattr(strawberry_field, "type", None)
    returned = get_named_type(definition.type)
    is_payload = info.parent_type.name == "Mutation" and "errors" in getattr(returned, "fields", {})
    if is_payload and payload_type is not None:
        return error_payload(payload_type, problem, getattr(info.context, "language", "zh-CN"))
    language = getattr(info.context, "language", "zh-CN")
    raise GraphQLError(problem.message_en if language.startswith("en") else problem.message,
                       extensions={"code": "INVALID", "field": list(problem.field or ())})


class RuleViolationErrors(SchemaExtension):
    """A RuleViolation raised outside a mutation payload (a query's malformed ID or period) becomes a GraphQL
    error with its message and `extensions.code`, instead of a masked fault."""

    def on_operation(self) -> Any:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if not errors:
            return
        language = getattr(self.execution_context.context, "language", "zh-CN")
        typed = []
        for error in errors:
            violation = error.original_error
            if isinstance(violation, RuleViolation):
                error = GraphQLError(
                    violation.message_en if language.startswith("en") else violation.message,
                    nodes=error.nodes, source=error.source, positions=error.positions, path=error.path,
                    extensions={"code": str(violation.code), "field": list(violation.field or ())})
            typed.append(error)
        result.errors = typed
