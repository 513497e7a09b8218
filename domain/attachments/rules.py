"""What may be uploaded: size and type limits, and the type read from the content (never the client's word).
Pure: bytes in, decisions out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import ErrorCode, RuleViolation


class OwnerKind(StrEnum):
    """What an attachment belongs to; its read policy is that owner's."""

    DISCLOSURE = "DISCLOSURE"
    COMPLAINT = "COMPLAINT"
    BALLOT = "BALLOT"
    MINUTES = "MINUTES"
    INSPECTION = "INSPECTION"


IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
DOCUMENT_TYPES = frozenset({"application/pdf"})

# Magic numbers of the allowed types (each format's specification: JFIF/EXIF SOI, PNG signature, RIFF/WEBP, %PDF).
_SIGNATURES: tuple[tuple[bytes, int, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"%PDF-", 0, "application/pdf"),
)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 10 * 1024 * 1024
    allowed_types: frozenset[str] = IMAGE_TYPES | DOCUMENT_TYPES
    thumbnail_px: int = 320


def sniff(head: bytes) -> str | None:
    """The content type the bytes themselves declare, among the allowed formats; None if unrecognised."""
    for signature, offset, content_type in _SIGNATURES:
        if head[offset:offset + len(signature)] == signature:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _normalise(declared: str | None) -> str:
    value = (declared or "").split(";", 1)[0].strip().lower()
    return "image/jpeg" if value == "image/jpg" else value


def check_upload(*, size: int, declared_type: str | None, head: bytes, limits: UploadLimits,
                 field: str = "file") -> str:
    """The stored content type, or a typed refusal: too large, a type not allowed, or a label that lies."""
    if size > limits.max_bytes:
        raise RuleViolation(ErrorCode.UPLOAD_TOO_LARGE, f"文件超过 {limits.max_bytes // (1024 * 1024)} MB 上限",
                            field, en=f"The file exceeds the {limits.max_bytes} byte limit")
    if size == 0:
        raise RuleViolation(ErrorCode.UPLOAD_TYPE_NOT_ALLOWED, "文件为空", field, en="The file is empty")
    sniffed = sniff(head)
    if sniffed is None or sniffed not in limits.allowed_types:
        raise RuleViolation(ErrorCode.UPLOAD_TYPE_NOT_ALLOWED, "只接受 JPEG、PNG、WebP 图片和 PDF 文件", field,
                            en="Only JPEG, PNG and WebP images and PDF documents are accepted")
    declared = _normalise(declared_type)
    if declared and declared != "application/octet-stream" and declared != sniffed:
        raise RuleViolation(ErrorCode.UPLOAD_TYPE_MISMATCH, f"文件内容是 {sniffed}，与声明的 {declared} 不符", field,
                            en=f"The content is {sniffed}, not the declared {declared}")
    return sniffed


def safe_name(name: str | None) -> str:
    """The client's file name for display only: no path, no control characters, bounded."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:200] or "attachment"
