"""Decoding an uploaded image (a forged header fails here) and its thumbnail, with Pillow."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

from domain.errors import ErrorCode, RuleViolation

# Decompression bombs: a small file that decodes to gigapixels. 40 MP covers any phone photo.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Inspected:
    width: int
    height: int
    thumbnail: bytes  # JPEG


def inspect_image(data: bytes, *, thumbnail_px: int, field: str = "file") -> Inspected:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise RuleViolation(ErrorCode.UPLOAD_TOO_LARGE, "图片像素过多", field, en="The image has too many pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((thumbnail_px, thumbnail_px))
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=80)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise RuleViolation(ErrorCode.UPLOAD_TYPE_MISMATCH, "图片文件已损坏或不是图片", field,
                            en=f"The image cannot be decoded: {type(exc).__name__}") from exc
    return Inspected(width, height, out.getvalue())
