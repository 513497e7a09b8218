"""What the compiler knows of the GraphQL types: each field as a SQL expression or a link to another type.

Every field here mirrors one resolver (named in the comment where the resolver holds a rule) and is checked
against it by tests/api/test_compiled_reads.py: a field whose resolver changes must change here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from domain.committees.values import LIVE_STATUSES
from domain.committees.values import Status as CommitteeStatus
from domain.complaints.rules import OPEN_STATUSES

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


def column(name: str) -> Scalar:
    return Scalar(lambda b, a: f"{a}.{name}")


def boolean(name: str) -> Scalar:
    return Scalar(lambda b, a: b.d.boolean(f"{a}.{name}"))


def text(name: str) -> Scalar:
    """Decimals travel as strings ("89.50"), exactly as stored."""
    return Scalar(lambda b, a: b.d.text(f"{a}.{name}"))


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
