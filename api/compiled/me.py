"""The owners' app root `me` (schema.owners): a root object of the viewer, compiled per viewer into one statement.

Mirrors schema.owners.types.Me field by field: own person (unmasked: it is the viewer's own), own units, the
compounds owning them, the open votes of domain.deliberation.own_ballots.open_votes (read from the roll fixed at
opening, so the seat rules of art. 9 — one seat per buyer, co-owners sharing it, the developer's representative —
are already in vote_seat_holder), and the notifications connection. `complaints` is not compiled (its
availableActions and timeline come from the domain's state machine and audit log): selecting it falls back.

open_votes depends on no instant (an item stays VOTING until it is closed, by staff or by the scheduler at
votingClosesAt), so the statement binds no `now` and may be cached per day as any other.

Non-null fields of guarded types (person, openVotes.agendaItem, its meeting) that the read policy would hide make
the resolvers raise: the statement then yields SQL NULL and api.compiled.view lets the resolvers answer (and
report the error) instead of inventing a null.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, GraphQLError, GraphQLField, get_named_type
from graphql.execution.values import get_argument_values

from api.compiled.compiler import (
    Builder,
    NotCompilable,
    RootConnection,
    _fields,
    _key,
    compile_object,
    forward_page,
    page_info,
)
from api.compiled.types import OBJECTS, Link, ObjectType, Scalar
from api.compiled.types_owner import (
    AGENDA_ITEM,
    BALLOT,
    NOTIFICATION,
    OWN_PERSON,
    OWNER_OBJECTS,
    UNIT,
    Must,
)
from domain.deliberation.vocabulary import AgendaStatus

Special = Callable[[Builder, FieldNode, str], str]

# The viewer's notifications, newest first: paged as a root connection is (compiler.page_info).
NOTIFICATIONS = RootConnection(table="notification", node="Notification", filter_sql=lambda b, args: None,
                               descending=True)


@dataclass(frozen=True)
class ViewerRoot:
    """A root object that depends on who asks (not a connection): compiled by a function of the viewer."""

    # (builder, root field node, its definition, coerced variables, viewer) -> the field's JSON as SQL
    compile: Callable[[Builder, FieldNode, GraphQLField, dict[str, Any], Any], str]
    # whether an answer may go to the response cache (its data moves only with the audit chain head)
    cacheable: Callable[[FieldNode], bool] = lambda node: True


def join_scope(scope: str, source: str) -> str:
    """"FROM a WHERE p" joined with a link's "FROM t x WHERE q": the rows of x reached from the rows of a."""
    scope_from, scope_where = scope.split(" WHERE ", 1)
    table, condition = source.removeprefix("FROM ").split(" WHERE ", 1)
    return f"{scope_from} JOIN {table} ON {condition} WHERE {scope_where}"


def hidden(b: Builder, type_name: str, alias: str) -> str | None:
    """SQL true where the read policy hides the row `alias` (None: this viewer reads every row)."""
    fragment = b.readable(type_name, alias)
    return f"NOT (1 = 1{fragment})" if fragment else None


def compile_owned(b: Builder, spec: ObjectType, node: FieldNode, alias: str, scope: str, checks: list[str],
                  special: dict[str, Special] | None = None) -> str:
    """compiler.compile_object for the owner specs: `scope` ("FROM ... WHERE ...") enumerates the rows `alias`
    ranges over, so that a hidden non-null link anywhere below adds its condition to `checks`."""
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if sel.arguments:
            raise NotCompilable(f"{spec.name}.{name} takes arguments")
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal(spec.name)))
            continue
        if special and name in special:
            pairs.append((_key(sel), special[name](b, sel, alias)))
            continue
        found = spec.fields.get(name)
        if isinstance(found, Scalar):
            pairs.append((_key(sel), found.sql(b, alias)))
        elif isinstance(found, Must):
            inner = b.alias()
            source = found.source(b, alias, inner)
            concealed = hidden(b, found.target, inner)
            if concealed is not None:
                checks.append(f"EXISTS (SELECT 1 {join_scope(scope, source)} AND {concealed})")
            body = compile_owned(b, OWNER_OBJECTS[found.target], sel, inner, join_scope(scope, source), checks)
            pairs.append((_key(sel), b.d.subquery_json(f"SELECT {body} {source}")))
        elif isinstance(found, Link) and found.target in OBJECTS:
            inner = b.alias()
            body = compile_object(b, OBJECTS[found.target], sel, inner)
            source = found.source(b, alias, inner) + b.readable(found.target, inner)
            pairs.append((_key(sel), b.d.subquery_json(f"SELECT {body} {source}")))
        else:
            raise NotCompilable(f"{spec.name}.{name} is not compiled")
    return b.d.obj(pairs)


def _json_null(b: Builder) -> str:
    return "'null'::json" if b.d.name == "postgres" else "json('null')"


def compile_me(b: Builder, node: FieldNode, field_def: GraphQLField, variables: dict[str, Any], viewer: Any) -> str:
    # schema.owners.queries.Query.me: null unless a signed-in account linked to a person asks.
    if viewer is None or not viewer.is_authenticated or viewer.person_id is None:
        _fields(node)
        return _json_null(b)
    me_type = get_named_type(field_def.type)
    person_id = viewer.person_id

    def me() -> str:  # bound only where used: PostgreSQL refuses a parameter the statement never mentions
        return b.d.param("me", person_id)

    checks: list[str] = []
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal(me_type.name)))
        elif name == "notifications":
            pairs.append((_key(sel), _notifications(b, sel, me_type.fields[name], variables, viewer)))
        elif sel.arguments:
            raise NotCompilable(f"Me.{name} takes arguments")
        elif name == "person":
            pairs.append((_key(sel), _person(b, sel, me(), checks)))
        elif name == "units":
            pairs.append((_key(sel), _units(b, sel, me(), checks)))
        elif name == "compounds":
            pairs.append((_key(sel), _compounds(b, sel, me())))
        elif name == "openVotes":
            pairs.append((_key(sel), _open_votes(b, sel, me(), checks)))
        else:
            raise NotCompilable(f"Me.{name} is not compiled")
    body = b.d.obj(pairs)
    if not checks:
        return body
    return f"(CASE WHEN {' OR '.join(f'({c})' for c in checks)} THEN NULL ELSE {body} END)"


def _person(b: Builder, sel: FieldNode, me: str, checks: list[str]) -> str:
    # Me.person loads the viewer's own Person (non-null, guarded): missing or hidden, the resolvers raise.
    probe = b.alias()
    checks.append(f"NOT EXISTS (SELECT 1 FROM person {probe} WHERE {probe}.id = {me}{b.readable('Person', probe)})")
    a = b.alias()
    scope = f"FROM person {a} WHERE {a}.id = {me}"
    return b.d.subquery_json(f"SELECT {compile_owned(b, OWN_PERSON, sel, a, scope, checks)} {scope}")


def _units(b: Builder, sel: FieldNode, me: str, checks: list[str]) -> str:
    # Me.units: the units the person owns, ordered by compound, building, entrance, number (unique together);
    # a list of a guarded type drops what the policy hides.
    u = b.alias()
    scope = (f"FROM unit {u} WHERE {u}.id IN (SELECT own.unit_id FROM ownership own WHERE own.person_id = {me})"
             f"{b.readable('Unit', u)}")
    element = compile_owned(b, UNIT, sel, u, scope, checks)
    return b.d.array(element, scope, f"{u}.compound_id, {u}.building, {u}.entrance, {u}.number")


def _compounds(b: Builder, sel: FieldNode, me: str) -> str:
    # Me.compounds: distinct compounds of the owned units, by id (Compound is public: nothing is dropped).
    c = b.alias()
    source = (f"FROM compound {c} WHERE {c}.id IN (SELECT ou.compound_id FROM unit ou JOIN ownership oo"
              f" ON oo.unit_id = ou.id WHERE oo.person_id = {me})")
    return b.d.array(compile_object(b, OBJECTS["Compound"], sel, c), source, f"{c}.id")


def _open_votes(b: Builder, sel: FieldNode, me: str, checks: list[str]) -> str:
    # domain.deliberation.own_ballots.open_votes: the items in VOTING where the person holds a seat on the roll
    # (one per item: unique (item, person)), by votingClosesAt then id; the seat's label ("" if the roll lacks
    # it) and the seat's ballot, whoever cast it (unique (item, seat_key)).
    h, i = b.alias(), b.alias()
    voting = b.d.literal(AgendaStatus.VOTING.value)
    scope = (f"FROM vote_seat_holder {h} JOIN agenda_item {i} ON {i}.id = {h}.item_id"
             f" WHERE {h}.person_id = {me} AND {i}.status = {voting}")
    pairs: list[tuple[str, str]] = []
    for field in _fields(sel):
        name = field.name.value
        if field.arguments:
            raise NotCompilable(f"OpenVote.{name} takes arguments")
        if name == "__typename":
            pairs.append((_key(field), b.d.literal("OpenVote")))
        elif name == "seatLabel":
            pairs.append((_key(field), (f"COALESCE((SELECT vs.label FROM vote_seat vs WHERE vs.item_id = {i}.id"
                                       f" AND vs.seat_key = {h}.seat_key), '')")))
        elif name == "agendaItem":
            concealed = hidden(b, "AgendaItem", i)
            if concealed is not None:
                checks.append(f"EXISTS (SELECT 1 {scope} AND {concealed})")
            pairs.append((_key(field), compile_owned(b, AGENDA_ITEM, field, i, scope, checks)))
        elif name == "myBallot":
            x = b.alias()
            source = (f"FROM ballot {x} WHERE {x}.item_id = {i}.id AND {x}.seat_key = {h}.seat_key"
                      f"{b.readable('Ballot', x)}")
            body = compile_owned(b, BALLOT, field, x, join_scope(scope, source), checks)
            pairs.append((_key(field), b.d.subquery_json(f"SELECT {body} {source}")))
        else:
            raise NotCompilable(f"OpenVote.{name} is not compiled")
    return b.d.array(b.d.obj(pairs), scope, f"{i}.voting_closes_at, {i}.id")


def _notifications(b: Builder, sel: FieldNode, field_def: GraphQLField, variables: dict[str, Any],
                   viewer: Any) -> str:
    # schema.notifications.queries.my_notifications: the viewer's own (readable_notifications, then paginate's
    # readable_rows with the same policy), keyset-paged over the id, newest first.
    from domain.access.policies import READ_POLICIES
    from domain.notifications.access import readable_notifications
    from domain.notifications.models import Notification

    try:
        args = get_argument_values(field_def, sel, variables)
    except GraphQLError as exc:
        raise NotCompilable(str(exc)) from exc
    size, after = forward_page(args)
    mine = Notification.filter(readable_notifications(viewer)).filter(
        READ_POLICIES[Notification].condition(viewer))
    matching = f"p.id IN ({b.embed(mine.values_list('id', flat=True), 'notifications')})"
    page_where = f"{matching} AND p.id < {int(after)}" if after is not None else matching
    page = f"SELECT p.* FROM notification p WHERE {page_where} ORDER BY p.id DESC LIMIT {int(size)}"
    connection_type = get_named_type(field_def.type)
    pairs: list[tuple[str, str]] = []
    for field in _fields(sel):
        name = field.name.value
        if name == "__typename":
            pairs.append((_key(field), b.d.literal(connection_type.name)))
        elif name == "totalCount":
            pairs.append((_key(field), f"(SELECT COUNT(*) FROM notification p WHERE {matching})"))
        elif name == "pageInfo":
            pairs.append((_key(field), page_info(b, field, NOTIFICATIONS, page, page_where, size, after, "DESC")))
        elif name == "edges":
            pairs.append((_key(field), _edges(b, field, page, connection_type.name)))
        else:
            raise NotCompilable(f"{connection_type.name}.{name} is not compiled")
    return b.d.obj(pairs)


def _edges(b: Builder, node: FieldNode, page: str, connection_name: str) -> str:
    alias = b.alias()
    edge_type = connection_name.removesuffix("Connection") + "Edge"
    scope = f"FROM ({page}) {alias} WHERE 1 = 1"
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal(edge_type)))
        elif name == "cursor":
            pairs.append((_key(sel), b.d.cursor(f"{alias}.id")))
        elif name == "node":
            pairs.append((_key(sel), compile_owned(b, NOTIFICATION, sel, alias, scope, [],
                                                   special={"link": _notification_link})))
        else:
            raise NotCompilable(f"{edge_type}.{name}")
    return b.d.array(b.d.obj(pairs), f"FROM ({page}) {alias}", f"{alias}.id DESC")


def _notification_link(b: Builder, node: FieldNode, a: str) -> str:
    # schema.notifications.types.Notification.from_model: a link only with a non-empty type and an id.
    pairs: list[tuple[str, str]] = []
    for sel in _fields(node):
        name = sel.name.value
        if name == "__typename":
            pairs.append((_key(sel), b.d.literal("NotificationLink")))
        elif name == "id":
            pairs.append((_key(sel), b.d.base64(f"{a}.link_type || ':' || {a}.link_id")))
        elif name == "typeName":
            pairs.append((_key(sel), f"{a}.link_type"))
        else:
            raise NotCompilable(f"NotificationLink.{name}")
    present = f"{a}.link_type IS NOT NULL AND {a}.link_type <> '' AND {a}.link_id IS NOT NULL"
    return b.d.subquery_json(f"SELECT CASE WHEN {present} THEN {b.d.obj(pairs)} ELSE NULL END")


def _selects(node: FieldNode, name: str) -> bool:
    return any(isinstance(s, FieldNode) and s.name.value == name for s in (node.selection_set.selections
                                                                            if node.selection_set else ()))


VIEWER_ROOTS: dict[str, ViewerRoot] = {
    # Notifications are also written by the reminder jobs (domain.notifications.jobs), which append no audit event:
    # the data version does not move with them, so an answer selecting them is never put in the response cache.
    "me": ViewerRoot(compile=compile_me, cacheable=lambda node: not _selects(node, "notifications")),
}
