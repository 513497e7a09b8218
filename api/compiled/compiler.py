"""Selection set -> one SQL statement that returns the root field's JSON, exactly the shape asked for.

The compilable subset: a query whose root fields are all known connections (ROOTS), selecting plain fields
(aliases and __typename allowed; no fragments, no directives), paged forwards (`first`/`after`). Anything else
returns None and the resolvers answer. A read policy plugs in as `id IN (<policy subquery>)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphql import FieldNode, GraphQLError, GraphQLField, GraphQLNamedType, get_named_type
from graphql.execution.values import get_argument_values

from api.compiled.dialect import Dialect
from api.compiled.types import OBJECTS, Link, ObjectType, Scalar
from schema.core.relay import DEFAULT_PAGE, MAX_PAGE, decode_cursor


class NotCompilable(Exception):
    """The resolvers answer this one (and produce its errors, if any)."""


class Builder:
    def __init__(self, dialect: Dialect, today: date) -> None:
        self.d = dialect
        self._today = today
        self._aliases = 0

    def alias(self) -> str:
        self._aliases += 1
        return f"t{self._aliases}"

    def today(self) -> str:
        return self.d.param("today", self._today)

    def embed(self, queryset: Any, prefix: str) -> str:
        """A tortoise queryset's SQL inside ours, its parameters renamed into our statement's."""
        queryset._choose_db_if_not_chosen()
        queryset._make_query()
        sql, values = queryset.query.get_parameterized_sql()
        out, index, quoted = [], 0, False
        i = 0
        while i < len(sql):
            c = sql[i]
            if c == "'":
                quoted = not quoted
            if not quoted and c == "?":
                out.append(self.d.param(f"{prefix}{index}", values[index]))
                index += 1
            elif not quoted and c == "$" and i + 1 < len(sql) and sql[i + 1].isdigit():
                j = i + 1
                while j < len(sql) and sql[j].isdigit():
                    j += 1
                number = int(sql[i + 1:j]) - 1
                out.append(self.d.param(f"{prefix}{number}", values[number]))
                i = j
                continue
            else:
                out.append(c)
            i += 1
        return "".join(out)


@dataclass(frozen=True)
class RootConnection:
    table: str
    node: str  # a name in api.compiled.types.OBJECTS
    # (builder, coerced arguments) -> SQL of the ids matching the filter, or None for no filter
    filter_sql: Callable[[Builder, dict[str, Any]], str | None]
    # viewer -> SQL of the ids this viewer may read, or None when everybody may read every row
    policy_sql: Callable[[Any], str | None] = lambda viewer: None


def _compound_filter(b: Builder, args: dict[str, Any]) -> str | None:
    from schema.geography.queries import compound_query

    from schema.geography.inputs import CompoundFilter

    given = args.get("filter")
    if given is None:
        return None
    flt = CompoundFilter(**{_snake(k): v for k, v in given.items()})
    # The resolver's own query builder, so that a filter means exactly the same on both paths.
    return b.embed(compound_query(flt, today=b._today).values_list("id", flat=True), "filter")


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


ROOTS: dict[str, RootConnection] = {
    "compounds": RootConnection(table="compound", node="Compound", filter_sql=_compound_filter),
}


def _fields(node: FieldNode) -> list[FieldNode]:
    if node.selection_set is None:
        raise NotCompilable("no selection")
    out = []
    for sel in node.selection_set.selections:
        if not isinstance(sel, FieldNode) or sel.directives:
            raise NotCompilable("fragments and directives take the resolver path")
        out.append(sel)
    keys = [f.alias.value if f.alias else f.name.value for f in out]
    if len(set(keys)) != len(keys):
        raise NotCompilable("repeated response keys are merged by the executor")
    return out


def _key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def compile_object(b: Builder, spec: ObjectType, node: FieldNode, alias: str) -> str:
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if sel.arguments:
            raise NotCompilable(f"{spec.name}.{name} takes arguments")
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal(spec.name)))
            continue
        found = spec.fields.get(name)
        if isinstance(found, Scalar):
            pairs.append((_key(sel), found.sql(b, alias)))
        elif isinstance(found, Link):
            inner = b.alias()
            body = compile_object(b, OBJECTS[found.target], sel, inner)
            pairs.append((_key(sel), b.d.subquery_json(f"SELECT {body} {found.source(b, alias, inner)}")))
        else:
            raise NotCompilable(f"{spec.name}.{name} is not compiled")
    return b.d.obj(pairs)


def compile_connection(b: Builder, root: RootConnection, node: FieldNode, field_def: GraphQLField,
                       variables: dict[str, Any], viewer: Any) -> str:
    try:
        args = get_argument_values(field_def, node, variables)
    except GraphQLError as exc:
        raise NotCompilable(str(exc)) from exc
    if args.get("last") is not None or args.get("before") is not None:
        raise NotCompilable("backward pages take the resolver path")
    size = args.get("first")
    size = DEFAULT_PAGE if size is None else size
    if not 0 <= size <= MAX_PAGE:
        raise NotCompilable("the resolver reports the page size error")
    try:
        after = decode_cursor(args.get("after"))
        filter_sql = root.filter_sql(b, args)
    except GraphQLError as exc:
        raise NotCompilable(str(exc)) from exc
    conditions = []
    if filter_sql is not None:
        conditions.append(f"p.id IN ({filter_sql})")
    policy = root.policy_sql(viewer)
    if policy is not None:
        conditions.append(f"p.id IN ({policy})")
    matching = " AND ".join(conditions) or "1 = 1"
    page_where = f"{matching} AND p.id > {int(after)}" if after is not None else matching
    page = f"SELECT p.* FROM {root.table} p WHERE {page_where} ORDER BY p.id LIMIT {int(size)}"
    connection_type = get_named_type(field_def.type)
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal(connection_type.name)))
        elif name == "totalCount":
            pairs.append((_key(sel), f"(SELECT COUNT(*) FROM {root.table} p WHERE {matching})"))
        elif name == "pageInfo":
            pairs.append((_key(sel), _page_info(b, sel, root, page, page_where, size, after)))
        elif name == "edges":
            pairs.append((_key(sel), _edges(b, sel, root, page, connection_type)))
        else:
            raise NotCompilable(f"{connection_type.name}.{name} is not compiled")
    return b.d.obj(pairs)


def _page_info(b: Builder, node: FieldNode, root: RootConnection, page: str, page_where: str, size: int,
               after: int | None) -> str:
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            expr = b.d.literal("PageInfo")
        elif name == "hasNextPage":
            peek = f"SELECT 1 FROM {root.table} p WHERE {page_where} ORDER BY p.id LIMIT {int(size) + 1}"
            expr = b.d.boolean(f"(SELECT COUNT(*) FROM ({peek}) x) > {int(size)}")
        elif name == "hasPreviousPage":
            expr = b.d.boolean("1 = 1" if after is not None else "1 = 0")
        elif name in ("startCursor", "endCursor"):
            edge = "MIN" if name == "startCursor" else "MAX"
            expr = f"(SELECT {b.d.cursor(f'{edge}(x.id)')} FROM ({page}) x)"
        else:
            raise NotCompilable(f"PageInfo.{name}")
        pairs.append((_key(sel), expr))
    return b.d.obj(pairs)


def _edges(b: Builder, node: FieldNode, root: RootConnection, page: str, connection_type: GraphQLNamedType) -> str:
    alias = b.alias()
    edge_type = connection_type.name.removesuffix("Connection") + "Edge"
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal(edge_type)))
        elif name == "cursor":
            pairs.append((_key(sel), b.d.cursor(f"{alias}.id")))
        elif name == "node":
            pairs.append((_key(sel), compile_object(b, OBJECTS[root.node], sel, alias)))
        else:
            raise NotCompilable(f"{edge_type}.{name}")
    return b.d.array(b.d.obj(pairs), f"FROM ({page}) {alias}", f"{alias}.id")
