"""recordInspection, recordRectification, recordCreditEvent: happy paths, typed errors, authorization."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from domain.accounts.rules import Role
from domain.audit.models import AuditEvent
from domain.evaluation.models import CreditEvent, Inspection, InspectionFinding
from tests import factories as f
from tests.api.test_evaluation_support import RECORD_CREDIT_EVENT, RECORD_INSPECTION, shanghai
from tests.conftest import make_token

TODAY = shanghai(2026, 9, 5)
RECTIFY = """
mutation Rectify($input: RecordRectificationInput!) {
  recordRectification(input: $input) { inspection { rectifiedOn rectificationStatus } errors { code field } }
}"""


async def _served():
    street = await f.street()
    compound = await f.compound(await f.community(street))
    firm = await f.firm("检查物业")
    await f.contract(firm, compound)
    return street, compound, firm


def _inspection(firm, compound, **overrides):
    values = {"firmId": f.gid("PropertyFirm", firm.id), "compoundId": f.gid("Compound", compound.id),
              "inspectedOn": "2026-09-01", "rectifyBy": "2026-09-10",
              "findings": [{"item": "绿化养护", "deduction": "1.5"}, {"item": "消防通道", "deduction": "3"}]}
    return {"input": values | overrides}


async def test_an_inspection_is_recorded_with_its_findings_and_audited(gql, db):
    street, compound, firm = await _served()
    token = await make_token(Role.STREET_STAFF, street_id=street.id)

    with time_machine.travel(TODAY, tick=False):
        data = (await gql(RECORD_INSPECTION, _inspection(firm, compound), token=token))["recordInspection"]

    assert data["errors"] == []
    assert data["inspection"] | {"id": None} == {
        "id": None, "inspectedOn": "2026-09-01", "totalDeduction": "4.50", "rectifyBy": "2026-09-10",
        "rectificationStatus": "PENDING",
        "findings": [{"item": "绿化养护", "deduction": "1.50", "note": ""},
                     {"item": "消防通道", "deduction": "3.00", "note": ""}]}
    row = await Inspection.get(firm_id=firm.id)
    assert (row.total_deduction, row.compound_id) == (Decimal("4.50"), compound.id)
    assert await AuditEvent.filter(action="recordInspection", entity_id=str(row.id)).count() == 1


@pytest.mark.parametrize(
    ("_case", "overrides", "code", "field"),
    [
        ("negative deduction", {"findings": [{"item": "保洁", "deduction": "-1"}]}, "INVALID",
         ["findings", "0", "deduction"]),
        ("deadline before inspection", {"rectifyBy": "2026-08-31"}, "INVALID", ["rectifyBy"]),
        ("deductions without deadline", {"rectifyBy": None}, "INVALID", ["rectifyBy"]),
        ("inspection in the future", {"inspectedOn": "2026-09-06", "rectifyBy": "2026-09-16"}, "INVALID",
         ["inspectedOn"]),
        ("before the firm served", {"inspectedOn": "2025-12-31", "rectifyBy": "2026-01-10"}, "INVALID",
         ["compoundId"]),
        ("unknown firm", {"firmId": f.gid("PropertyFirm", 999_999)}, "NOT_FOUND", ["firmId"]),
        ("not a firm id", {"firmId": f.gid("Compound", 1)}, "INVALID", ["firmId"]),
    ],
)
async def test_an_impossible_inspection_is_refused_and_nothing_is_stored(gql, db, _case, overrides, code, field):
    _, compound, firm = await _served()
    token = await make_token(Role.CENTRE_STAFF)

    with time_machine.travel(TODAY, tick=False):
        data = (await gql(RECORD_INSPECTION, _inspection(firm, compound, **overrides), token=token))[
            "recordInspection"]

    assert data["inspection"] is None
    assert [(e["code"], e["field"]) for e in data["errors"]] == [(code, field)]
    assert await Inspection.all().count() == await InspectionFinding.all().count() == 0


@pytest.mark.parametrize("role", [Role.OWNER, Role.FIRM_STAFF, Role.COMMUNITY_STAFF, Role.STREET_STAFF])
async def test_only_centre_staff_and_the_streets_staff_may_record_an_inspection(gql, db, role):
    _, compound, firm = await _served()
    elsewhere = await f.street()
    token = await make_token(role, street_id=elsewhere.id)

    with time_machine.travel(TODAY, tick=False):
        data = (await gql(RECORD_INSPECTION, _inspection(firm, compound), token=token))["recordInspection"]

    assert [e["code"] for e in data["errors"]] == ["FORBIDDEN"]
    assert await Inspection.all().count() == 0


async def test_a_rectification_is_recorded_once(gql, db):
    _, compound, firm = await _served()
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(TODAY, tick=False):
        created = await gql(RECORD_INSPECTION, _inspection(firm, compound), token=token)
        variables = {"input": {"inspectionId": created["recordInspection"]["inspection"]["id"],
                               "rectifiedOn": "2026-09-04"}}

        first = (await gql(RECTIFY, variables, token=token))["recordRectification"]
        second = (await gql(RECTIFY, variables, token=token))["recordRectification"]

    assert first == {"inspection": {"rectifiedOn": "2026-09-04", "rectificationStatus": "RECTIFIED"}, "errors": []}
    assert second == {"inspection": None, "errors": [{"code": "INVALID_TRANSITION", "field": ["inspectionId"]}]}


async def test_an_unrectified_inspection_is_overdue_after_its_deadline(gql, db):
    _, compound, firm = await _served()
    token = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(TODAY, tick=False):
        await gql(RECORD_INSPECTION, _inspection(firm, compound), token=token)

    with time_machine.travel(shanghai(2026, 9, 11), tick=False):
        data = await gql("{ inspections(first: 5) { totalCount edges { node { rectificationStatus } } } }",
                         token=token)

    assert data["inspections"]["totalCount"] == 1
    assert data["inspections"]["edges"][0]["node"]["rectificationStatus"] == "OVERDUE"


def _event(firm, **overrides):
    values = {"firmId": f.gid("PropertyFirm", firm.id), "kind": "SEVERE", "points": "10",
              "reason": "擅自撤离小区", "occurredOn": "2026-09-01"}
    return {"input": values | overrides}


async def test_a_credit_event_is_valid_for_a_year_by_default_and_audited(gql, db):
    _, _, firm = await _served()
    token = await make_token(Role.CENTRE_STAFF)

    with time_machine.travel(TODAY, tick=False):
        data = (await gql(RECORD_CREDIT_EVENT, _event(firm), token=token))["recordCreditEvent"]

    assert data["errors"] == []
    assert data["creditEvent"] | {"id": None} == {"id": None, "kind": "SEVERE", "points": "10.00",
                                                   "validUntil": "2027-09-01"}
    row = await CreditEvent.get(firm_id=firm.id)
    assert (row.valid_until, row.reason) == (date(2027, 9, 1), "擅自撤离小区")
    assert await AuditEvent.filter(action="recordCreditEvent").count() == 1


@pytest.mark.parametrize(
    ("_case", "overrides", "code", "field"),
    [
        ("validity ends before the event", {"validUntil": "2026-08-31"}, "INVALID", ["validUntil"]),
        ("blank reason", {"reason": "  "}, "INVALID", ["reason"]),
        ("negative points", {"points": "-2"}, "INVALID", ["points"]),
        ("future event", {"occurredOn": "2026-09-06"}, "INVALID", ["occurredOn"]),
        ("unknown firm", {"firmId": f.gid("PropertyFirm", 999_999)}, "NOT_FOUND", ["firmId"]),
    ],
)
async def test_an_impossible_credit_event_is_refused(gql, db, _case, overrides, code, field):
    _, _, firm = await _served()
    token = await make_token(Role.CENTRE_STAFF)

    with time_machine.travel(TODAY, tick=False):
        data = (await gql(RECORD_CREDIT_EVENT, _event(firm, **overrides), token=token))["recordCreditEvent"]

    assert data == {"creditEvent": None, "errors": data["errors"]}
    assert [(e["code"], e["field"]) for e in data["errors"]] == [(code, field)]
    assert await CreditEvent.all().count() == 0


@pytest.mark.parametrize("role", [None, Role.STREET_STAFF, Role.FIRM_STAFF])
async def test_only_the_centre_records_credit_events(gql, db, role):
    street, _, firm = await _served()
    token = await make_token(role, street_id=street.id) if role else None

    with time_machine.travel(TODAY, tick=False):
        body = await gql(RECORD_CREDIT_EVENT, _event(firm), token=token, expect_errors=True)

    assert [e["code"] for e in body["data"]["recordCreditEvent"]["errors"]] == ["FORBIDDEN"]
    assert await CreditEvent.all().count() == 0


async def test_street_staff_list_only_their_streets_inspections(gql, db):
    street, compound, firm = await _served()
    _, other_compound, other_firm = await _served()
    centre = await make_token(Role.CENTRE_STAFF)
    with time_machine.travel(TODAY, tick=False):
        await gql(RECORD_INSPECTION, _inspection(firm, compound), token=centre)
        await gql(RECORD_INSPECTION, _inspection(other_firm, other_compound), token=centre)
    document = "{ inspections(first: 10) { totalCount edges { node { firm { name } } } } }"

    everything = await gql(document, token=centre)
    own = await gql(document, token=await make_token(Role.STREET_STAFF, street_id=street.id))

    assert everything["inspections"]["totalCount"] == 2
    assert own["inspections"]["totalCount"] == 1
