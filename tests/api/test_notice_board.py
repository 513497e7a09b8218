"""Must show (issue 13): a disclosure with an attachment is published, read by an owner of the compound, refused
to an owner of another compound, and a correction keeps the original; uploads over GraphQL multipart requests."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from domain.accounts.rules import Role
from domain.attachments.models import Attachment
from domain.disclosures.models import Disclosure
from tests import factories as f
from tests.api.attachment_support import LIMIT, app_for, client_for, pdf, png, stored_files
from tests.conftest import make_token

UPLOAD = """
mutation Upload($input: UploadAttachmentInput!) {
  uploadAttachment(input: $input) { attachment { id name contentType size sha256 url thumbnailUrl }
                                    errors { code field message } }
}"""
PUBLISH = """
mutation Publish($input: PublishDisclosureInput!) {
  publishDisclosure(input: $input) {
    disclosure { id kind version contentHash publisher corrects { id body } attachments { id sha256 } }
    errors { code field message }
  }
}"""
BOARD = """
query Board($compoundId: ID!) {
  compound(id: $compoundId) {
    disclosures(first: 20) { totalCount edges { node { id kind title body version
      attachments { id name contentType url } correctedBy { id } } } }
  }
}"""


class Http:
    def __init__(self, client: httpx.AsyncClient):
        self.client = client

    async def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.client.post("/graphql", json={"query": query, "variables": variables or {}},
                                          headers=headers)
        body = response.json()
        assert "errors" not in body, body
        return body["data"]

    async def upload(self, token: str, name: str, data: bytes, content_type: str) -> dict[str, Any]:
        """A GraphQL multipart request (graphql-multipart-request-spec), as the owners' app sends it."""
        operations = json.dumps({"query": UPLOAD, "variables": {"input": {"file": None}}})
        response = await self.client.post(
            "/graphql", headers={"Authorization": f"Bearer {token}"},
            data={"operations": operations, "map": json.dumps({"0": ["variables.input.file"]})},
            files={"0": (name, data, content_type)})
        body = response.json()
        assert "errors" not in body, body
        return body["data"]["uploadAttachment"]


@pytest.fixture
async def http(db, tmp_path):
    async with client_for(app_for(tmp_path / "files")) as client:
        yield Http(client)


async def _world():  # type: ignore[no-untyped-def]
    community = await f.community()
    compound = await f.compound(community)
    other = await f.compound(community)
    owner, stranger = await f.person("业主甲"), await f.person("业主乙")
    await f.unit(compound, owner)
    await f.unit(other, stranger)
    firm = await f.firm()
    await f.contract(firm, compound)
    return {
        "compound": compound, "other": other, "firm": firm,
        "firm_token": await make_token(Role.FIRM_STAFF, firm_id=firm.id),
        "owner_token": await make_token(Role.OWNER, person_id=owner.id),
        "stranger_token": await make_token(Role.OWNER, person_id=stranger.id),
    }


async def _publish(http: Http, token: str, compound_id: int, **fields: Any) -> dict[str, Any]:
    values = {"compoundId": f.gid("Compound", compound_id), "kind": "FEE_STANDARDS", "title": "收费标准",
              "period": "2026", "body": "住宅 1.80 元/平方米·月", **fields}
    return (await http.gql(PUBLISH, {"input": values}, token))["publishDisclosure"]


async def test_a_disclosure_with_an_attachment_is_read_by_an_owner_and_refused_to_another_compound(http):
    w = await _world()
    document = pdf()
    uploaded = await http.upload(w["firm_token"], "收费标准.pdf", document, "application/pdf")
    assert uploaded["errors"] == []

    published = await _publish(http, w["firm_token"], w["compound"].id,
                               attachmentIds=[uploaded["attachment"]["id"]])
    owner_view = await http.gql(BOARD, {"compoundId": f.gid("Compound", w["compound"].id)}, w["owner_token"])
    stranger_view = await http.gql(BOARD, {"compoundId": f.gid("Compound", w["compound"].id)}, w["stranger_token"])
    anonymous_view = await http.gql(BOARD, {"compoundId": f.gid("Compound", w["compound"].id)})

    assert published["errors"] == []
    assert published["disclosure"]["publisher"] == "FIRM"
    assert published["disclosure"]["attachments"] == [{"id": uploaded["attachment"]["id"],
                                                        "sha256": uploaded["attachment"]["sha256"]}]
    board = owner_view["compound"]["disclosures"]
    assert board["totalCount"] == 1
    (attachment,) = board["edges"][0]["node"]["attachments"]
    download = await http.client.get(attachment["url"])
    assert (download.status_code, download.content) == (200, document)
    assert stranger_view["compound"]["disclosures"] == {"totalCount": 0, "edges": []}
    assert anonymous_view["compound"]["disclosures"]["totalCount"] == 0


async def test_anonymous_readers_see_only_the_credit_standing(http):
    w = await _world()
    admin = await make_token(Role.CENTRE_ADMIN)
    await _publish(http, admin, w["compound"].id)
    standing = await _publish(http, admin, w["compound"].id, kind="CREDIT_STANDING", title="红黑榜", body="未列入")

    view = await http.gql(BOARD, {"compoundId": f.gid("Compound", w["compound"].id)})

    assert [e["node"]["id"] for e in view["compound"]["disclosures"]["edges"]] == [standing["disclosure"]["id"]]


async def test_a_correction_is_a_new_version_and_the_original_stays_as_published(http):
    w = await _world()
    first = (await _publish(http, w["firm_token"], w["compound"].id, body="住宅 1.08 元"))["disclosure"]
    original = await Disclosure.get(kind="FEE_STANDARDS")

    corrected = await _publish(http, w["firm_token"], w["compound"].id, body="住宅 1.80 元（更正笔误）",
                               correctsId=first["id"])
    again = await _publish(http, w["firm_token"], w["compound"].id, body="再次更正", correctsId=first["id"])
    view = await http.gql(BOARD, {"compoundId": f.gid("Compound", w["compound"].id)}, w["owner_token"])

    assert corrected["errors"] == []
    assert corrected["disclosure"]["version"] == 2
    assert corrected["disclosure"]["corrects"] == {"id": first["id"], "body": "住宅 1.08 元"}
    assert [e["code"] for e in again["errors"]] == ["INVALID_TRANSITION"]
    kept = await Disclosure.get(id=original.id)
    assert (kept.body, kept.content_hash) == (original.body, original.content_hash)
    versions = {e["node"]["version"]: e["node"] for e in view["compound"]["disclosures"]["edges"]}
    assert set(versions) == {1, 2}
    assert versions[1]["correctedBy"] == {"id": corrected["disclosure"]["id"]}


@pytest.mark.parametrize(("_case", "kind", "token_key", "code"), [
    ("the firm cannot post committee decisions", "COMMITTEE_DECISIONS", "firm_token", "FORBIDDEN"),
    ("an owner cannot post fee standards", "FEE_STANDARDS", "owner_token", "FORBIDDEN"),
])
async def test_only_the_publisher_of_a_kind_may_publish_it(http, _case, kind, token_key, code):
    w = await _world()

    result = await _publish(http, w[token_key], w["compound"].id, kind=kind)

    assert [e["code"] for e in result["errors"]] == [code]
    assert await Disclosure.all().count() == 0


async def test_an_attachment_of_someone_else_cannot_be_attached(http):
    w = await _world()
    uploaded = await http.upload(w["owner_token"], "photo.png", png(), "image/png")

    result = await _publish(http, w["firm_token"], w["compound"].id, attachmentIds=[uploaded["attachment"]["id"]])

    assert [(e["code"], e["field"]) for e in result["errors"]] == [("NOT_FOUND", ["attachmentIds"])]
    assert await Disclosure.all().count() == 0
    assert (await Attachment.get()).owner_kind is None


@pytest.mark.parametrize(("_case", "data", "label", "code"), [
    ("oversized", pdf(LIMIT + 1), "application/pdf", "UPLOAD_TOO_LARGE"),
    ("mislabelled", pdf(), "image/png", "UPLOAD_TYPE_MISMATCH"),
    ("not an allowed type", b"<svg onload=alert(1)>", "image/svg+xml", "UPLOAD_TYPE_NOT_ALLOWED"),
])
async def test_a_refused_multipart_upload_is_a_typed_error_and_leaves_no_file(http, tmp_path, _case, data, label,
                                                                              code):
    w = await _world()

    result = await http.upload(w["owner_token"], "x", data, label)

    assert result["attachment"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [(code, ["file"])]
    assert stored_files(tmp_path / "files") == []
    assert await Attachment.all().count() == 0


async def test_an_image_upload_gets_a_thumbnail(http):
    w = await _world()

    result = await http.upload(w["owner_token"], "漏水.png", png(1200, 800), "image/png")

    attachment = result["attachment"]
    assert (attachment["contentType"], attachment["name"]) == ("image/png", "漏水.png")
    thumbnail = await http.client.get(attachment["thumbnailUrl"])
    assert (thumbnail.status_code, thumbnail.headers["content-type"]) == (200, "image/jpeg")
    from io import BytesIO

    from PIL import Image
    assert max(Image.open(BytesIO(thumbnail.content)).size) == 320


async def test_anonymous_uploads_are_refused(http):
    operations = json.dumps({"query": UPLOAD, "variables": {"input": {"file": None}}})
    response = await http.client.post("/graphql", data={"operations": operations,
                                                        "map": json.dumps({"0": ["variables.input.file"]})},
                                      files={"0": ("a.pdf", pdf(), "application/pdf")})

    assert response.json()["data"]["uploadAttachment"]["errors"][0]["code"] == "FORBIDDEN"
    assert await Attachment.all().count() == 0
