"""Demand control before execution (issue 15 item 4): a cap on selections counted right after parsing (before
validation, whose overlapping-fields rule is quadratic in the fields of a selection set), then a static cost.

Cost is GitHub's node limit: every connection field costs the number of nodes it may return, multiplied by the
sizes of the connections above it — `first`/`last` (the default page when absent), and for a plain list its
declared bound. A document over the maximum is refused before any resolver runs; the cost of every document
that runs is reported in `extensions.cost`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from schema.core.relay import DEFAULT_PAGE, MAX_PAGE

# A list field that is not a connection and has no declared bound counts as this many items.
DEFAULT_LIST_BOUND = 20
# Declared bounds of plain list fields ("Type.field" -> most items it can hold), where the domain bounds them.
LIST_BOUNDS: dict[str, int] = {
    "OwnersCommittee.members": 11,  # 指导规则 art. 31: at most 11 members (物管会 similar)
}


@dataclass(frozen=True)
class DemandLimits:
    max_selections: int = 1_000
    max_repeats: int = 10
    max_cost: int = 50_000


@dataclass(frozen=True)
class DocumentSize:
    selections: int  # fields, with each named fragment counted where it is spread
    repeats: int  # the most times one response name occurs in one selection set


def measure_document(document: DocumentNode, limit: int) -> DocumentSize:
    """Counts fields (stopping past `limit`) and the worst repetition of one response name in a selection set:
    the overlapping-fields rule compares every pair of same-named fields, so repeats are what make it slow."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    memo: dict[str, int] = {}
    worst_repeat = 0

    def names_in(selection_set: SelectionSetNode | None, names: dict[str, int]) -> None:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                names[key] = names.get(key, 0) + 1
            elif isinstance(selection, InlineFragmentNode):
                names_in(selection.selection_set, names)

    def in_set(selection_set: SelectionSetNode | None, visiting: frozenset[str]) -> int:
        nonlocal worst_repeat
        if selection_set is None:
            return 0
        names: dict[str, int] = {}
        names_in(selection_set, names)
        worst_repeat = max(worst_repeat, max(names.values(), default=0))
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1 + in_set(selection.selection_set, visiting)
            elif isinstance(selection, InlineFragmentNode):
                total += in_set(selection.selection_set, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visiting or name not in fragments:
                    continue  # a cycle or an unknown fragment: validation reports it
                if name not in memo:
                    memo[name] = in_set(fragments[name].selection_set, visiting | {name})
                total += memo[name]
            if total > limit:
                return total
        return total

    total = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            total += in_set(definition.selection_set, frozenset())
        elif isinstance(definition, FragmentDefinitionNode):
            total += 1  # every fragment definition is validated, spread or not
        if total > limit:
            break
    return DocumentSize(selections=total, repeats=worst_repeat)


def _argument(field: FieldNode, name: str, variables: Mapping[str, Any]) -> Any:
    for argument in field.arguments or ():
        if argument.name.value == name:
            if isinstance(argument.value, VariableNode):
                return variables.get(argument.value.name.value)
            return value_from_ast_untyped(argument.value, variables)
    return None


def _size(parent: GraphQLObjectType, field: FieldNode, variables: Mapping[str, Any]) -> tuple[int, bool]:
    """How many items this field may return and whether it is a list/connection at all."""
    definition = parent.fields.get(field.name.value)
    if definition is None or (parent.name.endswith("Connection") and field.name.value in ("edges", "nodes")):
        return 1, False  # a connection's edges are the nodes already counted at the connection
    named = get_named_type(definition.type)
    if named.name.endswith("Connection") and "first" in definition.args:
        first, last = _argument(field, "first", variables), _argument(field, "last", variables)
        size = first if isinstance(first, int) else last if isinstance(last, int) else DEFAULT_PAGE
        return max(0, min(size, MAX_PAGE)), True
    inner = definition.type.of_type if isinstance(definition.type, GraphQLNonNull) else definition.type
    if isinstance(inner, GraphQLList):
        return LIST_BOUNDS.get(f"{parent.name}.{field.name.value}", DEFAULT_LIST_BOUND), True
    return 1, False


def static_cost(schema: GraphQLSchema, document: DocumentNode, operation_name: str | None,
                variables: Mapping[str, Any]) -> int:
    """Nodes the operation may touch: the sum, over list and connection fields, of the product of the sizes
    down the path to them. Abstract types (Node, Body) count as the largest of their possible types."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations if operation_name is None or
                      (o.name is not None and o.name.value == operation_name)), None)
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0

    def fields_of(selection_set: SelectionSetNode | None, type_: Any) -> Iterator[tuple[FieldNode, Any]]:
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                yield selection, type_
            elif isinstance(selection, InlineFragmentNode):
                condition = schema.get_type(selection.type_condition.name.value) if selection.type_condition \
                    else type_
                yield from fields_of(selection.selection_set, condition)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
                fragment = fragments[selection.name.value]
                yield from fields_of(fragment.selection_set, schema.get_type(fragment.type_condition.name.value))

    def cost(selection_set: SelectionSetNode | None, type_: Any, multiplier: int) -> int:
        total = 0
        for field, parent in fields_of(selection_set, type_):
            if not isinstance(parent, GraphQLObjectType):
                # An interface: its fields exist on every possible type with the same shape.
                possible = schema.get_possible_types(parent) if parent is not None else []
                parent = possible[0] if possible else None
                if parent is None:
                    continue
            size, is_list = _size(parent, field, variables)
            if not field.selection_set:
                continue
            definition = parent.fields.get(field.name.value)
            child = get_named_type(definition.type) if definition else None
            if is_list:
                nodes = multiplier * size
                total += nodes + cost(field.selection_set, child, nodes)
            else:
                total += cost(field.selection_set, child, multiplier)
        return total

    return cost(operation.selection_set, root, 1)


class DemandControl(SchemaExtension):
    """Refuses a document over the selection cap before validation and over the cost maximum before execution;
    reports the cost. Limits come from the request's context (`context.demand`), defaults otherwise."""

    def __init__(self, *, execution_context: Any = None) -> None:
        self.cost: int | None = None

    def _limits(self) -> DemandLimits:
        return getattr(self.execution_context.context, "demand", None) or DemandLimits()

    def on_validate(self) -> Iterator[None]:
        limits = self._limits()
        document = self.execution_context.graphql_document
        if document is not None:
            size = measure_document(document, limits.max_selections)
            if size.selections > limits.max_selections:
                raise GraphQLError(f"The document selects more than {limits.max_selections} fields; split it",
                                   extensions={"code": "TOO_MANY_SELECTIONS", "maximum": limits.max_selections})
            if size.repeats > limits.max_repeats:
                raise GraphQLError(
                    f"A field is selected {size.repeats} times in one selection set (at most {limits.max_repeats})",
                    extensions={"code": "TOO_MANY_SELECTIONS", "maximum": limits.max_repeats})
        yield

    def on_execute(self) -> Iterator[None]:
        limits = self._limits()
        context = self.execution_context
        if context.graphql_document is not None:
            self.cost = static_cost(context.schema._schema, context.graphql_document, context.operation_name,
                                    context.variables or {})
            if self.cost > limits.max_cost:
                raise GraphQLError(
                    f"The query may touch {self.cost} nodes, more than the maximum of {limits.max_cost}: "
                    "ask for smaller pages (first/last) or fewer nested connections",
                    extensions={"code": "COST_LIMIT", "cost": self.cost, "maximum": limits.max_cost})
        yield

    def get_results(self) -> dict[str, Any]:
        if not self.cost:  # nothing to report for a document without lists (sign-in, viewer, a mutation)
            return {}
        return {"cost": {"nodes": self.cost, "maximum": self._limits().max_cost}}
