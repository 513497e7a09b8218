"""Builders and documents shared by the evaluation API tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.complaints.models import Complaint, ComplaintEvent, ReturnVisitRecord
from domain.complaints.rules import Action, Channel, Kind, Satisfaction, Status, Urgency
from domain.firms.models import PropertyFirm
from domain.geography.models import Compound

SHANGHAI = ZoneInfo("Asia/Shanghai")
_serial = iter(range(1, 10**6))


def shanghai(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


async def order_outcome(
    firm: PropertyFirm, compound: Compound, *, dispatched_at: datetime, on_time: bool,
    satisfaction: Satisfaction = Satisfaction.SATISFIED,
) -> Complaint:
    """A closed work order accountable to the firm: dispatched, resolved on time or late, return-visited."""
    due_at = dispatched_at + timedelta(days=5)
    resolved_at = dispatched_at + timedelta(days=2 if on_time else 8)
    visited_at = resolved_at + timedelta(days=1)
    n = next(_serial)
    complaint = await Complaint.create(
        number=f"T2026{n:06d}", year=2026, sequence=n, compound_id=compound.id, community_id=compound.community_id,
        street_id=compound.street_id, channel=Channel.HOTLINE_12345, kind=Kind.COMPLAINT, category="环境卫生",
        urgency=Urgency.ORDINARY, title="垃圾清运", description="楼下垃圾未清运", complainant_name="王女士",
        received_at=dispatched_at - timedelta(hours=1), filed_at=dispatched_at - timedelta(hours=1),
        status=Status.CLOSED, handler_id=firm.body_id, accountable_id=firm.body_id, due_at=due_at,
        dispatched_at=dispatched_at, resolved_at=resolved_at, closed_at=visited_at,
    )
    await ComplaintEvent.create(complaint_id=complaint.id, at=dispatched_at, action=Action.DISPATCH,
                                from_status=Status.ACCEPTED, to_status=Status.DISPATCHED, handler_id=firm.body_id,
                                due_at=due_at)
    await ComplaintEvent.create(complaint_id=complaint.id, at=resolved_at, action=Action.RESOLVE,
                                from_status=Status.IN_PROGRESS, to_status=Status.RESOLVED, handler_id=firm.body_id,
                                due_at=due_at)
    await ReturnVisitRecord.create(complaint_id=complaint.id, at=visited_at, reached=True, solved=True,
                                   satisfaction=satisfaction)
    return complaint


RECORD_INSPECTION = """
mutation RecordInspection($input: RecordInspectionInput!) {
  recordInspection(input: $input) {
    inspection { id inspectedOn totalDeduction rectifyBy rectificationStatus findings { item deduction note } }
    errors { code field message }
  }
}"""

RECORD_CREDIT_EVENT = """
mutation RecordCreditEvent($input: RecordCreditEventInput!) {
  recordCreditEvent(input: $input) {
    creditEvent { id kind points validUntil }
    errors { code field message }
  }
}"""

RUN = """
mutation RunCreditEvaluation($input: RunCreditEvaluationInput!) {
  runCreditEvaluation(input: $input) {
    evaluation {
      id period scheme status
      results {
        firm { id name } score grade listing reasons components { name score }
        complaintFigures { dispatched resolvedOnTime unsatisfiedReturnVisits onTimeRate }
        inspections { id } creditEvents { id }
      }
    }
    errors { code field message }
  }
}"""

PUBLISH = """
mutation PublishEvaluation($input: PublishEvaluationInput!) {
  publishEvaluation(input: $input) {
    publication { id period publishedAt contentHash previousHash }
    errors { code field message }
  }
}"""

RED_BLACK_LIST = """
query RedBlackList($period: Period!) {
  redBlackList(period: $period) {
    period publishedAt contentHash
    red { firm { name creditCode } score grade reasons }
    black { firm { name creditCode } score grade reasons }
  }
}"""

VERIFY = """
query Verify($streetId: ID!) {
  verifyPublicationChain(streetId: $streetId) { valid checked brokenPeriod problem headHash }
}"""

SIGN = """
mutation SignServiceContract($input: SignServiceContractInput!) {
  signServiceContract(input: $input) {
    contract { id }
    errors { code field message }
  }
}"""


def utc(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(UTC)
