"""Attachment storage chosen by settings, the signed download and upload routes, and the body limit that lets
uploads through (multipart GraphQL requests and PUT /uploads) while JSON requests keep the small one."""

from __future__ import annotations

import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from api.http_errors import BodyLimit
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from api.settings import Settings
from domain.accounts.models import Account
from domain.accounts.service import viewer_of
from domain.attachments.links import valid_download, valid_upload
from domain.attachments.models import Attachment
from domain.attachments.rules import UploadLimits
from domain.attachments.service import Upload, store_upload
from domain.attachments.storage import FilesystemStorage, S3Storage, Storage
from domain.errors import RuleViolation

_PROCESS_SECRET = secrets.token_hex(32)


def make_storage(settings: Settings) -> Storage:
    if settings.s3_bucket:
        return S3Storage(bucket=settings.s3_bucket, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region,
                         access_key=settings.s3_access_key, secret_key=settings.s3_secret_key,
                         prefix=settings.s3_prefix)
    return FilesystemStorage(Path(settings.attachments_dir))


def upload_limits(settings: Settings) -> UploadLimits:
    return UploadLimits(max_bytes=settings.upload_max_bytes)


def url_secret(settings: Settings) -> str:
    if settings.file_url_secret:
        return settings.file_url_secret
    # One process only: links signed here are refused by another worker (set TONGXIN_FILE_URL_SECRET there).
    return _PROCESS_SECRET


def warn_about_secret(settings: Settings, workers: int) -> None:
    if workers > 1 and not settings.file_url_secret:
        print("warning: with several workers, attachment links need TONGXIN_FILE_URL_SECRET", file=sys.stderr)


class BodyLimitByType:
    """JSON requests keep `max_body_bytes`; upload requests may carry a file up to the upload limit (twice over, so
    that a file just above the limit is refused with a typed error, not a bare 413)."""

    def __init__(self, app: ASGIApp, *, json_limit: int, upload_limit: int) -> None:
        self.small = BodyLimit(app, max_body_size=json_limit)
        self.large = BodyLimit(app, max_body_size=upload_limit * 2 + 256 * 1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
            if content_type.startswith("multipart/form-data") or scope.get("path") == "/uploads":
                return await self.large(scope, receive, send)
            return await self.small(scope, receive, send)
        return await self.small(scope, receive, send)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status)


async def download(request: Request) -> Response:
    """GET /files/{id}/{original|thumbnail}?expires=&signature= — the link is the permission (signed when the
    read policy allowed it)."""
    settings: Settings = request.app.state.settings
    try:
        attachment_id = int(request.path_params["attachment_id"])
        expires = int(request.query_params.get("expires", "0"))
    except ValueError:
        return _error(404, "NOT_FOUND", "no such file")
    variant = request.path_params["variant"]
    if variant not in ("original", "thumbnail") or not valid_download(
            attachment_id=attachment_id, variant=variant, expires=expires,
            signature=request.query_params.get("signature", ""), now=datetime.now(UTC), secret=url_secret(settings)):
        return _error(403, "FORBIDDEN", "the link is invalid or expired")
    attachment = await Attachment.get_or_none(id=attachment_id)
    key = None if attachment is None else (attachment.storage_key if variant == "original" else attachment.thumbnail_key)
    if attachment is None or key is None:
        return _error(404, "NOT_FOUND", "no such file")
    data = await request.app.state.storage.get(key)
    content_type = attachment.content_type if variant == "original" else "image/jpeg"
    return Response(data, media_type=content_type, headers={
        "Content-Disposition": f"inline; filename*=UTF-8''{quote(attachment.name)}",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=300",
        "ETag": f'"{attachment.sha256}"' if variant == "original" else f'"{attachment.sha256}-thumb"',
    })


async def signed_upload(request: Request) -> Response:
    """PUT /uploads?account=&expires=&signature= with the file as the body (Content-Type, X-File-Name): for clients
    that cannot send GraphQL multipart requests; X-File-Name percent-encoded. Answers the attachment's ID to pass to a mutation."""
    settings: Settings = request.app.state.settings
    try:
        account_id = int(request.query_params.get("account", "0"))
        expires = int(request.query_params.get("expires", "0"))
    except ValueError:
        return _error(403, "FORBIDDEN", "the link is invalid or expired")
    if not valid_upload(account_id=account_id, expires=expires, signature=request.query_params.get("signature", ""),
                        now=datetime.now(UTC), secret=url_secret(settings)):
        return _error(403, "FORBIDDEN", "the link is invalid or expired")
    account = await Account.get_or_none(id=account_id, is_active=True)
    if account is None:
        return _error(403, "FORBIDDEN", "the link is invalid or expired")
    limits = upload_limits(settings)
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > limits.max_bytes:
            break  # enough to refuse it: the rest is never held
    viewer = viewer_of(account)
    # Header values are ASCII: the file name comes percent-encoded (UTF-8).
    upload = Upload(name=unquote(request.headers.get("x-file-name", "")), declared_type=request.headers.get("content-type"),
                    data=bytes(data))
    try:
        attachment = await store_upload(actor=viewer, upload=upload, storage=request.app.state.storage,
                                        limits=limits, now=datetime.now(UTC))
    except RuleViolation as refused:
        return _error(422, refused.code.value, refused.message_en)
    return JSONResponse({"id": attachment.id, "sha256": attachment.sha256, "contentType": attachment.content_type,
                         "size": attachment.size}, status_code=201)


__all__: list[Any] = ["BodyLimitByType", "download", "make_storage", "signed_upload", "upload_limits", "url_secret"]
