"""Uploading a file (GraphQL multipart request) or asking for a signed upload URL; attach it by ID afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta

import strawberry
from strawberry.file_uploads import Upload

from domain.attachments.service import Upload as UploadedFile
from domain.attachments.service import issue_upload_url, store_upload
from domain.errors import ErrorCode, RuleViolation
from schema.attachments.types import Attachment
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import ANYONE_SIGNED_IN, mutation


@strawberry.input(description="上传附件 — a GraphQL multipart request (the file under `variables.input.file`)")
class UploadAttachmentInput:
    file: Upload


@strawberry.type
class UploadAttachmentPayload:
    attachment: Attachment | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RequestUploadUrlPayload:
    url: str | None = strawberry.field(default=None, description="PUT the file here (Content-Type; X-File-Name "
                                                                  "percent-encoded); the answer holds its ID")
    expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @mutation(ANYONE_SIGNED_IN, "上传附件 — typed by its content, size-limited, hashed; attach it by ID afterwards "
                                "(fileComplaint, publishDisclosure)")
    async def upload_attachment(self, info: Info, input: UploadAttachmentInput) -> UploadAttachmentPayload:
        files = info.context.files
        assert files is not None, "the app fills Context.files"
        if not callable(getattr(input.file, "read", None)):
            # A value written inline in the document (a string) instead of a multipart part.
            raise RuleViolation(ErrorCode.INVALID, "请以 multipart 请求上传文件", ("file",),
                                en="Send the file as a part of a GraphQL multipart request")
        # One byte past the limit is enough to refuse an oversized file without holding it whole.
        data = await input.file.read(files.limits.max_bytes + 1)
        upload = UploadedFile(name=input.file.filename, declared_type=input.file.content_type, data=data)
        attachment = await store_upload(actor=info.context.viewer, upload=upload, storage=files.storage,
                                        limits=files.limits, now=info.context.now, field="file")
        return UploadAttachmentPayload(attachment=Attachment.from_model(attachment))

    @mutation(ANYONE_SIGNED_IN, "签名上传地址 — for clients that cannot send multipart requests")
    async def request_upload_url(self, info: Info) -> RequestUploadUrlPayload:
        files, now = info.context.files, info.context.now
        assert files is not None, "the app fills Context.files"
        url = await issue_upload_url(actor=info.context.viewer, now=now, ttl_seconds=files.ttl_seconds,
                                     secret=files.secret)
        return RequestUploadUrlPayload(url=url, expires_at=now + timedelta(seconds=files.ttl_seconds))
