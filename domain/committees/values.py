"""Plain values the committee rules decide over: no ORM, no I/O, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class CommitteeKind(StrEnum):
    OWNERS_COMMITTEE = "OWNERS_COMMITTEE"  # 业主委员会
    PROPERTY_MANAGEMENT_COMMITTEE = "PROPERTY_MANAGEMENT_COMMITTEE"  # 物业管理委员会


class Status(StrEnum):
    PREPARING = "PREPARING"  # elected, awaiting filing (备案)
    ACTIVE = "ACTIVE"  # filed with the street
    EXPIRED = "EXPIRED"  # term end passed
    DISSOLVED = "DISSOLVED"


class Action(StrEnum):
    FILE = "FILE"  # 备案
    EXPIRE = "EXPIRE"
    DISSOLVE = "DISSOLVE"


# An owners' body in one of these holds office; a compound has at most one such body.
LIVE_STATUSES = frozenset({Status.PREPARING, Status.ACTIVE})


class SeatRole(StrEnum):
    CHAIR = "CHAIR"
    VICE_CHAIR = "VICE_CHAIR"
    MEMBER = "MEMBER"


class SeatEndReason(StrEnum):
    RESIGNED = "RESIGNED"  # 辞职
    REMOVED = "REMOVED"  # 罢免 by the owners' assembly
    CEASED_TO_BE_OWNER = "CEASED_TO_BE_OWNER"  # 不再是业主: the seat ends by itself
    TERM_ENDED = "TERM_ENDED"
    DISSOLVED = "DISSOLVED"


class RelationKind(StrEnum):
    SPOUSE = "SPOUSE"  # 配偶
    PARENT = "PARENT"  # 直系亲属
    CHILD = "CHILD"
    GRANDPARENT = "GRANDPARENT"
    GRANDCHILD = "GRANDCHILD"


class ListKind(StrEnum):
    POSITIVE = "POSITIVE"  # 正面清单
    NEGATIVE = "NEGATIVE"  # 负面清单


class NegativeReason(StrEnum):
    FEE_ARREARS = "FEE_ARREARS"  # 欠缴物业费
    ILLEGAL_CONSTRUCTION = "ILLEGAL_CONSTRUCTION"  # 违法建设
    FIRM_INTEREST = "FIRM_INTEREST"  # 与物业企业有利害关系
    CRIMINAL_RECORD = "CRIMINAL_RECORD"
    OTHER = "OTHER"


class Basis(StrEnum):
    """How the concurrent post of a cross-appointment was obtained."""

    ELECTED_BY_OWNERS_ASSEMBLY = "ELECTED_BY_OWNERS_ASSEMBLY"  # 业主大会选举 (通过法定程序)
    APPOINTED = "APPOINTED"
    EX_OFFICIO = "EX_OFFICIO"  # 当然成员
    RECOMMENDED = "RECOMMENDED"


class PostBody(StrEnum):
    """The kind of body a post belongs to, as far as the committee rules care."""

    OWNERS_COMMITTEE = "OWNERS_COMMITTEE"
    PROPERTY_MANAGEMENT_COMMITTEE = "PROPERTY_MANAGEMENT_COMMITTEE"
    RESIDENTS_COMMITTEE = "RESIDENTS_COMMITTEE"
    COMMUNITY_PARTY_ORGANISATION = "COMMUNITY_PARTY_ORGANISATION"
    PROPERTY_FIRM = "PROPERTY_FIRM"
    FIRM_PARTY_ORGANISATION = "FIRM_PARTY_ORGANISATION"
    OTHER = "OTHER"


QUALITY_SUPERVISOR = "QUALITY_SUPERVISOR"  # 质量总监


@dataclass(frozen=True)
class CompoundSize:
    households: int
    exclusive_area_m2: Decimal


@dataclass(frozen=True)
class Seat:
    """A proposed or held seat, with the facts about its holder that the rules need."""

    person_id: int
    role: SeatRole
    is_owner: bool  # owns an exclusive unit in this compound
    is_party_member: bool = False
    is_residents_committee_member: bool = False


@dataclass(frozen=True)
class Proposal:
    kind: CommitteeKind
    elected_on: date
    term_ends_on: date
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class FirmPost:
    """A post a person holds at the firm serving the compound."""

    person_id: int
    role: str
    paid: bool

    @property
    def is_declared_quality_supervision(self) -> bool:
        return self.role == QUALITY_SUPERVISOR and not self.paid


@dataclass(frozen=True)
class Relation:
    """A declared relative: undirected for conflict purposes."""

    person_id: int
    relative_id: int
    kind: RelationKind


@dataclass(frozen=True)
class Listing:
    """A reserve-candidate listing; a negative listing binds until it is cleared."""

    person_id: int
    kind: ListKind
    listed_on: date
    reason: NegativeReason | None = None
    cleared_on: date | None = None

    def binds_on(self, day: date) -> bool:
        return (
            self.kind is ListKind.NEGATIVE
            and self.listed_on <= day
            and (self.cleared_on is None or self.cleared_on > day)
        )


@dataclass(frozen=True)
class Post:
    """One membership of a person, for cross-appointment checks."""

    person_id: int
    body: PostBody
    role: str
    paid: bool = False
    compound_id: int | None = None  # the compound of a committee seat or of a firm post tied to one compound
    firm_id: int | None = None  # the firm of a firm post
    membership_id: int | None = None


@dataclass(frozen=True)
class Term:
    """The lifecycle facts of one owners' body."""

    status: Status
    elected_on: date
    term_ends_on: date
    filed_on: date | None = None
    first_meeting_on: date | None = None
