"""Demo notice board (issue 13): a demo owner account whose order was resolved and rated by the owner, the
compound's disclosures with a PDF attachment (one corrected), and the notifications these produced."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher

from api.attachments import make_storage, upload_limits
from api.settings import Settings
from domain.accounts.models import Account
from domain.accounts.rules import Role
from domain.accounts.service import viewer_of
from domain.attachments.service import Upload, store_upload
from domain.calendar import local_date
from domain.complaints.models import Complaint
from domain.complaints.rating import Rating, rate_my_complaint
from domain.complaints.rules import Satisfaction, Status
from domain.disclosures.rules import DisclosureKind, previous_quarter
from domain.disclosures.service import DisclosureDraft, publish_disclosure
from domain.notifications.models import Notification

OWNER_USERNAME = "owner"


def demo_pdf(title: str) -> bytes:
    """A small valid one-page PDF (no dependency needed for a demo document)."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


async def _owner_account(person_id: int, now: datetime) -> Account:
    from api.seed import DEMO_PASSWORD

    existing = await Account.get_or_none(username=OWNER_USERNAME)
    if existing is not None:
        return existing
    return await Account.create(username=OWNER_USERNAME, password_hash=PasswordHasher().hash(DEMO_PASSWORD),
                                roles=Role.OWNER.value, person_id=person_id, created_at=now)


async def seed_notices(*, base: datetime, settings: Settings | None = None) -> str:
    settings = settings or Settings.from_env()
    order = await Complaint.filter(status=Status.RESOLVED, complainant_person_id__isnull=False).order_by("id").first()
    admin = await Account.get_or_none(username="admin")
    if order is None or admin is None:
        return "公告栏示例未载入（无已办结工单或管理员账号）"
    owner = await _owner_account(order.complainant_person_id, base)  # type: ignore[arg-type]
    rated = await rate_my_complaint(actor=viewer_of(owner), complaint_id=order.id, now=base + timedelta(minutes=5),
                                    rating=Rating(solved=True, satisfaction=Satisfaction.BASICALLY_SATISFIED,
                                                  note="处理及时，希望加强日常巡查"))
    staff = viewer_of(admin)
    storage, limits = make_storage(settings), upload_limits(settings)
    quarter = previous_quarter(local_date(base))
    fees = await store_upload(actor=staff, storage=storage, limits=limits, now=base, upload=Upload(
        name="物业服务收费标准.pdf", declared_type="application/pdf", data=demo_pdf("Property fee standards")))
    fund = await store_upload(actor=staff, storage=storage, limits=limits, now=base, upload=Upload(
        name=f"{quarter} 维修资金使用情况.pdf", declared_type="application/pdf",
        data=demo_pdf(f"Maintenance fund {quarter}")))
    compound_id = order.compound_id
    await publish_disclosure(actor=staff, now=base + timedelta(minutes=10), draft=DisclosureDraft(
        compound_id=compound_id, kind=DisclosureKind.FEE_STANDARDS, title="物业服务收费项目和标准",
        period=str(local_date(base).year), body="住宅物业服务费 1.80 元/平方米·月；地下车位管理费 80 元/个·月。",
        attachment_ids=(fees.id,)))
    first = await publish_disclosure(actor=staff, now=base + timedelta(minutes=11), draft=DisclosureDraft(
        compound_id=compound_id, kind=DisclosureKind.MAINTENANCE_FUND, title=f"{quarter} 专项维修资金使用情况",
        period=quarter, body="本季度使用维修资金 12,400 元：3 号楼电梯钢丝绳更换。", attachment_ids=(fund.id,)))
    await publish_disclosure(actor=staff, now=base + timedelta(minutes=30), draft=DisclosureDraft(
        compound_id=compound_id, kind=DisclosureKind.MAINTENANCE_FUND, title=f"{quarter} 专项维修资金使用情况（更正）",
        period=quarter, body="本季度使用维修资金 12,040 元（原公示金额笔误）：3 号楼电梯钢丝绳更换。",
        corrects_id=first.id))
    await publish_disclosure(actor=staff, now=base + timedelta(minutes=12), draft=DisclosureDraft(
        compound_id=compound_id, kind=DisclosureKind.CREDIT_STANDING, title="服务企业信用等级公示",
        period=quarter, body="本小区物业服务企业在最近一期信用评价中未列入红黑榜。"))
    notices = await Notification.filter(person_id=owner.person_id).count()
    return (f"演示业主账号 {owner.username}（{notices} 条通知，工单 {rated.number} 已评价），"
            f"小区公告栏 4 条公示（含附件与更正）")
