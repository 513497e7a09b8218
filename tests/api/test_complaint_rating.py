"""The complainant rates their own order (rateMyComplaint): an unsatisfied rating reopens it exactly as a staff
return visit does and the KPIs count it; me.complaints lists only one's own orders; an owner files with photos."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.accounts.models import Account
from domain.accounts.service import viewer_of
from domain.attachments.models import Attachment
from domain.attachments.rules import OwnerKind, UploadLimits
from domain.attachments.service import Upload, store_upload
from domain.attachments.storage import FilesystemStorage
from domain.complaints.models import ComplaintEvent, ReturnVisitRecord
from domain.complaints.rules import Action
from tests import factories as f
from tests.api.attachment_support import png
from tests.api.test_complaints_support import FILE, build_world, dispatched, intake, ok
from tests.contract.operations import contract_operations

CONTRACT = {op.name: op.document for op in contract_operations()}
RATE, MINE = CONTRACT["RateMyComplaint"], CONTRACT["MyComplaints"]
KPIS = """
query($scopeId: ID, $period: Period!) {
  complaintKpis(scopeId: $scopeId, period: $period) { satisfactionRate resolutionRate reopenRate }
}"""


def quarter() -> str:
    today = datetime.now(UTC)
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


async def _resolved_order_of_owner(gql, w) -> dict:  # type: ignore[no-untyped-def]
    order = await dispatched(gql, w, complainantPersonId=f.gid("Person", w.owner.id))
    await ok(gql, w, "acknowledgeComplaint", "firm", complaintId=order["id"])
    return await ok(gql, w, "resolveComplaint", "firm", complaintId=order["id"], resolution="已更换电梯控制板")


async def _rate(gql, w, complaint_id: str, token: str = "owner", **values) -> dict:  # type: ignore[no-untyped-def]
    rating = {"complaintId": complaint_id, "solved": False, "satisfaction": "UNSATISFIED", "note": "电梯仍然异响",
              **values}
    return (await gql(RATE, {"input": rating}, token=w.tokens[token]))["rateMyComplaint"]


async def test_an_unsatisfied_rating_reopens_the_order_like_a_staff_return_visit_and_the_kpis_count_it(db, gql):
    w = await build_world()
    order = await _resolved_order_of_owner(gql, w)

    result = await _rate(gql, w, order["id"])
    kpis = await gql(KPIS, {"scopeId": f.gid("Street", w.street.id), "period": quarter()}, token=w.tokens["street"])

    assert result["errors"] == []
    assert result["complaint"] == {"id": order["id"], "status": "DISPATCHED", "reopenCount": 1}
    (visit,) = await ReturnVisitRecord.all()
    owner_account = await Account.get(username="owner")
    assert (visit.by_complainant, visit.reached, visit.solved, visit.satisfaction, visit.actor_id) == (
        True, True, False, "UNSATISFIED", owner_account.id)
    assert await ComplaintEvent.filter(action=Action.REOPEN).count() == 1
    assert kpis["complaintKpis"] == {"satisfactionRate": 0.0, "resolutionRate": 0.0, "reopenRate": 1.0}


async def test_a_satisfied_rating_completes_the_return_visit(db, gql):
    w = await build_world()
    order = await _resolved_order_of_owner(gql, w)

    result = await _rate(gql, w, order["id"], solved=True, satisfaction="SATISFIED", note="")
    kpis = await gql(KPIS, {"scopeId": f.gid("Street", w.street.id), "period": quarter()}, token=w.tokens["street"])

    assert result["complaint"] == {"id": order["id"], "status": "RETURN_VISITED", "reopenCount": 0}
    assert kpis["complaintKpis"]["satisfactionRate"] == 1.0


async def test_only_the_complainant_may_rate_and_only_once_resolved(db, gql):
    w = await build_world()
    order = await dispatched(gql, w, complainantPersonId=f.gid("Person", w.owner.id))
    too_early = await _rate(gql, w, order["id"])
    await ok(gql, w, "acknowledgeComplaint", "firm", complaintId=order["id"])
    await ok(gql, w, "resolveComplaint", "firm", complaintId=order["id"], resolution="已处理")
    stranger = await f.person("李四")
    from domain.accounts.rules import Role
    from tests.conftest import make_token
    w.tokens["stranger"] = await make_token(Role.OWNER, person_id=stranger.id)

    not_mine = await _rate(gql, w, order["id"], token="stranger")
    staff = await _rate(gql, w, order["id"], token="street")

    assert [e["code"] for e in too_early["errors"]] == ["INVALID_TRANSITION"]
    assert [e["code"] for e in not_mine["errors"]] == ["FORBIDDEN"]
    assert [e["code"] for e in staff["errors"]] == ["FORBIDDEN"]
    assert await ReturnVisitRecord.all().count() == 0


async def test_my_complaints_lists_only_my_orders_newest_first_with_the_rating_action(db, gql):
    w = await build_world()
    older = await _resolved_order_of_owner(gql, w)
    newer = await dispatched(gql, w, complainantPersonId=f.gid("Person", w.owner.id), title="楼道灯不亮")
    await dispatched(gql, w)  # someone else's order

    data = await gql(MINE, {"first": 10}, token=w.tokens["owner"])

    mine = data["me"]["complaints"]
    assert mine["totalCount"] == 2
    assert [e["node"]["id"] for e in mine["edges"]] == [newer["id"], older["id"]]
    resolved = mine["edges"][1]["node"]
    assert resolved["status"] == "RESOLVED" and "RETURN_VISIT" in resolved["availableActions"]
    assert [t["action"] for t in resolved["timeline"]][:2] == ["FILE", "ACCEPT"]
    assert "RETURN_VISIT" not in mine["edges"][0]["node"]["availableActions"]


async def test_an_owner_files_with_photos(db, gql, tmp_path):
    w = await build_world()
    owner = viewer_of(await Account.get(username="owner"))
    photo = await store_upload(actor=owner, upload=Upload("漏水.png", "image/png", png()), now=datetime.now(UTC),
                               storage=FilesystemStorage(tmp_path), limits=UploadLimits())

    data = await gql(FILE, {"input": intake(w, attachmentIds=[f.gid("Attachment", photo.id)], externalRef=None,
                                            channel="ONLINE")}, token=w.tokens["owner"])
    stolen = await gql(FILE, {"input": intake(w, attachmentIds=[f.gid("Attachment", photo.id)])},
                       token=w.tokens["street"])

    assert data["fileComplaint"]["errors"] == []
    attached = await Attachment.get(id=photo.id)
    assert attached.owner_kind == OwnerKind.COMPLAINT
    assert f.gid("Complaint", attached.owner_id) == data["fileComplaint"]["complaint"]["id"]
    assert [e["code"] for e in stolen["fileComplaint"]["errors"]] == ["NOT_FOUND"]
    shown = await gql("query($id: ID!) { complaint(id: $id) { attachments { sha256 } } }",
                      {"id": data["fileComplaint"]["complaint"]["id"]}, token=w.tokens["street"])
    assert shown["complaint"]["attachments"] == [{"sha256": photo.sha256}]
