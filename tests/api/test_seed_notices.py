"""`make serve`'s demo holds disclosures with an attachment, notifications for the demo owner and a rated order."""

from __future__ import annotations

from api.seed import seed_demo
from domain.accounts.models import Account
from domain.attachments.models import Attachment
from domain.attachments.rules import OwnerKind
from domain.complaints.models import ReturnVisitRecord
from domain.disclosures.models import Disclosure
from domain.notifications.models import Notification
from domain.notifications.rules import NoticeKind


async def test_the_demo_has_a_notice_board_an_owner_with_notifications_and_a_rated_order(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TONGXIN_ATTACHMENTS_DIR", str(tmp_path / "files"))

    summary = await seed_demo(scale=1, seed=7)

    owner = await Account.get(username="owner")
    assert owner.roles == "OWNER" and owner.person_id is not None
    kinds = set(await Notification.filter(person_id=owner.person_id).values_list("kind", flat=True))
    assert {NoticeKind.COMPLAINT_PROGRESS, NoticeKind.DISCLOSURE_PUBLISHED} <= kinds
    rating = await ReturnVisitRecord.get(by_complainant=True)
    assert rating.actor_id == owner.id
    attached = await Attachment.filter(owner_kind=OwnerKind.DISCLOSURE)
    assert len(attached) == 2 and all((tmp_path / "files" / a.storage_key).is_file() for a in attached)
    correction = await Disclosure.get(corrects_id__isnull=False)
    assert correction.version == 2
    assert await Disclosure.filter(compound_id=correction.compound_id).count() == 4
    assert "演示业主账号 owner" in summary
