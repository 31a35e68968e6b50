"""What a server says about itself: its limits (GET /api/v2/instance, v1 as fallback)."""

from __future__ import annotations

from typing import Any

from palabre.channels.base import ConnectError
from palabre.channels.mastodon.client import MastodonClient, NotFound
from palabre.core.i18n import N_


def read_limits(client: MastodonClient) -> dict[str, Any]:
    """The server's limits from GET /api/v2/instance (GET /api/v1/instance if missing)."""
    try:
        data, _ = client.get("/api/v2/instance")
    except NotFound:
        data, _ = not_found_is_not_mastodon(client, client.get, "/api/v1/instance")
    if not isinstance(data, dict) or not isinstance(data.get("configuration"), dict):
        if isinstance(data, dict) and ("version" in data or "uri" in data or "domain" in data):
            return {}  # a server that says nothing of its limits: defaults apply
        raise ConnectError(
            N_("%(server)s is not a Mastodon server (or not a compatible one)."),
            server=client.server,
        )
    config = data["configuration"]
    statuses = config.get("statuses") or {}
    media = config.get("media_attachments") or {}
    found = {
        "max_characters": statuses.get("max_characters"),
        "url_length": statuses.get("characters_reserved_per_url"),
        "max_images": statuses.get("max_media_attachments"),
        "image_size_limit": media.get("image_size_limit"),
        "alt_text_limit": media.get("description_limit"),
        "image_types": [
            t for t in media.get("supported_mime_types") or [] if str(t).startswith("image/")
        ]
        or None,
    }
    return {k: v for k, v in found.items() if v is not None}


def not_found_is_not_mastodon(client: MastodonClient, call: Any, *args: Any, **kw: Any) -> Any:
    try:
        return call(*args, **kw)
    except NotFound:
        raise ConnectError(
            N_("%(server)s is not a Mastodon server (or not a compatible one)."),
            server=client.server,
        ) from None
