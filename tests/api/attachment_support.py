"""An app whose attachments go to a temporary directory with a small upload limit, and sample files."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from api.app import create_app
from api.settings import Settings

LIMIT = 64 * 1024
SECRET = "test-file-url-secret"


def settings_for(directory: Path) -> Settings:
    return Settings(database_url="unused", redis_url=None, attachments_dir=str(directory), upload_max_bytes=LIMIT,
                    file_url_secret=SECRET)


def app_for(directory: Path) -> Any:
    return create_app(settings_for(directory), manage_database=False)


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def png(width: int = 640, height: int = 480) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf(size: int = 2000) -> bytes:
    body = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    return body + b"%" * max(0, size - len(body) - 6) + b"\n%%EOF"


def stored_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file()) if directory.exists() else []
