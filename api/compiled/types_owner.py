"""The owners' app types as the compiler sees them (`me`: own person, units, open votes, notifications).

Each field mirrors one resolver of schema/owners, schema/geography, schema/deliberation or schema/notifications,
checked by tests/api/test_compiled_me.py. Fields computed in Python from the rule packs (Meeting.earliestStartAt,
resultsDueOn, quorum) or needing other loaders (Unit.owners, AgendaItem.tally/candidates/ballots) are left out:
selecting them sends the request to the resolvers.

`Must` marks a non-null field of a guarded type: where the resolvers would find it unreadable they raise (the
null bubbles up), so the compiled statement yields SQL NULL there and the resolvers answer instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from api.compiled.types import MEETING, Link, ObjectType, boolean, by_key, column, global_id, instant, text

if TYPE_CHECKING:
    from api.compiled.compiler import Builder


@dataclass(frozen=True)
class Must:
    """A non-null link to a guarded type; `source` must be of the by_key form "FROM table alias WHERE ...",
    so that it joins the scope of the rows above it (api.compiled.me.join_scope)."""

    target: str
    source: Callable[[Builder, str, str], str]


OWN_PERSON = ObjectType("Person", {
    "id": global_id("Person"), "name": column("name"), "isPartyMember": boolean("is_party_member"),
    "phone": column("phone"), "idNumber": column("id_number"),
})
UNIT = ObjectType("Unit", {
    "id": global_id("Unit"), "building": column("building"), "entrance": column("entrance"),
    "number": column("number"), "kind": column("kind"), "area": text("area"), "areaSource": column("area_source"),
    "heldByDeveloper": boolean("held_by_developer"),
    "compound": Link("Compound", by_key("compound", "compound_id")),  # Compound is public: never dropped
})
# types.MEETING's stored fields: a meeting reached from an owner's open vote (api.compiled.me checks each link's
# policy itself, so the links to Quorum, Compound and Community are left to the resolvers there).
OWNER_MEETING = ObjectType("Meeting", {k: v for k, v in MEETING.fields.items() if not isinstance(v, Link)})
AGENDA_ITEM = ObjectType("AgendaItem", {
    "id": global_id("AgendaItem"), "position": column("position"), "title": column("title"),
    "description": column("description"), "decisionRule": column("decision_rule"), "matter": column("matter"),
    "scopeBuilding": column("scope_building"), "scopeEntrance": column("scope_entrance"),
    "status": column("status"), "result": column("result"), "votingOpenedAt": instant("voting_opened_at"),
    "votingClosedAt": instant("voting_closed_at"), "votingOpensAt": instant("voting_opens_at"),
    "votingClosesAt": instant("voting_closes_at"), "maxSelections": column("max_selections"),
    "ballotListHash": column("ballot_list_hash"),
    "meeting": Must("Meeting", by_key("meeting", "meeting_id")),  # type: ignore[dict-item]
})
BALLOT = ObjectType("Ballot", {
    "id": global_id("Ballot"), "choice": column("choice"), "castAt": instant("cast_at"),
    "evidence": column("evidence"), "proxyAuthorisation": column("proxy_authorisation"),
})


NOTIFICATION = ObjectType("Notification", {
    "id": global_id("Notification"), "kind": column("kind"), "title": column("title"), "body": column("body"),
    "createdAt": instant("created_at"), "readAt": instant("read_at"),
})  # `link` (a NotificationLink, not a Node) is compiled by api.compiled.me
OWNER_OBJECTS: dict[str, ObjectType] = {"Person": OWN_PERSON, "Unit": UNIT, "Meeting": OWNER_MEETING,
                                        "AgendaItem": AGENDA_ITEM, "Ballot": BALLOT, "Notification": NOTIFICATION}
