"""The signed upload URL (PUT /uploads) and the signed download link, over HTTP against the ASGI app."""

from __future__ import annotations

import hashlib
from urllib.parse import quote
from datetime import UTC, datetime

import pytest

from domain.accounts.models import Account
from domain.accounts.rules import Role
from domain.attachments.links import download_path, upload_path
from domain.attachments.models import Attachment
from tests.api.attachment_support import LIMIT, SECRET, app_for, client_for, pdf, png, stored_files
from tests.conftest import make_token


@pytest.fixture
async def http(db, tmp_path):
    async with client_for(app_for(tmp_path / "files")) as client:
        yield client


async def _owner_account() -> Account:
    await make_token(Role.OWNER, username="uploader")
    return await Account.get(username="uploader")


def _upload_url(account: Account) -> str:
    return upload_path(account_id=account.id, now=datetime.now(UTC), ttl_seconds=60, secret=SECRET)


async def test_a_signed_upload_stores_the_file_with_its_hash_and_a_thumbnail(http, tmp_path):
    account = await _owner_account()
    image = png()

    response = await http.put(_upload_url(account), content=image,
                              headers={"Content-Type": "image/png", "X-File-Name": quote("漏水.png")})

    assert response.status_code == 201, response.text
    row = await Attachment.get(id=response.json()["id"])
    assert (row.name, row.content_type, row.size, row.width, row.height) == ("漏水.png", "image/png", len(image), 640,
                                                                             480)
    assert row.sha256 == hashlib.sha256(image).hexdigest() == response.json()["sha256"]
    assert (row.uploaded_by_id, row.owner_kind) == (account.id, None)
    assert len(stored_files(tmp_path / "files")) == 2  # the file and its thumbnail


async def test_the_signed_download_link_returns_the_bytes_and_a_forged_one_is_refused(http):
    account = await _owner_account()
    document = pdf()
    uploaded = (await http.put(_upload_url(account), content=document,
                               headers={"Content-Type": "application/pdf"})).json()
    link = download_path(attachment_id=uploaded["id"], variant="original", now=datetime.now(UTC), ttl_seconds=60,
                         secret=SECRET)

    good = await http.get(link)
    forged = await http.get(link.replace("original", "thumbnail"))
    other_secret = await http.get(download_path(attachment_id=uploaded["id"], variant="original",
                                                now=datetime.now(UTC), ttl_seconds=60, secret="guess"))

    assert (good.status_code, good.content, good.headers["content-type"]) == (200, document, "application/pdf")
    assert good.headers["x-content-type-options"] == "nosniff"
    assert (forged.status_code, other_secret.status_code) == (403, 403)


@pytest.mark.parametrize(("_case", "body", "label", "code"), [
    ("one byte over the limit", pdf(LIMIT + 1), "application/pdf", "UPLOAD_TOO_LARGE"),
    ("a pdf labelled as a photo", pdf(), "image/jpeg", "UPLOAD_TYPE_MISMATCH"),
    ("a script", b"#!/bin/sh\nrm -rf /\n", "image/png", "UPLOAD_TYPE_NOT_ALLOWED"),
    ("a png header on garbage", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, "image/png", "UPLOAD_TYPE_MISMATCH"),
])
async def test_a_refused_upload_leaves_no_file_and_no_row(http, tmp_path, _case, body, label, code):
    account = await _owner_account()

    response = await http.put(_upload_url(account), content=body, headers={"Content-Type": label})

    assert (response.status_code, response.json()["code"]) == (422, code)
    assert await Attachment.all().count() == 0
    assert stored_files(tmp_path / "files") == []


async def test_an_expired_or_tampered_upload_url_is_refused(http):
    account = await _owner_account()
    expired = upload_path(account_id=account.id, now=datetime(2020, 1, 1, tzinfo=UTC), ttl_seconds=60, secret=SECRET)
    tampered = _upload_url(account).replace(f"account={account.id}", f"account={account.id + 1}")

    assert (await http.put(expired, content=pdf())).status_code == 403
    assert (await http.put(tampered, content=pdf())).status_code == 403
    assert await Attachment.all().count() == 0
