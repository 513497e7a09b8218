"""The attachments' read policy follows the owning record (for the policy table): a disclosure's file is the
compound's owners', a complaint photo the order's readers', an unattached upload its uploader's."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.accounts.models import Account
from domain.accounts.rules import Role, Viewer
from domain.accounts.service import viewer_of
from domain.attachments.access import readable_attachments
from domain.attachments.models import Attachment
from domain.attachments.rules import OwnerKind
from domain.disclosures.rules import DisclosureKind
from domain.disclosures.service import DisclosureDraft, publish_disclosure
from tests import factories as f
from tests.conftest import make_token


async def _file(account_id: int, owner_kind: OwnerKind | None = None, owner_id: int | None = None) -> Attachment:
    return await Attachment.create(name="a.pdf", content_type="application/pdf", size=10, sha256="0" * 64,
                                   storage_key=f"k/{account_id}/{owner_kind}/{owner_id}", uploaded_by_id=account_id,
                                   owner_kind=owner_kind, owner_id=owner_id, created_at=datetime.now(UTC))


async def _viewer(username: str) -> Viewer:
    return viewer_of(await Account.get(username=username))


async def test_attachments_follow_their_records_read_policy(db):
    community = await f.community()
    compound, other = await f.compound(community), await f.compound(community)
    owner, stranger = await f.person("甲"), await f.person("乙")
    await f.unit(compound, owner)
    await f.unit(other, stranger)
    await make_token(Role.OWNER, username="owner", person_id=owner.id)
    await make_token(Role.OWNER, username="stranger", person_id=stranger.id)
    await make_token(Role.CENTRE_ADMIN, username="admin")
    admin = await _viewer("admin")
    board = await publish_disclosure(actor=admin, now=datetime.now(UTC), draft=DisclosureDraft(
        compound_id=compound.id, kind=DisclosureKind.FEE_STANDARDS, title="收费", period="2026", body="1.8 元"))
    on_board = await _file(admin.account_id, OwnerKind.DISCLOSURE, board.id)  # type: ignore[arg-type]
    loose = await _file((await Account.get(username="stranger")).id)

    async def readable(viewer: Viewer) -> set[int]:
        return set(await Attachment.filter(readable_attachments(viewer)).values_list("id", flat=True))

    assert await readable(await _viewer("owner")) == {on_board.id}
    assert await readable(await _viewer("stranger")) == {loose.id}
    assert await readable(Viewer.anonymous()) == set()
    assert await readable(admin) == {on_board.id}
