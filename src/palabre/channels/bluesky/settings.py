"""The settings of a Bluesky channel (also its settings form)."""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr, ValidationInfo, field_validator

from palabre.core.i18n import N_
from palabre.core.netpolicy import NetPolicy, URLRefused

HELP = (
    N_(
        "Palabre signs in to Bluesky with an app password: a password made for one app, "
        "which you can revoke at any time without changing your own."
    ),
    N_(
        "Create one in Bluesky: Settings → Privacy and security → App passwords → Add App "
        'Password. Leave "Allow access to your direct messages" unticked.'
    ),
    N_("Never give Palabre your account's main password: it would be refused."),
)


class BlueskySettings(BaseModel):
    service: str = Field(
        default="https://bsky.social",
        title=N_("Server"),
        description=N_("Your account's server (PDS); https://bsky.social for most accounts"),
    )
    handle: str = Field(
        min_length=3,
        max_length=253,
        title=N_("Handle"),
        description=N_("Your Bluesky handle, such as musee-valcourt.bsky.social (without @)"),
    )
    app_password: SecretStr = Field(
        title=N_("App password"),
        description=N_("An app password made for Palabre (xxxx-xxxx-xxxx-xxxx)"),
    )

    @field_validator("service")
    @classmethod
    def _allowed_server(cls, value: str, info: ValidationInfo) -> str:
        net = (info.context or {}).get("net")
        if isinstance(net, NetPolicy):
            try:
                return net.check_url(value)
            except URLRefused as e:
                raise ValueError(e.message % e.params if e.params else e.message) from e
        return value.strip().rstrip("/")

    @field_validator("handle")
    @classmethod
    def _tidy_handle(cls, value: str) -> str:
        return value.strip().removeprefix("@").lower()
