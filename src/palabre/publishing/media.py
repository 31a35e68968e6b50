"""Images attached to posts: checked by their bytes, stored under the data directory."""

from __future__ import annotations

import secrets
from pathlib import Path

from palabre.core.errors import Invalid
from palabre.core.i18n import N_

MAX_IMAGE_BYTES = 10 * 1024 * 1024
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
    b"GIF87a": ("image/gif", "gif"),
    b"GIF89a": ("image/gif", "gif"),
}


def sniff(data: bytes) -> tuple[str, str] | None:
    for magic, kind in SIGNATURES.items():
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("image/webp", "webp")
    return None


def store_image(media_dir: Path, data: bytes, field: str) -> tuple[str, str]:
    """Save the bytes; return (stored file name, content type)."""
    if not data:
        raise Invalid({field: (N_("This file is empty."), {})})
    if len(data) > MAX_IMAGE_BYTES:
        limit = {"mb": MAX_IMAGE_BYTES >> 20}
        raise Invalid({field: (N_("Images are limited to %(mb)s MB."), limit)})
    kind = sniff(data)
    if kind is None:
        raise Invalid({field: (N_("Only PNG, JPEG, GIF and WebP images are accepted."), {})})
    content_type, ext = kind
    media_dir.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{ext}"
    (media_dir / name).write_bytes(data)
    return name, content_type
