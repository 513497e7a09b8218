"""Election types (民法典 art. 278 items 3-4): candidates with their votes, and the ballot list published at
closing (tracking code, choice) — the list holds no voter."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.deliberation.closing import PublishedBallot as PublishedBallotValue
from domain.deliberation.register_models import Candidate as CandidateRow
from domain.deliberation.roll import area_of
from schema.core.relay import Node, encode_id, register_node


@strawberry.type(description="候选人 — a person standing for the committee, or a firm offered as manager")
class Candidate(Node):
    position: int = strawberry.field(description="序号 — the number a published ballot names")
    name: str
    person_id: strawberry.ID | None = strawberry.field(description="候选人（个人）")
    firm_id: strawberry.ID | None = strawberry.field(description="候选企业")
    votes: int = strawberry.field(description="得票人数（表决中为累计）")
    votes_area: Decimal = strawberry.field(description="得票专有面积")
    elected: bool | None = strawberry.field(description="是否当选（表决结束后）")

    @classmethod
    def from_model(cls, row: CandidateRow) -> Candidate:
        return cls(id=encode_id("Candidate", row.id), position=row.position, name=row.name,
                   person_id=encode_id("Person", row.person_id) if row.person_id else None,
                   firm_id=encode_id("PropertyFirm", row.firm_id) if row.firm_id else None,
                   votes=row.votes, votes_area=area_of(row.votes_cents), elected=row.elected)


@strawberry.type(description="公布的选票 — tracking code and choice, never the voter")
class PublishedBallot:
    tracking_code: str
    choice: str = strawberry.field(description="AGREE / OPPOSE / ABSTAIN，选举时为所选候选人序号（如 1,3,4）")

    @classmethod
    def from_value(cls, b: PublishedBallotValue) -> PublishedBallot:
        return cls(tracking_code=b.tracking_code, choice=b.choice)


@strawberry.input(description="候选人 — personId for a committee election, firmId for choosing a manager")
class CandidateInput:
    person_id: strawberry.ID | None = None
    firm_id: strawberry.ID | None = None


register_node("Candidate", CandidateRow, Candidate.from_model)
