"""Selection set -> one SQL statement that returns the root field's JSON, exactly the shape asked for.

The compilable subset: a query whose root fields are all known connections (ROOTS), selecting plain fields
(aliases and __typename allowed; no fragments, no directives), paged forwards (`first`/`after`). Anything else
returns None and the resolvers answer, as do viewers the root field's permission (Allow) refuses. A read policy
plugs in as `id IN (<policy subquery>)`: the node type's (as `paginate` applies it) and the list's own filter,
built by the resolver's query builder. An expression over the request's instant uses `Builder.now()`, a parameter
bound per request (api.compiled.dialect.NOW).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from graphql import FieldNode, GraphQLError, GraphQLField, GraphQLNamedType, get_named_type
from graphql.execution.values import get_argument_values

from api.compiled.dialect import NOW, Dialect
from api.compiled.types import OBJECTS, Link, ObjectType, Scalar
from schema.core.relay import DEFAULT_PAGE, MAX_PAGE, decode_cursor


class NotCompilable(Exception):
    """The resolvers answer this one (and produce its errors, if any)."""


# Handed to a resolver's query builder as its `now`: where it lands in the SQL, the request's instant is bound
# instead (found by identity, so no value a client sends can be taken for it).
INSTANT = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC)


class Builder:
    def __init__(self, dialect: Dialect, today: date, viewer: Any = None) -> None:
        self.d = dialect
        self._today = today
        self._aliases = 0
        self.viewer = viewer
        self.ctes: list[str] = []  # "name AS MATERIALIZED (...)", put before the statement's SELECT

    def statement(self, select_list: str) -> str:
        return (f"WITH {', '.join(self.ctes)} " if self.ctes else "") + "SELECT " + select_list

    def readable(self, type_name: str, alias: str) -> str:
        """The read policy of a guarded type (schema.core.policies) as SQL on `alias`, or "" where the viewer
        reads every row: the one policy of the resolver path, embedded, never restated."""
        ids = self.readable_ids(type_name)
        return "" if ids is None else f" AND {alias}.id IN ({ids})"

    def readable_ids(self, type_name: str) -> str | None:
        """SQL of the ids of `type_name` the viewer reads, or None where they read every row."""
        from domain.access.policies import NOTHING, READ_POLICIES
        from domain.accounts.rules import Viewer
        from schema.core.policies import GUARDED, NODE_POLICIES

        if type_name not in GUARDED:
            return None
        model = NODE_POLICIES[type_name]
        condition = READ_POLICIES[model].condition(self.viewer or Viewer.anonymous())
        if not condition.children and not condition.filters and condition is not NOTHING:
            return None  # Q(): everything (centre staff)
        self._aliases += 1
        return self.embed(model.filter(condition).values_list("id", flat=True), f"policy{self._aliases}_")

    def alias(self) -> str:
        self._aliases += 1
        return f"t{self._aliases}"

    def today(self) -> str:
        return self.d.param("today", self._today)

    def now(self) -> str:
        """The request's instant, bound per request (api.compiled.dialect.NOW)."""
        return self.d.param("now", NOW)

    @property
    def viewing(self) -> Any:
        from domain.accounts.rules import Viewer

        return self.viewer or Viewer.anonymous()

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
                out.append(self._embedded(f"{prefix}{index}", values[index]))
                index += 1
            elif not quoted and c == "$" and i + 1 < len(sql) and sql[i + 1].isdigit():
                j = i + 1
                while j < len(sql) and sql[j].isdigit():
                    j += 1
                number = int(sql[i + 1:j]) - 1
                out.append(self._embedded(f"{prefix}{number}", values[number]))
                i = j
                continue
            else:
                out.append(c)
            i += 1
        return "".join(out)

    def _embedded(self, key: str, value: Any) -> str:
        return self.now() if value is INSTANT else self.d.param(key, value)


@dataclass(frozen=True)
class RootConnection:
    table: str
    node: str  # a name in api.compiled.types.OBJECTS
    # (builder, coerced arguments) -> SQL of the ids matching the filter, or None for no filter
    filter_sql: Callable[[Builder, dict[str, Any]], str | None]
    # viewer -> SQL of the ids this viewer may read, or None when everybody may read every row
    policy_sql: Callable[[Any], str | None] = lambda viewer: None
    # newest first (schema.core.relay.paginate(descending=True)): pages run down the primary key
    descending: bool = False


def _compound_filter(b: Builder, args: dict[str, Any]) -> str | None:
    from schema.geography.inputs import CompoundFilter
    from schema.geography.queries import compound_query

    given = args.get("filter")
    if given is None:
        return None
    flt = CompoundFilter(**{_snake(k): v for k, v in given.items()})
    # The resolver's own query builder, so that a filter means exactly the same on both paths.
    return b.embed(compound_query(flt, today=b._today).values_list("id", flat=True), "filter")


def _complaint_filter(b: Builder, args: dict[str, Any]) -> str | None:
    from tortoise.expressions import Subquery

    from domain.accounts.rules import Role
    from domain.complaints import queries
    from domain.firms.models import PropertyFirm
    from schema.complaints.inputs import ComplaintFilter
    from schema.complaints.queries import ledger_rows
    from schema.core.relay import parse_id

    given = args.get("filter")
    rows = queries.LedgerFilter()
    if given is not None:
        flt = ComplaintFilter(**{_snake(k): v for k, v in given.items()})
        handler_id = None
        if flt.handler_id is not None:
            # schema.bodies.types.body_pk: an Organisation's ID is its body row, taken as is; a firm's or a
            # committee's is looked up (or refused) by a statement: the resolvers answer those.
            parsed = parse_id(str(flt.handler_id))
            if parsed is None or parsed[0] != "Organisation":
                raise NotCompilable("a handler other than an organisation is resolved by a statement")
            handler_id = parsed[1]
        rows = ledger_rows(flt, handler_id)
    viewer = b.viewing
    # domain.complaints.orders.firm_body_id_of, as a subquery instead of a statement of its own.
    firm_body = (Subquery(PropertyFirm.filter(id=viewer.firm_id).values("body_id"))
                 if Role.FIRM_STAFF in viewer.roles and viewer.firm_id is not None else None)
    if given is None and viewer.is_centre:
        return None  # the whole ledger
    # The resolver's own query (visibility and filter), `now` bound per request.
    query = queries.ledger(viewer, firm_body, rows, now=INSTANT)  # type: ignore[arg-type]
    return b.embed(query.values_list("id", flat=True), "filter")


def _meeting_filter(b: Builder, args: dict[str, Any]) -> str | None:
    from schema.deliberation.inputs import MeetingFilter
    from schema.deliberation.queries import meeting_query

    given = args.get("filter")
    flt = MeetingFilter(**{_snake(k): v for k, v in given.items()}) if given is not None else None
    if flt is None and b.viewing.is_centre:
        return None  # every meeting (the read policy admits the centre everywhere)
    return b.embed(meeting_query(b.viewing, flt).values_list("id", flat=True), "filter")


def _firm_filter(b: Builder, args: dict[str, Any]) -> str | None:
    from schema.firms.inputs import PropertyFirmFilter
    from schema.firms.queries import firm_query

    given = args.get("filter")
    if given is None:
        return None
    flt = PropertyFirmFilter(**{_snake(k): v for k, v in given.items()})
    return b.embed(firm_query(flt).values_list("id", flat=True), "filter")


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


ROOTS: dict[str, RootConnection] = {
    "compounds": RootConnection(table="compound", node="Compound", filter_sql=_compound_filter),
    "complaints": RootConnection(table="complaint", node="Complaint", filter_sql=_complaint_filter,
                                 descending=True),
    "meetings": RootConnection(table="meeting", node="Meeting", filter_sql=_meeting_filter, descending=True),
    "propertyFirms": RootConnection(table="property_firm", node="PropertyFirm", filter_sql=_firm_filter),
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
            pairs.append((_key(sel), spec.typename(b, alias) if spec.typename else b.d.literal(spec.name)))
            continue
        found = spec.fields.get(name)
        if isinstance(found, Scalar):
            pairs.append((_key(sel), found.sql(b, alias)))
        elif isinstance(found, Link):
            inner = b.alias()
            body = compile_object(b, OBJECTS[found.target], sel, inner)
            source = found.source(b, alias, inner) + b.readable(found.target, inner)
            pairs.append((_key(sel), b.d.subquery_json(f"SELECT {body} {source}")))
        else:
            raise NotCompilable(f"{spec.name}.{name} is not compiled")
    return b.d.obj(pairs)


def permitted(field_def: GraphQLField, viewer: Any) -> None:
    """The field's own permission (schema.core.permissions.Allow) as the resolver would apply it: a viewer it
    refuses is answered (FORBIDDEN) by the resolvers; any other field extension runs only there."""
    from domain.accounts.rules import CENTRE, Viewer
    from schema.core.permissions import Allow

    definition = field_def.extensions.get("strawberry-definition")
    if definition is None or definition.permission_classes:
        raise NotCompilable("permission classes run on the resolver path")
    for extension in definition.extensions:
        if not isinstance(extension, Allow):
            raise NotCompilable(f"{type(extension).__name__} runs on the resolver path")
        # Plans and answers are shared by all centre staff (plans.visibility_of): a rule telling them apart
        # cannot compile.
        if not CENTRE <= extension.roles:
            raise NotCompilable("a permission that tells centre roles apart")
        if not (viewer or Viewer.anonymous()).has_any(extension.roles):
            raise NotCompilable("the resolver refuses this viewer")


def forward_page(args: dict[str, Any]) -> tuple[int, int | None]:
    """(page size, id after which the page starts) as schema.core.relay.paginate reads them; anything it would
    refuse or page backwards is left to the resolvers."""
    if args.get("last") is not None or args.get("before") is not None:
        raise NotCompilable("backward pages take the resolver path")
    size = args.get("first")
    size = DEFAULT_PAGE if size is None else size
    if not 0 <= size <= MAX_PAGE:
        raise NotCompilable("the resolver reports the page size error")
    try:
        return size, decode_cursor(args.get("after"))
    except GraphQLError as exc:
        raise NotCompilable(str(exc)) from exc


def compile_connection(b: Builder, root: RootConnection, node: FieldNode, field_def: GraphQLField,
                       variables: dict[str, Any], viewer: Any) -> str:
    from schema.core.input_guard import find_problem

    permitted(field_def, viewer)
    try:
        args = get_argument_values(field_def, node, variables)
    except GraphQLError as exc:
        raise NotCompilable(str(exc)) from exc
    if find_problem("Query", node.name.value, field_def.args, args) is not None:
        raise NotCompilable("schema.core.input_guard.InputGuard refuses an argument")
    size, after = forward_page(args)
    try:
        filter_sql = root.filter_sql(b, args)
    except GraphQLError as exc:
        raise NotCompilable(str(exc)) from exc
    conditions = []
    if filter_sql is not None:
        conditions.append(f"p.id IN ({filter_sql})")
    policy = root.policy_sql(viewer)
    if policy is not None:
        conditions.append(f"p.id IN ({policy})")
    # schema.core.relay.paginate pages only what the node type's read policy lets the viewer read.
    readable = b.readable_ids(root.node)
    if readable is not None:
        conditions.append(f"p.id IN ({readable})")
    matching = "1 = 1"
    count = f"(SELECT COUNT(*) FROM {root.table} p)"
    if conditions:
        # The filter and the policies, evaluated once: the count, the page, its peek and its cursors all read
        # them (a search's LIKE over every row ran four times before; PostgreSQL and SQLite both honour the hint).
        cte = f"matching{b.alias()}"
        b.ctes.append(f"{cte} AS MATERIALIZED (SELECT p.id FROM {root.table} p WHERE {' AND '.join(conditions)})")
        matching = f"p.id IN (SELECT id FROM {cte})"
        count = f"(SELECT COUNT(*) FROM {cte})"
    direction, beyond = ("DESC", "<") if root.descending else ("ASC", ">")
    page_where = f"{matching} AND p.id {beyond} {int(after)}" if after is not None else matching
    page = f"SELECT p.* FROM {root.table} p WHERE {page_where} ORDER BY p.id {direction} LIMIT {int(size)}"
    connection_type = get_named_type(field_def.type)
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal(connection_type.name)))
        elif name == "totalCount":
            pairs.append((_key(sel), count))
        elif name == "pageInfo":
            pairs.append((_key(sel), page_info(b, sel, root, page, page_where, size, after, direction)))
        elif name == "edges":
            pairs.append((_key(sel), _edges(b, sel, root, page, connection_type)))
        else:
            raise NotCompilable(f"{connection_type.name}.{name} is not compiled")
    return b.d.obj(pairs)


def page_info(b: Builder, node: FieldNode, root: RootConnection, page: str, page_where: str, size: int,
               after: int | None, direction: str) -> str:
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            expr = b.d.literal("PageInfo")
        elif name == "hasNextPage":
            peek = f"SELECT 1 FROM {root.table} p WHERE {page_where} ORDER BY p.id {direction} LIMIT {int(size) + 1}"
            expr = b.d.boolean(f"(SELECT COUNT(*) FROM ({peek}) x) > {int(size)}")
        elif name == "hasPreviousPage":
            expr = b.d.boolean("1 = 1" if after is not None else "1 = 0")
        elif name in ("startCursor", "endCursor"):
            edge = "MIN" if (name == "startCursor") != root.descending else "MAX"
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
    order = f"{alias}.id DESC" if root.descending else f"{alias}.id"
    return b.d.array(b.d.obj(pairs), f"FROM ({page}) {alias}", order)
