"""Where attachment bytes live, behind one interface: a directory (default, under var/) or an S3-compatible bucket.
Built from plain values (api/settings.py chooses), so this module reads no environment."""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol


class Storage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...


@dataclass
class FilesystemStorage:
    """Files under `root`; written to a temporary name and renamed, so a crash never leaves half a file."""

    root: Path

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        await asyncio.to_thread(self._write, path, data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def get(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, True)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._path(key).is_file)


@dataclass
class S3Storage:
    """An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, OSS/COS in S3 mode) through boto3, off the event loop."""

    bucket: str
    endpoint_url: str | None = None
    region: str = "us-east-1"
    access_key: str | None = None
    secret_key: str | None = None
    prefix: str = ""
    _client: Any = field(default=None, repr=False)

    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            self._client = boto3.client(
                "s3", endpoint_url=self.endpoint_url, region_name=self.region, aws_access_key_id=self.access_key,
                aws_secret_access_key=self.secret_key,
                # Path-style works with every S3-compatible server; virtual hosts need DNS per bucket.
                config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                              retries={"max_attempts": 3, "mode": "standard"}),
            )
        return self._client

    def _key(self, key: str) -> str:
        return f"{self.prefix}{key}"

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self.client().put_object, Bucket=self.bucket, Key=self._key(key), Body=data,
                                ContentType=content_type)

    async def get(self, key: str) -> bytes:
        response = await asyncio.to_thread(self.client().get_object, Bucket=self.bucket, Key=self._key(key))
        return await asyncio.to_thread(response["Body"].read)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.client().delete_object, Bucket=self.bucket, Key=self._key(key))

    async def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            await asyncio.to_thread(self.client().head_object, Bucket=self.bucket, Key=self._key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True
