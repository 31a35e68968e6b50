"""A Mastodon channel's settings: what the person gives, and the limits learnt from the
server (marked ``json_schema_extra={"form": False}``: filled by ``server_settings()``, not
shown as form inputs)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy, URLRefused

FROM_SERVER: dict[str, Any] = {"form": False}


class MastodonSettings(BaseModel):
    instance: str = Field(
        title=N_("Server address"),
        description=N_("The address of your Mastodon server, e.g. https://mastodon.social"),
        min_length=3,
        max_length=300,
    )
    access_token: SecretStr = Field(
        title=N_("Access token"),
        description=N_(
            "Filled in when you connect with the server; or paste a token made in the "
            "server's Preferences › Development (scopes read and write)"
        ),
    )
    visibility: Literal["public", "unlisted", "private"] = Field(
        default="public",
        title=N_("Visibility"),
        description=N_("Who sees the posts: public, unlisted (quiet public) or followers only"),
    )
    language: str | None = Field(
        default=None,
        pattern=r"^[a-z]{2,3}$",
        title=N_("Language"),
        description=N_("Two-letter language code of the posts, e.g. fr (optional)"),
    )
    # Learnt from the server (GET /api/v2/instance), never typed by a person.
    max_characters: int | None = Field(default=None, json_schema_extra=FROM_SERVER)
    url_length: int | None = Field(default=None, json_schema_extra=FROM_SERVER)
    max_images: int | None = Field(default=None, json_schema_extra=FROM_SERVER)
    image_size_limit: int | None = Field(default=None, json_schema_extra=FROM_SERVER)
    alt_text_limit: int | None = Field(default=None, json_schema_extra=FROM_SERVER)
    image_types: list[str] | None = Field(default=None, json_schema_extra=FROM_SERVER)

    @field_validator("instance")
    @classmethod
    def _checked_address(cls, value: str, info: ValidationInfo) -> str:
        net = (info.context or {}).get("net")
        if isinstance(net, NetPolicy):
            try:
                return net.check_url(value)
            except URLRefused as exc:
                raise PydanticCustomError("url_refused", exc.message % exc.params) from None
        value = value.strip().rstrip("/")
        return value if "://" in value else f"https://{value}"
