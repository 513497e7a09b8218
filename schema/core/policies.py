"""Which read policy guards each Node type, and the one place that applies it to every field.

`NODE_POLICIES` names, for every GraphQL type implementing `Node`, the domain model whose policy in
`domain.access.policies.READ_POLICIES` decides who reads it (tests/api/test_node_policies.py fails for a Node type
missing here). `ReadPolicy` (a schema extension) enforces it everywhere at once:
- every connection is filtered in SQL by `paginate` (so totalCount and pages count only readable rows);
- every field returning a guarded type (node(id:), typed roots, nested objects and lists) drops what the viewer may
  not read, batched per request (one statement per type, whatever the number of objects): `null` for a single object,
  absent from a list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from inspect import isawaitable
from typing import Any

from graphql import GraphQLAbstractType, get_named_type
from strawberry.extensions import SchemaExtension
from tortoise.expressions import Q
from tortoise.models import Model

from domain.access.personal_data import FULL, Disclosure, PersonFacts, disclosure, load_person_facts
from domain.access.policies import READ_POLICIES, readable_ids
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
    def on_execute(self) -> Iterator[None]:
        token = _viewer.set(self.execution_context.context.viewer)
        try:
            yield
        finally:
            try:
                _viewer.reset(token)
            except ValueError:  # a subscription ends in another context: nothing to restore there
                pass

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        result = _next(root, info, *args, **kwargs)
        named = get_named_type(info.return_type)
        if named.name not in GUARDED and not isinstance(named, GraphQLAbstractType):
            return result
        if info.parent_type.name.endswith("Edge"):
            return result  # connections are built by `paginate` only, which already filtered the rows in SQL
        return _guarded(result, info)


async def _guarded(result: Any, info: Any) -> Any:
    if isawaitable(result):
        result = await result
    if result is None:
        return None
    if isinstance(result, list):
        shown = await asyncio.gather(*(_readable(item, info) for item in result))  # one batch per type
        return [item for item, ok in zip(result, shown, strict=True) if ok]
    return result if await _readable(result, info) else None


async def _readable(obj: Any, info: Any) -> bool:
    if obj is None:
        return True
    parsed = parse_id(str(getattr(obj, "id", "")))
    if parsed is None or parsed[0] not in GUARDED:
        return True
    model = NODE_POLICIES[parsed[0]]
    viewer = info.context.viewer

    async def load(ids: Sequence[int]) -> list[bool]:
        found = await readable_ids(model, viewer, list(set(ids)))
        return [i in found for i in ids]

    return bool(await info.context.loaders.custom(("readable", model), load).load(parsed[1]))


async def personal_data(info: Any, person_id: int) -> Disclosure:
    """Whether this viewer sees this person's phone and ID number unmasked (domain.access.personal_data)."""
    viewer = info.context.viewer
    if viewer.is_centre or viewer.person_id == person_id:
        return FULL
    if not viewer.is_authenticated:
        return disclosure(viewer, PersonFacts(person_id=person_id))

    async def load(ids: Sequence[int]) -> list[Any]:
        return await load_person_facts(ids)

    return disclosure(viewer, await info.context.loaders.custom("person_facts", load).load(person_id))

