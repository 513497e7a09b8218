"""The two storage backends against real endpoints: a directory, and an S3-compatible server on a loopback port
that verifies each request's AWS Signature V4 independently of boto3."""

from __future__ import annotations

import pytest

from domain.attachments.storage import FilesystemStorage, S3Storage
from tests.s3_stub import s3_server


async def test_the_filesystem_backend_round_trips_and_deletes(tmp_path):
    storage = FilesystemStorage(tmp_path)

    await storage.put("2026/11/abc", b"%PDF-1.7 body", "application/pdf")
    stored = await storage.get("2026/11/abc")
    present = await storage.exists("2026/11/abc")
    await storage.delete("2026/11/abc")

    assert (stored, present) == (b"%PDF-1.7 body", True)
    assert not await storage.exists("2026/11/abc")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # no temporary file left either


async def test_the_filesystem_backend_refuses_a_key_outside_its_root(tmp_path):
    with pytest.raises(ValueError):
        await FilesystemStorage(tmp_path / "files").put("../escape", b"x", "text/plain")

    assert not (tmp_path / "escape").exists()


async def test_the_s3_backend_signs_every_request_correctly():
    with s3_server() as server:
        storage = S3Storage(bucket="tongxin", endpoint_url=server.url, access_key=server.access_key,
                            secret_key=server.secret_key, prefix="attachments/")

        await storage.put("2026/11/abc", b"\x89PNG\r\n\x1a\n-bytes", "image/png")
        stored = await storage.get("2026/11/abc")
        present = await storage.exists("2026/11/abc")
        await storage.delete("2026/11/abc")
        gone = not await storage.exists("2026/11/abc")

    assert server.refused == []
    assert server.verified == 5
    assert (stored, present, gone) == (b"\x89PNG\r\n\x1a\n-bytes", True, True)


async def test_the_s3_stub_refuses_a_wrong_secret_so_the_check_above_means_something():
    from botocore.exceptions import ClientError

    with s3_server() as server:
        storage = S3Storage(bucket="tongxin", endpoint_url=server.url, access_key=server.access_key,
                            secret_key="not-the-secret")
        with pytest.raises(ClientError):
            await storage.put("k", b"data", "application/pdf")

    assert server.refused and server.refused[0] == "signature mismatch"
    assert server.objects == {}
