"""Mutations of the notice board: uploads, publishing disclosures, reading notifications, rating one's order."""

from __future__ import annotations

from datetime import datetime, timedelta

import strawberry
from strawberry.file_uploads import Upload

from domain.accounts.rules import Role
from domain.attachments import links
from domain.attachments.service import Upload as UploadedFile
from domain.attachments.service import store_upload
from domain.complaints.rating import Rating, rate_my_complaint
from domain.disclosures.service import DisclosureDraft, publish_disclosure
from domain.notifications.service import mark_read
from schema.complaints.types import Complaint, SatisfactionLevel
from schema.core.context import Info
from schema.core.errors import UserError
from schema.core.permissions import ANYONE_SIGNED_IN, STAFF, mutation
from schema.core.relay import decode_id, decode_ids
from schema.notices.types import Attachment, Disclosure, DisclosureKind, Notification

PUBLISHERS = STAFF | {Role.FIRM_STAFF, Role.COMMITTEE_MEMBER, Role.OWNER}


@strawberry.input(description="上传附件 — a GraphQL multipart request (the file under `variables.input.file`)")
class UploadAttachmentInput:
    file: Upload


@strawberry.type
class UploadAttachmentPayload:
    attachment: Attachment | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RequestUploadUrlPayload:
    url: str | None = strawberry.field(default=None, description="PUT the file here (Content-Type, X-File-Name)")
    expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="发布信息公示；correctsId 为更正某一版本")
class PublishDisclosureInput:
    compound_id: strawberry.ID
    kind: DisclosureKind
    title: str
    period: str = strawberry.field(description="2026, 2026-03, 2026Q3 or 2026H1")
    body: str
    attachment_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    corrects_id: strawberry.ID | None = None


@strawberry.type
class PublishDisclosurePayload:
    disclosure: Disclosure | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class MarkNotificationReadInput:
    notification_id: strawberry.ID


@strawberry.type
class MarkNotificationReadPayload:
    notification: Notification | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="诉求人评价 — after the order is resolved")
class RateMyComplaintInput:
    complaint_id: strawberry.ID
    solved: bool
    satisfaction: SatisfactionLevel
    note: str = ""


@strawberry.type
class RateMyComplaintPayload:
    complaint: Complaint | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class Mutation:
    @mutation(ANYONE_SIGNED_IN, "上传附件 — checked by content, size-limited, hashed; attach it by ID afterwards")
    async def upload_attachment(self, info: Info, input: UploadAttachmentInput) -> UploadAttachmentPayload:
        files = info.context.files
        # Read one byte past the limit: enough to refuse an oversized file without holding it whole.
        data = await input.file.read(files.limits.max_bytes + 1)
        upload = UploadedFile(name=input.file.filename, declared_type=input.file.content_type, data=data)
        attachment = await store_upload(actor=info.context.viewer, upload=upload, storage=files.storage,
                                        limits=files.limits, now=info.context.now, field="file")
        return UploadAttachmentPayload(attachment=Attachment.from_model(attachment))

    @mutation(ANYONE_SIGNED_IN, "签名上传地址 — for clients that cannot send multipart requests")
    async def request_upload_url(self, info: Info) -> RequestUploadUrlPayload:
        files, now = info.context.files, info.context.now
        url = links.upload_path(account_id=info.context.viewer.account_id or 0, now=now,
                                ttl_seconds=files.ttl_seconds, secret=files.secret)
        return RequestUploadUrlPayload(url=url, expires_at=now + timedelta(seconds=files.ttl_seconds))

    @mutation(PUBLISHERS, "发布信息公示 — by the firm, the owners' committee or staff according to kind; immutable")
    async def publish_disclosure(self, info: Info, input: PublishDisclosureInput) -> PublishDisclosurePayload:
        draft = DisclosureDraft(
            compound_id=decode_id(input.compound_id, "Compound", "compoundId"), kind=input.kind, title=input.title,
            period=input.period, body=input.body,
            attachment_ids=tuple(decode_ids(list(input.attachment_ids), "Attachment", "attachmentIds")),
            corrects_id=decode_id(input.corrects_id, "Disclosure", "correctsId") if input.corrects_id else None)
        row = await publish_disclosure(actor=info.context.viewer, draft=draft, now=info.context.now)
        return PublishDisclosurePayload(disclosure=Disclosure.from_model(row))

    @mutation(ANYONE_SIGNED_IN, "标记通知已读")
    async def mark_notification_read(self, info: Info, input: MarkNotificationReadInput
                                     ) -> MarkNotificationReadPayload:
        row = await mark_read(actor=info.context.viewer, now=info.context.now,
                              notification_id=decode_id(input.notification_id, "Notification", "notificationId"))
        return MarkNotificationReadPayload(notification=Notification.from_model(row))

    @mutation(ANYONE_SIGNED_IN, "诉求人评价 — unsolved or unsatisfied reopens the order, as a staff return visit does")
    async def rate_my_complaint(self, info: Info, input: RateMyComplaintInput) -> RateMyComplaintPayload:
        rating = Rating(solved=input.solved, satisfaction=input.satisfaction, note=input.note)
        row = await rate_my_complaint(actor=info.context.viewer, rating=rating, now=info.context.now,
                                      complaint_id=decode_id(input.complaint_id, "Complaint", "complaintId"))
        return RateMyComplaintPayload(complaint=Complaint.from_model(row))
