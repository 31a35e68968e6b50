"""The composer's form: reading what was typed, checking it, keeping it for a re-display."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from palabre.channels.base import Capabilities
from palabre.channels.models import Channel
from palabre.channels.services import capabilities, list_channels
from palabre.core.errors import FieldErrors, Invalid
from palabre.core.params import whole
from palabre.core.timeutil import parse_local, utc_to_local
from palabre.publishing import media
from palabre.publishing.models import Post
from palabre.publishing.services import NewImage
from palabre.publishing.validation import Draft, check

IMAGE_SLOTS = 4
ACTIONS = ("draft", "submit", "schedule", "keep")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


@dataclass
class Upload:
    slot: int
    filename: str
    data: bytes
    alt_text: str


@dataclass
class ComposeForm:
    """Everything the person typed, as typed: a refused form is shown again with it."""

    text: str = ""
    # Follow-up posts typed in one box, separated by a line with only "---".
    thread: str = ""
    content_warning: str = ""
    channel_ids: list[int] = field(default_factory=list)
    variants: dict[int, str] = field(default_factory=dict)
    scheduled_at: str = ""  # the local 'YYYY-MM-DDTHH:MM' of the datetime-local input
    alt_texts: list[str] = field(default_factory=lambda: [""] * IMAGE_SLOTS)
    action: str = "draft"
    version: int | None = None
    uploads: list[Upload] = field(default_factory=list)
    errors: FieldErrors = field(default_factory=FieldErrors)

    @classmethod
    def from_post(cls, post: Post, tz: str) -> ComposeForm:
        local = utc_to_local(post.scheduled_at, tz) if post.scheduled_at else None
        return cls(
            text=post.text,
            thread=THREAD_SEPARATOR.join(post.thread or []),
            content_warning=post.content_warning or "",
            channel_ids=[v.channel_id for v in post.variants],
            variants={v.channel_id: v.text for v in post.variants if v.text},
            scheduled_at=local.strftime(LOCAL_FORMAT) if local else "",
            version=post.version,
        )

    @classmethod
    def read(cls, form: FormData) -> ComposeForm:
        self = cls(text=_str(form, "text").replace("\r\n", "\n"))
        self.thread = _str(form, "thread").replace("\r\n", "\n")
        self.content_warning = _str(form, "content_warning").strip()
        self.action = _str(form, "action") or "draft"
        if self.action not in ACTIONS:
            self.errors.add("action", "Unknown action.")
        self._read_channels(form)
        self.scheduled_at = _str(form, "scheduled_at").strip()
        with contextlib.suppress(ValueError):
            self.version = int(_str(form, "version"))
        self.alt_texts = [_str(form, f"alt_{i}").strip() for i in range(IMAGE_SLOTS)]
        self._read_uploads(form)
        return self

    def _read_channels(self, form: FormData) -> None:
        bad = []
        for raw in form.getlist("channels"):
            try:
                cid = int(str(raw))
            except ValueError:
                bad.append(str(raw))
                continue
            if cid not in self.channel_ids:
                self.channel_ids.append(cid)
        if bad:
            self.errors.add("channels", "Unknown channel: %(ids)s", ids=", ".join(bad))
        for key in form:
            if key.startswith("variant_") and (channel_id := whole(key[8:])) is not None:
                value = _str(form, key).replace("\r\n", "\n")
                if value.strip():
                    self.variants[channel_id] = value

    def _read_uploads(self, form: FormData) -> None:
        for slot in range(IMAGE_SLOTS):
            upload = form.get(f"image_{slot}")
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            data = upload.file.read()
            self.uploads.append(Upload(slot, upload.filename[:255], data, self.alt_texts[slot]))
            if not self.alt_texts[slot]:
                self.errors.add(
                    f"alt_{slot}", "Describe this image (alternative text is required)."
                )

    def when(self, tz: str) -> datetime | None:
        if not self.scheduled_at:
            return None
        try:
            return parse_local(self.scheduled_at, tz)
        except ValueError:
            self.errors.add(
                "scheduled_at", "Enter a date and a time, for example 29/03/2026 10:00."
            )
            return None

    def draft(self, tz: str) -> Draft:
        return Draft(
            text=self.text,
            channel_ids=list(self.channel_ids),
            variants={c: t for c, t in self.variants.items() if c in self.channel_ids},
            scheduled_at=self.when(tz),
            alt_texts=[u.alt_text for u in self.uploads],
            image_files=[
                (kind[0], len(u.data))
                for u in self.uploads
                if (kind := media.sniff(u.data)) is not None
            ],
            thread=split_thread(self.thread),
            content_warning=self.content_warning,
        )

    def _image_files(self) -> list[tuple[str, int]]:
        """(type, size) of each upload, in order — none if one is not an image (refused
        when stored, with its own message)."""
        kinds = [media.sniff(u.data) for u in self.uploads]
        if any(k is None for k in kinds):
            return []
        return [(k[0], len(u.data)) for k, u in zip(kinds, self.uploads, strict=True) if k]

    def validate(self, session: Session, workspace_id: int, draft: Draft, intent: str) -> None:
        """Every reason this form is refused, collected at once (with image slots)."""
        found = check(session, workspace_id, draft, for_schedule=intent != "draft")
        self.absorb(found.errors)

    def absorb(self, errors: dict[str, tuple[str, dict[str, Any]]]) -> None:
        """Add a service's errors, naming image fields by their slot in the form."""
        for name, (message, params) in errors.items():
            index = whole(name[4:]) if name.startswith("alt_") else None
            if index is not None and index < len(self.uploads):
                name = f"alt_{self.uploads[index].slot}"
            self.errors.add(name, message, **params)

    def store_images(self, media_dir: Path) -> list[NewImage]:
        """Save the uploaded images; if one is refused, none is kept."""
        stored: list[NewImage] = []
        try:
            for upload in self.uploads:
                name, content_type = media.store_image(
                    media_dir, upload.data, f"image_{upload.slot}"
                )
                stored.append(
                    NewImage(upload.filename, name, content_type, len(upload.data), upload.alt_text)
                )
        except Invalid as exc:
            remove_images(media_dir, stored)
            self.absorb(exc.errors)
        return stored


def remove_images(media_dir: Path, images: list[NewImage]) -> None:
    for image in images:
        (media_dir / image.stored_name).unlink(missing_ok=True)


THREAD_SEPARATOR = "\n---\n"


def split_thread(typed: str) -> list[str]:
    """The follow-up posts typed in one box: parts separated by a line with only ---."""
    parts: list[list[str]] = [[]]
    for line in typed.split("\n"):
        if line.strip() == "---":
            parts.append([])
        else:
            parts[-1].append(line)
    return [text for text in ("\n".join(p).strip() for p in parts) if text]


def _str(form: FormData, key: str) -> str:
    value = form.get(key)
    return value if isinstance(value, str) else ""


@dataclass
class ChannelChoice:
    channel: Channel
    caps: Capabilities


def channel_choices(session: Session, workspace_id: int) -> list[ChannelChoice]:
    return [ChannelChoice(c, capabilities(c)) for c in list_channels(session, workspace_id)]
