"""Rule packs: the policy numbers of a jurisdiction, shipped as data."""

from __future__ import annotations

import strawberry

from domain.rulepacks import RulePack as RulePackValue


@strawberry.type(description="规则包 — policy numbers of a jurisdiction, shipped as data")
class RulePack:
    name: str
    version: str
    title: str
    sources: list[str]
    owners_committee_min_size: int
    owners_committee_max_size: int
    owners_committee_max_term_years: int
    committee_notice_days: int
    assembly_notice_days: int
    committee_quorum: str = strawberry.field(description="业委会会议法定人数 — e.g. '> 1/2'")
    complaint_day_counting: str
    complaint_deadlines: list[str] = strawberry.field(description="e.g. ORDINARY=5wd (wd: working days)")
    acknowledge_hours: int
    credit_period: str
    credit_grading: str

    @classmethod
    def from_value(cls, pack: RulePackValue) -> RulePack:
        return cls(
            name=pack.name, version=pack.version, title=pack.title, sources=list(pack.sources),
            owners_committee_min_size=pack.owners_committee.min_size,
            owners_committee_max_size=pack.owners_committee.max_size,
            owners_committee_max_term_years=pack.owners_committee.max_term_years,
            committee_notice_days=pack.meetings.committee_notice_days,
            assembly_notice_days=pack.meetings.assembly_notice_days,
            committee_quorum=pack.meetings.committee_quorum.describe(),
            complaint_day_counting=pack.complaints.day_counting.value,
            complaint_deadlines=[f"{k}={v}" for k, v in pack.complaints.deadlines.items()],
            acknowledge_hours=pack.complaints.acknowledge_hours,
            credit_period=pack.credit.period, credit_grading=pack.credit.grading,
        )
