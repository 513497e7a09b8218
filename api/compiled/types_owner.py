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

from api.compiled.types import Link, ObjectType, Scalar, boolean, by_key, column, global_id, text

if TYPE_CHECKING:
    from api.compiled.compiler import Builder


@dataclass(frozen=True)
class Must:
    """A non-null link to a guarded type; `source` must be of the by_key form "FROM table alias WHERE ...",
    so that it joins the scope of the rows above it (api.compiled.me.join_scope)."""

    target: str
    source: Callable[[Builder, str, str], str]


def instant(name: str) -> Scalar:
    """A DateTime as strawberry prints it: datetime.isoformat() of the UTC value tortoise loads (use_tz, UTC):
    microseconds only when not zero, offset +00:00."""

    def sql(b: Builder, a: str) -> str:
        value = f"{a}.{name}"
        if b.d.name == "postgres":
            utc = f"({value} AT TIME ZONE 'UTC')"
            return (f"(CASE WHEN {value} IS NULL THEN NULL ELSE to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
                    f" || (CASE WHEN to_char({utc}, 'US') = '000000' THEN '' ELSE '.' || to_char({utc}, 'US') END)"
                    f" || '+00:00' END)")
        # SQLite holds isoformat(" ") text, with whatever offset the value had: strftime converts to UTC (whole
        # seconds); the microseconds are copied from the text (offsets are whole minutes, they never change them).
        return (f"(CASE WHEN {value} IS NULL THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%S', {value})"
                f" || (CASE WHEN substr({value}, 20, 1) = '.' AND substr({value}, 21, 6) <> '000000'"
                f" THEN '.' || substr({value}, 21, 6) ELSE '' END) || '+00:00' END)")

    return Scalar(sql)


# schema.geography.types.Person for `me.person` only: the viewer's own record, so phone and ID number are shown
# unmasked (schema.core.policies.personal_data: viewer.person_id == person_id is FULL).
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
# schema.deliberation.types.Meeting, its stored fields (named OWNER_MEETING until unified with types.py's).
OWNER_MEETING = ObjectType("Meeting", {
    "id": global_id("Meeting"), "kind": column("kind"), "status": column("status"), "title": column("title"),
    "scheduledAt": instant("scheduled_at"), "location": column("location"), "rulePack": column("rule_pack"),
    "noticeIssuedAt": instant("notice_issued_at"), "openedAt": instant("opened_at"),
    "closedAt": instant("closed_at"),
})
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
