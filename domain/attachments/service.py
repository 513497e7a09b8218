"""Storing an upload (checked, hashed, thumbnailed) and attaching uploads to the record they document."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.accounts.rules import Viewer
from domain.attachments import links
from domain.attachments.images import inspect_image
from domain.attachments.models import Attachment
from domain.attachments.rules import IMAGE_TYPES, OwnerKind, UploadLimits, check_upload, safe_name
from domain.attachments.storage import Storage
from domain.audit.service import record_event
from domain.errors import ErrorCode, RuleViolation
from domain.transaction import atomic


@dataclass(frozen=True)
class Upload:
    """What the client sent: its file name and label (for display and cross-checking only) and the bytes read,
    at most `limits.max_bytes + 1` of them (so that an oversized file is never held whole)."""

    name: str | None
    declared_type: str | None
    data: bytes


async def store_upload(*, actor: Viewer, upload: Upload, storage: Storage, limits: UploadLimits, now: datetime,
                       field: str = "file") -> Attachment:
    """Refuses before writing anything (so a refused upload leaves no file); removes what it wrote if the
    database write fails."""
    if not actor.is_authenticated:
        raise RuleViolation(ErrorCode.FORBIDDEN, "请先登录", field, en="Sign in first")
    content_type = check_upload(size=len(upload.data), declared_type=upload.declared_type, head=upload.data[:16],
                                limits=limits, field=field)
    inspected = inspect_image(upload.data, thumbnail_px=limits.thumbnail_px, field=field) \
        if content_type in IMAGE_TYPES else None
    digest = hashlib.sha256(upload.data).hexdigest()
    key = f"{now:%Y/%m}/{uuid.uuid4().hex}"
    written: list[str] = []
    try:
        await storage.put(key, upload.data, content_type)
        written.append(key)
        if inspected is not None:
            await storage.put(f"{key}.thumb.jpg", inspected.thumbnail, "image/jpeg")
            written.append(f"{key}.thumb.jpg")
        async with atomic():
            attachment = await Attachment.create(
                name=safe_name(upload.name), content_type=content_type, size=len(upload.data), sha256=digest,
                storage_key=key, thumbnail_key=f"{key}.thumb.jpg" if inspected else None,
                width=inspected.width if inspected else None, height=inspected.height if inspected else None,
                uploaded_by_id=actor.account_id, created_at=now,
            )
            await record_event(actor=actor, action="uploadAttachment", entity_type="Attachment",
                               entity_id=attachment.id, summary=f"上传附件 {attachment.name}（SHA-256 {digest}）",
                               now=now)
    except BaseException:
        for stored in written:
            await storage.delete(stored)
        raise
    return attachment


async def attach(*, actor: Viewer, attachment_ids: Sequence[int], owner_kind: OwnerKind, owner_id: int,
                 now: datetime, field: str = "attachmentIds") -> list[Attachment]:
    """Inside the owner's use case: binds the viewer's own unattached uploads to the record (once, for good)."""
    if not attachment_ids:
        return []
    ids = list(dict.fromkeys(attachment_ids))
    changed = await Attachment.filter(id__in=ids, uploaded_by_id=actor.account_id, owner_kind__isnull=True).update(
        owner_kind=owner_kind, owner_id=owner_id, attached_at=now)
    if changed != len(ids):
        raise RuleViolation(ErrorCode.NOT_FOUND, "附件不存在、不是本人上传或已被使用", field,
                            en="An attachment does not exist, was uploaded by someone else or is already used")
    return list(await Attachment.filter(id__in=ids).order_by("id"))


async def issue_upload_url(*, actor: Viewer, now: datetime, ttl_seconds: int, secret: str) -> str:
    """A signed one-file upload URL for the caller; handing out the capability is audited like the upload."""
    if not actor.is_authenticated or actor.account_id is None:
        raise RuleViolation(ErrorCode.FORBIDDEN, "请先登录", None, en="Sign in first")
    url = links.upload_path(account_id=actor.account_id, now=now, ttl_seconds=ttl_seconds, secret=secret)
    async with atomic():
        await record_event(actor=actor, action="requestUploadUrl", entity_type="Account", entity_id=actor.account_id,
                           summary=f"签发上传地址（{ttl_seconds} 秒内有效）", now=now)
    return url


def fingerprints(attachments: Sequence[Attachment]) -> list[dict[str, str | int]]:
    """What a record's content hash covers of its attachments: name, type, size and SHA-256, in id order."""
    return [{"id": a.id, "name": a.name, "contentType": a.content_type, "size": a.size, "sha256": a.sha256}
            for a in sorted(attachments, key=lambda a: a.id)]


@dataclass(frozen=True)
class FileSettings:
    """What the API layer hands resolvers for files: where they go, the limits and the link signing."""

    storage: Storage
    limits: UploadLimits
    secret: str
    ttl_seconds: int = 600
