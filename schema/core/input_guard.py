"""Checks every String and ID argument against schema/core/bounds.py before the field resolves (issue 15 item 7).

A value over its maximum, or holding a NUL character or a lone surrogate, is refused as INVALID naming the field:
in a mutation's payload `errors`, elsewhere as a GraphQL error with `extensions.code` INVALID and `field`. Nothing
reaches a resolver, so nothing is written and no database sees the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    default_field_resolver,
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
    """Installs the check on the fields whose arguments can carry text (at the schema's first execution, see
    `guard_inputs`): decided once per field of the schema, so that fields without such arguments — nearly all of
    a page — pay nothing for it at each resolution."""

    def on_execute(self) -> Iterator[None]:
        guard_inputs(self.execution_context.schema._schema)
        yield


def carries_text(type_: Any, seen: frozenset[str] = frozenset()) -> bool:
    """Whether a value of this input type can hold a String or an ID, at any depth (`_problem` checks those)."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLScalarType):
        return named.name in ("String", "ID")
    if isinstance(named, GraphQLInputObjectType) and named.name not in seen:
        return any(carries_text(field.type, seen | {named.name}) for field in named.fields.values())
    return False


def guard_inputs(graphql_schema: GraphQLSchema) -> None:
    """Wraps the resolver of every field with an argument that `carries_text` (once per schema)."""
    if getattr(graphql_schema, "_tongxin_input_guard", False):
        return
    for type_ in graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            if any(carries_text(argument.type) for argument in field.args.values()):
                field.resolve = _input_guard(field.resolve or default_field_resolver, type_.name, name, field)
    graphql_schema._tongxin_input_guard = True  # type: ignore[attr-defined]


def _input_guard(resolve: Callable[..., Any], parent: str, name: str, definition: GraphQLField) -> Callable[..., Any]:
    def checked(root: Any, info: Any, **kwargs: Any) -> Any:
        if kwargs:
            problem = find_problem(parent, name, definition.args, kwargs)
            if problem is not None:
                return _refuse(problem, info, definition)
        return resolve(root, info, **kwargs)

    checked._is_default = getattr(resolve, "_is_default", False)  # type: ignore[attr-defined]  # tracing skips these
    checked.__wrapped__ = resolve  # type: ignore[attr-defined]
    checked._tongxin_input_guard = True  # type: ignore[attr-defined]
    return checked


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
