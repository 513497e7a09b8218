"""What the compiler knows of the GraphQL types: each field as a SQL expression or a link to another type.

Every field here mirrors one resolver (named in the comment where the resolver holds a rule) and is checked
against it by tests/api/test_compiled_reads.py: a field whose resolver changes must change here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from domain.bodies.rules import BodyKind
from domain.committees.values import LIVE_STATUSES
from domain.committees.values import Status as CommitteeStatus
from domain.complaints.rules import HANDLING_STATUSES, OPEN_STATUSES

if TYPE_CHECKING:
    from api.compiled.compiler import Builder


@dataclass(frozen=True)
class Scalar:
    sql: Callable[[Builder, str], str]  # (builder, alias of the row) -> a JSON-ready SQL expression


@dataclass(frozen=True)
class Link:
    target: str  # a name in OBJECTS
    # (builder, parent alias, own alias) -> "FROM table alias WHERE ..." selecting at most one row
    source: Callable[[Builder, str, str], str]


@dataclass(frozen=True)
class ObjectType:
    name: str
    fields: dict[str, Union[Scalar, Link]] = field(default_factory=dict)
    # an interface's __typename, from the row (builder, alias) -> SQL; None: the type's own name
    typename: Callable[[Builder, str], str] | None = None


def column(name: str) -> Scalar:
    return Scalar(lambda b, a: f"{a}.{name}")


def boolean(name: str) -> Scalar:
    return Scalar(lambda b, a: b.d.boolean(f"{a}.{name}"))


def text(name: str) -> Scalar:
    """Decimals travel as strings ("89.50"), exactly as stored."""
    return Scalar(lambda b, a: b.d.text(f"{a}.{name}"))


def instant(name: str) -> Scalar:
    """A DateTime as strawberry shows it (isoformat, UTC)."""
    return Scalar(lambda b, a: b.d.instant(f"{a}.{name}"))


def global_id(type_name: str) -> Scalar:
    return Scalar(lambda b, a: b.d.global_id(type_name, f"{a}.id"))


def by_key(table: str, key: str) -> Callable[[Builder, str, str], str]:
    return lambda b, parent, a: f"FROM {table} {a} WHERE {a}.id = {parent}.{key}"


def _serving_firm(b: Builder, parent: str, a: str) -> str:
    # domain.firms.coverage.coverage_in_force: a contract terminated on day T serves until T - 1.
    today = b.today()
    return (f"FROM property_firm {a} WHERE {a}.id = (SELECT cc.firm_id_copy FROM contract_compound cc"
            f" JOIN service_contract sc ON sc.id = cc.contract_id WHERE cc.compound_id = {parent}.id"
            f" AND cc.starts_on <= {today} AND cc.ends_on >= {today}"
            f" AND (sc.terminated_on IS NULL OR sc.terminated_on > {today}) ORDER BY cc.id LIMIT 1)")


def _owners_committee(b: Builder, parent: str, a: str) -> str:
    # schema.committees.types.owners_committee_of: the latest term (by election day, then id) not dissolved.
    dissolved = b.d.literal(CommitteeStatus.DISSOLVED.value)
    return (f"FROM owners_body {a} WHERE {a}.id = (SELECT o.id FROM owners_body o WHERE o.compound_id = {parent}.id"
            f" AND o.status <> {dissolved} ORDER BY o.elected_on DESC, o.id DESC LIMIT 1)")


def _latest_entry(column_name: str) -> Callable[[Builder, str], str]:
    # domain.evaluation.standing.current_standings: the entry of the latest publication naming the firm.
    def sql(b: Builder, a: str) -> str:
        return (f"(SELECT pe.{column_name} FROM publication_entry pe JOIN publication pu ON pu.id = pe.publication_id"
                f" WHERE pe.firm_id = {a}.id ORDER BY pu.published_at DESC, pe.publication_id DESC LIMIT 1)")

    return sql


def _committee_status(b: Builder, a: str) -> str:
    # domain.committees.lifecycle.derived_status: a live body past its term end has EXPIRED.
    live = ", ".join(b.d.literal(s.value) for s in sorted(LIVE_STATUSES))
    expired = b.d.literal(CommitteeStatus.EXPIRED.value)
    return f"(CASE WHEN {a}.status IN ({live}) AND {b.today()} > {a}.term_ends_on THEN {expired} ELSE {a}.status END)"


def _party_member_share(b: Builder, a: str) -> str:
    # schema.committees.types._current_seats: seats held on min(today, ended_on or term end, term end)
    # (domain.bodies.rules.is_current), then as_share: party members / seats, 4 places, half-up; null without seats.
    day = (f"(CASE WHEN {a}.ended_on IS NOT NULL AND {a}.ended_on < {a}.term_ends_on THEN {a}.ended_on"
           f" ELSE {a}.term_ends_on END)")
    day = f"(CASE WHEN {b.today()} < {day} THEN {b.today()} ELSE {day} END)"
    seats = (f"FROM membership ms JOIN person pp ON pp.id = ms.person_id WHERE ms.body_id = {a}.body_id"
             f" AND ms.starts_on <= {day} AND (ms.ends_on IS NULL OR {day} <= ms.ends_on)")
    total = f"(SELECT COUNT(*) {seats})"
    party = f"(SELECT COUNT(*) {seats} AND pp.is_party_member)"
    return f"(CASE WHEN {total} = 0 THEN NULL ELSE {b.d.share(party, total, 4)} END)"


def _open_complaints(b: Builder, a: str) -> str:
    # domain.complaints.queries.open_counts
    statuses = ", ".join(b.d.literal(s.value) for s in sorted(OPEN_STATUSES))
    return f"(SELECT COUNT(*) FROM complaint x WHERE x.compound_id = {a}.id AND x.status IN ({statuses}))"


STREET = ObjectType("Street", {"id": global_id("Street"), "name": column("name"), "rulePack": column("rule_pack")})
COMMUNITY = ObjectType("Community", {
    "id": global_id("Community"), "name": column("name"), "street": Link("Street", by_key("street", "street_id")),
})
PROPERTY_FIRM = ObjectType("PropertyFirm", {
    "id": global_id("PropertyFirm"), "name": column("name"), "kind": Scalar(lambda b, a: "'PROPERTY_FIRM'"),
    "creditCode": column("credit_code"), "partyOrganisation": column("party_organisation"),
    "partyBuildingInstructor": column("party_building_instructor"), "staffCount": column("staff_count"),
    "partyMemberStaffCount": column("party_member_staff_count"),
    "creditGrade": Scalar(_latest_entry("grade")),
    "listing": Scalar(lambda b, a: f"COALESCE({_latest_entry('listing')(b, a)}, 'NONE')"),
})
OWNERS_COMMITTEE = ObjectType("OwnersCommittee", {
    "id": global_id("OwnersCommittee"), "kind": column("kind"), "status": Scalar(_committee_status),
    "name": Scalar(lambda b, a: f"(SELECT bo.name FROM body bo WHERE bo.id = {a}.body_id)"),
    "termStartsOn": column("elected_on"), "termEndsOn": column("term_ends_on"), "filedOn": column("filed_on"),
    "firstMeetingOn": column("first_meeting_on"), "endedOn": column("ended_on"), "endNote": column("end_note"),
    "seatCount": column("seat_count"), "rulePack": column("rule_pack"),
    "partyMemberShare": Scalar(_party_member_share),
})
COMPOUND = ObjectType("Compound", {
    "id": global_id("Compound"), "name": column("name"), "address": column("address"),
    "managementMode": column("management_mode"), "isOldCompound": boolean("is_old_compound"),
    "isStandardised": boolean("is_standardised"), "isRedProperty": boolean("is_red_property"),
    "householdCount": column("household_count"), "totalExclusiveArea": text("total_exclusive_area"),
    "mergedOn": column("merged_on"),
    "community": Link("Community", by_key("community", "community_id")),
    "street": Link("Street", by_key("street", "street_id")),
    "servingFirm": Link("PropertyFirm", _serving_firm),
    "ownersCommittee": Link("OwnersCommittee", _owners_committee),
    "openComplaintCount": Scalar(_open_complaints),
})
OBJECTS = {t.name: t for t in (STREET, COMMUNITY, PROPERTY_FIRM, OWNERS_COMMITTEE, COMPOUND)}


# --- lists of the console (issue 11): complaints, meetings; the Body interface they link to -------------------

_COMMITTEE_KINDS = (BodyKind.OWNERS_COMMITTEE.value, BodyKind.PROPERTY_MANAGEMENT_COMMITTEE.value)


def _committee_kind(b: Builder, a: str) -> str:
    return f"{a}.kind IN ({', '.join(b.d.literal(k) for k in _COMMITTEE_KINDS)})"


def _firm_of_body(column_name: str, a: str) -> str:
    # schema.firms.types._firms_for_bodies: the body's first firm row (children loader, by id).
    return f"(SELECT f.{column_name} FROM property_firm f WHERE f.body_id = {a}.id ORDER BY f.id LIMIT 1)"


def _committee_of_body(column_name: str, a: str) -> str:
    # schema.committees.types._committees_for_bodies: the body's first owners_body row (by id).
    return f"(SELECT ob.{column_name} FROM owners_body ob WHERE ob.body_id = {a}.id ORDER BY ob.id LIMIT 1)"


def _body_typename(b: Builder, a: str) -> str:
    # schema.bodies.types.present_bodies: each kind as its presenter shows it (BODY_PRESENTERS), else Organisation.
    firm = b.d.literal(BodyKind.PROPERTY_FIRM.value)
    return (f"(CASE WHEN {a}.kind = {firm} THEN 'PropertyFirm' WHEN {_committee_kind(b, a)} THEN 'OwnersCommittee'"
            f" ELSE 'Organisation' END)")


def _body_id(b: Builder, a: str) -> str:
    firm = b.d.literal(BodyKind.PROPERTY_FIRM.value)
    return (f"(CASE WHEN {a}.kind = {firm} THEN {b.d.global_id('PropertyFirm', _firm_of_body('id', a))}"
            f" WHEN {_committee_kind(b, a)} THEN {b.d.global_id('OwnersCommittee', _committee_of_body('id', a))}"
            f" ELSE {b.d.global_id('Organisation', f'{a}.id')} END)")


def _body_name(b: Builder, a: str) -> str:
    # PropertyFirm.name is the firm row's; an organisation's and a committee's (OwnersCommittee.name) the body's.
    firm = b.d.literal(BodyKind.PROPERTY_FIRM.value)
    return f"(CASE WHEN {a}.kind = {firm} THEN {_firm_of_body('name', a)} ELSE {a}.name END)"


def _body_kind(b: Builder, a: str) -> str:
    # OwnersCommittee.kind is the owners_body row's kind.
    return f"(CASE WHEN {_committee_kind(b, a)} THEN {_committee_of_body('kind', a)} ELSE {a}.kind END)"


def present_body(key: str) -> Link:
    """A field of interface type Body (schema.bodies.types.present_bodies). Organisations and firms are public; a
    committee shows only where the viewer reads its owners_body (schema.core.policies.ReadPolicy: null else)."""

    def source(b: Builder, parent: str, a: str) -> str:
        found = f"FROM body {a} WHERE {a}.id = {parent}.{key}"
        readable = b.readable_ids("OwnersCommittee")
        if readable is None:
            return found
        return f"{found} AND (NOT ({_committee_kind(b, a)}) OR {_committee_of_body('id', a)} IN ({readable}))"

    return Link("Body", source)


def _is_overdue(b: Builder, a: str) -> str:
    # domain.complaints.rules.is_overdue: being handled, with a deadline, and now past it. `now` is the request's
    # instant (bound per request); on SQLite both sides are tortoise's UTC text, which orders as the instants do.
    handling = ", ".join(b.d.literal(s.value) for s in sorted(HANDLING_STATUSES))
    return b.d.boolean(f"{a}.status IN ({handling}) AND {a}.due_at IS NOT NULL AND {b.now()} > {a}.due_at")


BODY = ObjectType("Body", {
    "id": Scalar(_body_id), "name": Scalar(_body_name), "kind": Scalar(_body_kind),
}, typename=_body_typename)
# Complainant (name and phone) stays on the resolver path: its masking (domain.complaints.access.
# may_read_complainant) weighs handling capabilities per order. So do acknowledgeBy (the recorded rule pack's
# hours), availableActions, timeline, returnVisits, attachments, possibleDuplicates and mergedInto.
COMPLAINT = ObjectType("Complaint", {
    "id": global_id("Complaint"), "number": column("number"), "title": column("title"),
    "description": column("description"), "status": column("status"), "channel": column("channel"),
    "kind": column("kind"), "category": column("category"), "urgency": column("urgency"),
    "externalRef": column("external_ref"), "receivedAt": instant("received_at"),
    "dispatchedAt": instant("dispatched_at"), "acknowledgedAt": instant("acknowledged_at"),
    "dueAt": instant("due_at"), "dueIsProvisional": boolean("due_provisional"),
    "resolvedAt": instant("resolved_at"), "closedAt": instant("closed_at"), "resolution": column("resolution"),
    "rejectReason": column("reject_reason"), "redirectTo": column("redirect_to"),
    "reopenCount": column("reopen_count"), "escalationLevel": column("escalation_level"),
    "rulePack": column("rule_pack"), "isOverdue": Scalar(_is_overdue),
    "compound": Link("Compound", by_key("compound", "compound_id")),
    "handler": present_body("handler_id"), "accountable": present_body("accountable_id"),
})
# schema.deliberation.types.Meeting.from_model: the quorum check, when one was made (quorum_met not null).
QUORUM = ObjectType("Quorum", {
    "met": boolean("quorum_met"), "present": Scalar(lambda b, a: f"COALESCE({a}.quorum_present, 0)"),
    "required": Scalar(lambda b, a: f"COALESCE({a}.quorum_required, 0)"),
    "explanation": Scalar(lambda b, a: f"COALESCE({a}.quorum_explanation, '')"),
})
# earliestStartAt and resultsDueOn count days of the meeting's rule pack; they stay on the resolver path, with
# participants, agenda, minutes, resultsPublicationLate, tasks, availableActions and events. So does convener:
# a non-null Body the read policy may null (a committee the viewer does not read), which the executor reports as
# an error the compiled answer could not reproduce.
MEETING = ObjectType("Meeting", {
    "id": global_id("Meeting"), "kind": column("kind"), "status": column("status"), "title": column("title"),
    "scheduledAt": instant("scheduled_at"), "location": column("location"), "rulePack": column("rule_pack"),
    "noticeIssuedAt": instant("notice_issued_at"), "openedAt": instant("opened_at"),
    "closedAt": instant("closed_at"),
    "quorum": Link("Quorum", lambda b, parent, a: f"FROM meeting {a} WHERE {a}.id = {parent}.id"
                                                  f" AND {a}.quorum_met IS NOT NULL"),
    "compound": Link("Compound", by_key("compound", "compound_id")),
    "community": Link("Community", by_key("community", "community_id")),
})
OBJECTS.update({t.name: t for t in (BODY, COMPLAINT, QUORUM, MEETING)})
