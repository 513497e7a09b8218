"""Which read policy guards each Node type, and the one place that applies it to every field.

`NODE_POLICIES` names, for every GraphQL type implementing `Node`, the domain model whose policy in
`domain.access.policies.READ_POLICIES` decides who reads it (tests/api/test_node_policies.py fails for a Node type
missing here). `ReadPolicy` (a schema extension) enforces it everywhere at once:
- every connection is filtered in SQL by `paginate` (so totalCount and pages count only readable rows);
- every field returning a guarded type (node(id:), typed roots, nested objects and lists) drops what the viewer may
  not read, batched per request (one statement per type, whatever the number of objects): `null` for a single object,
  absent from a list. Which fields those are is read off the built schema once (`guard_reads`), so that a new field
  returning a guarded type is guarded without being declared, and other fields pay nothing per resolution.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextvars import ContextVar
from functools import lru_cache
from inspect import isawaitable
from typing import Any, TypeVar

from graphql import (
    GraphQLAbstractType,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    default_field_resolver,
    get_named_type,
)
from strawberry.extensions import SchemaExtension
from tortoise.expressions import Q
from tortoise.models import Model

from domain.access.personal_data import FULL, Disclosure, PersonFacts, disclosure, load_person_facts
from domain.access.policies import READ_POLICIES, readable_ids, reads_every_row
from domain.accounts.rules import Viewer
from domain.bodies import models as bm
from domain.committees import models as cm
from domain.complaints import models as qm
from domain.deliberation import models as dm
from domain.deliberation.register_models import Candidate
from domain.evaluation import models as em
from domain.firms import models as fm
from domain.geography import models as gm
from schema.core.relay import parse_id

T = TypeVar("T")

NODE_POLICIES: dict[str, type[Model]] = {
    "Street": gm.Street, "Community": gm.Community, "Compound": gm.Compound, "Unit": gm.Unit, "Person": gm.Person,
    "PropertyFirm": fm.PropertyFirm, "ServiceContract": fm.ServiceContract,
    "Organisation": bm.Body, "Membership": bm.Membership,
    "OwnersCommittee": cm.OwnersBody, "CrossAppointment": cm.CrossAppointment, "ReserveListing": cm.ReserveListing,
    "DeclaredRelation": cm.DeclaredRelation,
    "Complaint": qm.Complaint,
    "Meeting": dm.Meeting, "AgendaItem": dm.AgendaItem, "Ballot": dm.Ballot, "Minutes": dm.Minutes,
    "FollowUpTask": dm.FollowUpTask, "Participant": dm.Participant, "Candidate": Candidate,
    "Inspection": em.Inspection, "CreditEvent": em.CreditEvent, "Evaluation": em.Evaluation,
    "Publication": em.Publication,
}


def _notice_types() -> dict[str, type[Model]]:
    from domain.attachments.models import Attachment
    from domain.disclosures.models import Disclosure
    from domain.messaging.models import OutboxMessage
    from domain.notifications.models import Notification

    return {"Disclosure": Disclosure, "Attachment": Attachment, "Notification": Notification,
            "OutboxMessage": OutboxMessage}


NODE_POLICIES.update(_notice_types())
GUARDED: frozenset[str] = frozenset(name for name, model in NODE_POLICIES.items() if not READ_POLICIES[model].anonymous)

# The viewer of the operation being executed, for `paginate` (which receives a queryset, not the context).
# Unset outside an execution: the anonymous viewer, who reads only what is public.
_viewer: ContextVar[Viewer] = ContextVar("read_policy_viewer", default=Viewer.anonymous())


def current_viewer() -> Viewer:
    return _viewer.get()


def readable_rows(query: Any) -> Any:
    """The queryset restricted to what the current viewer may read (for connections)."""
    policy = READ_POLICIES.get(query.model)
    if policy is None or policy.anonymous:
        return query
    return query.filter(policy.condition(_viewer.get()))


def policy_condition(model: type[Model], viewer: Viewer) -> Q:
    return READ_POLICIES[model].condition(viewer)


class ReadPolicy(SchemaExtension):
    """Sets the viewer for `paginate` and guards the fields that return a guarded type (installed on the schema at
    its first execution, see `guard_reads`): decided once per field of the schema, not at every field resolution,
    so that the hundreds of scalar fields of a page pay nothing for it."""

    def on_execute(self) -> Iterator[None]:
        guard_reads(self.execution_context.schema._schema)
        token = _viewer.set(self.execution_context.context.viewer)
        try:
            yield
        finally:
            try:
                _viewer.reset(token)
            except ValueError:  # a subscription ends in another context: nothing to restore there
                pass


def needs_read_guard(parent: GraphQLObjectType, field: GraphQLField) -> bool:
    """A field returning a guarded type, or an interface or union (which may hold one); not an edge's node, since
    connections are built by `paginate` only, which already filtered the rows in SQL."""
    if parent.name.startswith("__") or parent.name.endswith("Edge"):
        return False
    named = get_named_type(field.type)
    return named.name in GUARDED or isinstance(named, GraphQLAbstractType)


def guard_reads(graphql_schema: GraphQLSchema) -> None:
    """Wraps the resolver of every field `needs_read_guard` picks (once per schema; later calls do nothing)."""
    if getattr(graphql_schema, "_tongxin_read_guard", False):
        return
    for type_ in graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType):
            continue
        for field in type_.fields.values():
            if needs_read_guard(type_, field):
                field.resolve = _read_guard(field.resolve or default_field_resolver, get_named_type(field.type))
    graphql_schema._tongxin_read_guard = True  # type: ignore[attr-defined]


def _read_guard(resolve: Callable[..., Any], named: Any) -> Callable[..., Any]:
    # A concrete guarded type names its model; an abstract type's objects name theirs in their global IDs.
    model = NODE_POLICIES.get(named.name) if named.name in GUARDED else None

    def guarded(root: Any, info: Any, **kwargs: Any) -> Any:
        result = resolve(root, info, **kwargs)
        if model is not None and _reads_every_row(model, info.context.viewer):
            return result  # centre staff: nothing to ask the database, and no coroutine to build
        return _guarded(result, info)

    guarded._is_default = getattr(resolve, "_is_default", False)  # type: ignore[attr-defined]  # tracing skips these
    guarded.__wrapped__ = resolve  # type: ignore[attr-defined]
    guarded._tongxin_read_guard = True  # type: ignore[attr-defined]
    return guarded


@lru_cache(maxsize=4096)
def _reads_every_row(model: type[Model], viewer: Viewer) -> bool:
    # A pure function of the model and the (frozen) viewer: cached across requests.
    return reads_every_row(model, viewer)


def _guarded(result: Any, info: Any) -> Any:
    if isawaitable(result):
        return _await_then_guard(result, info)
    return _guard_value(result, info)


async def _await_then_guard(result: Any, info: Any) -> Any:
    value = _guard_value(await result, info)
    return await value if isawaitable(value) else value


def _guard_value(result: Any, info: Any) -> Any:
    """The result itself when no object in it needs asking (synchronously), else an awaitable of what remains:
    `null` for an unreadable single object, the list without its unreadable items."""
    if result is None:
        return None
    objects = result if isinstance(result, list) else [result]
    asked = _to_ask(objects, info.context.viewer)
    if not asked:
        return result
    return _drop_unreadable(result, objects, asked, info)


def _to_ask(objects: list[Any], viewer: Viewer) -> dict[type[Model], list[tuple[int, int]]]:
    """(position, primary key) of each object to check, by model; none for objects of a type the viewer reads
    entirely or that is not guarded."""
    asked: dict[type[Model], list[tuple[int, int]]] = {}
    for index, obj in enumerate(objects):
        parsed = parse_id(str(getattr(obj, "id", ""))) if obj is not None else None
        if parsed is None or parsed[0] not in GUARDED:
            continue
        model = NODE_POLICIES[parsed[0]]
        if not _reads_every_row(model, viewer):
            asked.setdefault(model, []).append((index, parsed[1]))
    return asked


async def _drop_unreadable(result: Any, objects: list[Any], asked: dict[type[Model], list[tuple[int, int]]],
                           info: Any) -> Any:
    shown = [True] * len(objects)
    # Every load is requested before any is awaited, so that all join the request's batch (one statement per type).
    pending = [(positions, _readable_loader(info, model).load_many([pk for _, pk in positions]))
               for model, positions in asked.items()]
    for positions, answers in pending:
        for (index, _), ok in zip(positions, await answers, strict=True):
            shown[index] = bool(ok)
    if isinstance(result, list):
        return [item for item, ok in zip(result, shown, strict=True) if ok]
    return result if shown[0] else None


def _readable_loader(info: Any, model: type[Model]) -> Any:
    viewer = info.context.viewer

    async def load(ids: Sequence[int]) -> list[bool]:
        found = await readable_ids(model, viewer, list(set(ids)))
        return [i in found for i in ids]

    return info.context.loaders.custom(("readable", model), load)


def known_personal_data(info: Any, person_id: int) -> Disclosure | None:
    """The disclosure where it needs no facts from the database (centre staff, the person themself, anonymous
    callers), else None."""
    viewer = info.context.viewer
    if viewer.is_centre or viewer.person_id == person_id:
        return FULL
    if not viewer.is_authenticated:
        return disclosure(viewer, PersonFacts(person_id=person_id))
    return None


async def personal_data(info: Any, person_id: int) -> Disclosure:
    """Whether this viewer sees this person's phone and ID number unmasked (domain.access.personal_data)."""
    known = known_personal_data(info, person_id)
    if known is not None:
        return known

    async def load(ids: Sequence[int]) -> list[Any]:
        return await load_person_facts(ids)

    return disclosure(info.context.viewer, await info.context.loaders.custom("person_facts", load).load(person_id))


def shown_personal_data(info: Any, person_id: int, show: Callable[[Disclosure], T]) -> T | Awaitable[T]:
    """`show(disclosure)` for a resolver that stays synchronous where the disclosure is known without the database
    (a list of persons read by centre staff builds no coroutine per phone and ID number); an awaitable otherwise."""
    known = known_personal_data(info, person_id)
    if known is not None:
        return show(known)

    async def after_lookup() -> T:
        return show(await personal_data(info, person_id))

    return after_lookup()
