"""Signed, expiring download links: the read policy is checked when the link is handed out (a GraphQL `url`
field); the link then lets a browser fetch the bytes without a bearer header, until it expires."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime


def _mac(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def download_signature(*, attachment_id: int, variant: str, expires: int, secret: str) -> str:
    return _mac(secret, f"download:{attachment_id}:{variant}:{expires}")


def download_path(*, attachment_id: int, variant: str, now: datetime, ttl_seconds: int, secret: str) -> str:
    expires = int(now.timestamp()) + ttl_seconds
    signature = download_signature(attachment_id=attachment_id, variant=variant, expires=expires, secret=secret)
    return f"/files/{attachment_id}/{variant}?expires={expires}&signature={signature}"


def valid_download(*, attachment_id: int, variant: str, expires: int, signature: str, now: datetime,
                   secret: str) -> bool:
    if expires < int(now.timestamp()):
        return False
    expected = download_signature(attachment_id=attachment_id, variant=variant, expires=expires, secret=secret)
    return hmac.compare_digest(expected, signature)


def upload_signature(*, account_id: int, expires: int, secret: str) -> str:
    return _mac(secret, f"upload:{account_id}:{expires}")


def upload_path(*, account_id: int, now: datetime, ttl_seconds: int, secret: str) -> str:
    """A one-file upload URL for `account_id` (clients that cannot send GraphQL multipart requests PUT to it)."""
    expires = int(now.timestamp()) + ttl_seconds
    return f"/uploads?account={account_id}&expires={expires}&signature=" + upload_signature(
        account_id=account_id, expires=expires, secret=secret)


def valid_upload(*, account_id: int, expires: int, signature: str, now: datetime, secret: str) -> bool:
    if expires < int(now.timestamp()):
        return False
    return hmac.compare_digest(upload_signature(account_id=account_id, expires=expires, secret=secret), signature)
