"""Use cases of the periodic evaluation: run (re-runnable until published), publish (freeze and chain)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from tortoise.exceptions import IntegrityError

from domain.accounts.rules import Scope, Viewer, require_jurisdiction
from domain.calendar import LOCAL, local_date
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.evaluation.models import (
    CreditEvent,
    Evaluation,
    EvaluationResult,
    EvaluationStatus,
    Inspection,
    Publication,
    PublicationEntry,
)
from domain.evaluation.periods import Period, parse_period, scheme_period
from domain.evaluation.publication import PublicationContent, content_hash
from domain.evaluation.scoring import (
    CompoundRecords,
    CreditEventFact,
    CreditScore,
    CreditEventKind,
    FirmRecords,
    InspectionFact,
    ServiceFigures,
    firm_credit_score,
    grade_all,
    has_bad_record,
    listing_for,
)
from domain.complaints.figures import firm_complaint_figures
from domain.evaluation.snapshots import publication_content
from domain.firms.models import PropertyFirm
from domain.firms.rules import PartyOrganisation
from domain.geography.models import Street
from domain.geography.service import not_found
from domain.rulepacks import RulePack, rule_pack
from domain.transaction import atomic
from domain.firms.coverage import coverage_in_force



def already_published(period: str) -> RuleViolation:
    return RuleViolation(
        ErrorCode.ALREADY_PUBLISHED, f"{period} 的评价结果已公示，不能更改", "period",
        en=f"The evaluation of {period} is published and frozen",
    )


async def street_pack(street_id: int, field: str = "streetId") -> tuple[Street, RulePack]:
    street = await Street.get_or_none(id=street_id)
    if street is None:
        raise not_found("街道", field)
    pack = rule_pack(street.rule_pack)
    if pack is None:
        raise RuleViolation(ErrorCode.UNKNOWN_RULE_PACK, f"没有名为 {street.rule_pack} 的规则包", field,
                            en=f"No rule pack named {street.rule_pack}")
    return street, pack


async def _complaint_figures(body_ids: list[int], period: Period) -> dict[int, ServiceFigures]:
    # Periods are calendar quarters and halves in China time: an order dispatched at 07:00 on 1 October (UTC
    # 23:00 the day before) belongs to the fourth quarter.
    start = datetime.combine(period.start, time(), LOCAL)
    end = datetime.combine(period.end, time(), LOCAL)
    raw = await firm_complaint_figures(firm_body_ids=body_ids, start=start, end=end)
    return {
        body_id: ServiceFigures(
            dispatched=f.dispatched,
            resolved_on_time=f.resolved_on_time,
            unsatisfied_return_visits=f.unsatisfied_visits,
        )
        for body_id, f in raw.items()
    }


async def _firm_records(street_ids: list[int], period: Period) -> dict[int, FirmRecords]:
    """The firms that served a compound of the streets during the period, with everything their score counts."""
    last_day = period.end - timedelta(days=1)  # Period.end is exclusive
    coverage = await coverage_in_force(period.start, last_day).filter(
        compound__street_id__in=street_ids
    ).select_related("compound")
    households: dict[int, dict[int, int]] = defaultdict(dict)
    for link in coverage:
        households[link.firm_id_copy][link.compound_id] = link.compound.household_count
    firms = {f.id: f for f in await PropertyFirm.filter(id__in=list(households))}
    inspections: dict[tuple[int, int], list[InspectionFact]] = defaultdict(list)
    for row in await Inspection.filter(
        firm_id__in=list(firms), compound__street_id__in=street_ids,
        inspected_on__gte=period.start, inspected_on__lt=period.end,
    ):
        inspections[(row.firm_id, row.compound_id)].append(
            InspectionFact(row.id, row.compound_id, row.inspected_on, row.total_deduction)
        )
        households[row.firm_id].setdefault(row.compound_id, 0)
    events: dict[int, list[CreditEventFact]] = defaultdict(list)
    for e in await CreditEvent.filter(
        firm_id__in=list(firms), occurred_on__lt=period.end, valid_until__gte=period.start
    ):
        events[e.firm_id].append(
            CreditEventFact(e.id, CreditEventKind(e.kind), e.points, e.reason, e.occurred_on, e.valid_until)
        )
    figures = await _complaint_figures([f.body_id for f in firms.values()], period)
    records = {
        firm.id: FirmRecords(
            has_party_organisation=firm.party_organisation != PartyOrganisation.NONE,
            figures=figures.get(firm.body_id, ServiceFigures()),
            events=tuple(events[firm.id]),
            compounds=tuple(
                CompoundRecords(compound_id, count, tuple(inspections[(firm.id, compound_id)]))
                for compound_id, count in sorted(households[firm.id].items())
            ),
        )
        for firm in firms.values()
    }
    return records


async def _grades(street: Street, pack: RulePack, p: Period, records: dict[int, FirmRecords],
                  scores: dict[int, CreditScore]) -> dict[int, str]:
    """Absolute schemes grade each firm on its own score (C only with a bad record). Relative schemes rank the
    cohort: every firm serving the district (all streets of this service under the same pack) on its
    district-wide score (Beijing 2025: a firm's projects are averaged), a documented local choice."""
    if pack.credit.grading != "RELATIVE":
        bad = {firm_id for firm_id, r in records.items() if has_bad_record(r.events, p)}
        return grade_all({firm_id: s.score for firm_id, s in scores.items()}, pack.credit, bad_records=bad)
    streets = list(await Street.filter(rule_pack=street.rule_pack).values_list("id", flat=True))
    cohort = await _firm_records(streets, p)
    cohort_scores = {firm_id: firm_credit_score(r, p, pack.credit).score for firm_id, r in cohort.items()}
    grades = grade_all(cohort_scores, pack.credit)
    return {firm_id: grades[firm_id] for firm_id in scores}


async def run_credit_evaluation(*, actor: Viewer, period: str, street_id: int, now: datetime) -> Evaluation:
    street, pack = await street_pack(street_id)
    require_jurisdiction(actor, Scope(street_id=street.id))
    p = scheme_period(period, pack.credit.period)
    if p.start > local_date(now):
        raise RuleViolation(ErrorCode.INVALID, f"{p} 尚未开始", "period", en=f"{p} has not begun")
    async with atomic():
        evaluation = await Evaluation.get_or_none(street_id=street.id, period=str(p))
        if evaluation is None:
            try:
                evaluation = await Evaluation.create(
                    street_id=street.id, period=str(p), scheme=pack.reference, status=EvaluationStatus.DRAFT,
                    run_at=now, created_at=now,
                )
            except IntegrityError:
                raise RuleViolation(ErrorCode.DUPLICATE, "该期间的评价正在运行", "period",
                                    en="This evaluation is being run concurrently") from None
        # Conditional update: a publication committed meanwhile leaves no DRAFT row to touch.
        elif not await Evaluation.filter(id=evaluation.id, status=EvaluationStatus.DRAFT).update(
            run_at=now, scheme=pack.reference
        ):
            raise already_published(str(p))
        records = await _firm_records([street.id], p)
        scores = {firm_id: firm_credit_score(r, p, pack.credit) for firm_id, r in records.items()}
        grades = await _grades(street, pack, p, records, scores)
        await EvaluationResult.filter(evaluation_id=evaluation.id).delete()
        rows = []
        for firm_id, s in scores.items():
            decision = listing_for(grades[firm_id], records[firm_id].events, p, pack.credit)
            rows.append(EvaluationResult(
                evaluation_id=evaluation.id, firm_id=firm_id, score=s.score, basic=s.basic, good=s.good,
                bad=s.bad, inspection_deductions=s.inspection_deductions, event_deductions=s.event_deductions,
                return_visit_deductions=s.return_visit_deductions, on_time_rate=s.on_time_rate,
                has_party_organisation=records[firm_id].has_party_organisation,
                orders_dispatched=s.figures.dispatched, orders_resolved_on_time=s.figures.resolved_on_time,
                unsatisfied_return_visits=s.figures.unsatisfied_return_visits,
                households=sum(c.households for c in records[firm_id].compounds),
                grade=grades[firm_id], listing=decision.listing, reasons=list(decision.reasons),
                inspection_ids=list(s.inspection_ids), credit_event_ids=list(s.event_ids),
            ))
        await EvaluationResult.bulk_create(rows)
        await record_event(
            actor=actor, action="runCreditEvaluation", entity_type="Evaluation", entity_id=evaluation.id,
            summary=f"{street.name} {p} 信用评价（{pack.reference}），{len(rows)} 家企业", now=now,
        )
        evaluation.run_at, evaluation.scheme = now, pack.reference
    return evaluation


async def publish_evaluation(*, actor: Viewer, evaluation_id: int, now: datetime) -> Publication:
    published_at = now.astimezone(UTC).replace(microsecond=0)
    async with atomic():
        evaluation = await Evaluation.get_or_none(id=evaluation_id).select_related("street")
        if evaluation is None:
            raise not_found("评价", "evaluationId")
        require_jurisdiction(actor, Scope(street_id=evaluation.street_id))
        if evaluation.status == EvaluationStatus.PUBLISHED:
            raise already_published(evaluation.period)
        if local_date(now) < parse_period(evaluation.period).end:
            raise RuleViolation(ErrorCode.INVALID, f"{evaluation.period} 尚未结束，不能公示", "evaluationId",
                                en=f"{evaluation.period} has not ended yet")
        if not await Evaluation.filter(id=evaluation.id, status=EvaluationStatus.DRAFT).update(
            status=EvaluationStatus.PUBLISHED
        ):
            raise already_published(evaluation.period)
        # The street row lock orders publications of one street on PostgreSQL (SQLite writers are serial), so the
        # chain never forks; the unique (street, sequence) would refuse a fork anyway.
        await Street.filter(id=evaluation.street_id).select_for_update().first()
        previous = await Publication.filter(street_id=evaluation.street_id).order_by("-sequence").first()
        results = await EvaluationResult.filter(evaluation_id=evaluation.id).select_related("firm")
        entries = [
            PublicationEntry(firm_id=r.firm_id, credit_code=r.firm.credit_code, name=r.firm.name, score=r.score,
                             grade=r.grade, listing=r.listing, reasons=list(r.reasons))
            for r in results
        ]
        draft = Publication(
            evaluation_id=evaluation.id, street_id=evaluation.street_id, period=evaluation.period,
            scheme=evaluation.scheme, sequence=(previous.sequence + 1) if previous else 1,
            published_at=published_at, published_by_id=actor.account_id,
            previous_hash=previous.content_hash if previous else None,
        )
        content: PublicationContent = publication_content(draft, entries)
        draft.content_hash = content_hash(content)
        try:
            await draft.save()
        except IntegrityError:
            raise already_published(evaluation.period) from None
        for entry in entries:
            entry.publication_id = draft.id
        await PublicationEntry.bulk_create(entries)
        await record_event(
            actor=actor, action="publishEvaluation", entity_type="Publication", entity_id=draft.id,
            summary=f"{evaluation.street.name} {evaluation.period} 红黑榜公示，哈希 {draft.content_hash}", now=now,
        )
    return draft
