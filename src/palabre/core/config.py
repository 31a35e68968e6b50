"""Settings read from the environment (PALABRE_*) with sensible embedded defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

FETCH_PER_HOST = (1, 16)


class SettingsError(ValueError):
    """A PALABRE_* variable Palabre cannot use: ``str(error)`` says which and why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PALABRE_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite file and keys live")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite by default")
    secret_key: str | None = Field(default=None, description="Overrides the key file if set")
    fetch_allowlist: str = Field(default="", description="Comma-separated hosts/networks")
    # Requests at a time to one host, by the sources' worker ("refresh now" and adding a
    # source too): 2 is polite; a server of one's own may take more.
    fetch_per_host: int = Field(default=2, description="Concurrent requests to one host")
    default_language: str = "fr"
    default_timezone: str = "Europe/Paris"
    session_days: int = 14
    secure_cookies: bool = False
    # Failed sign-ins allowed per email in the throttle window before a wait is imposed.
    signin_max_failures: int = 5
    signin_window_seconds: int = 900
    # Read by each process of `palabre serve --processes N` (the command sets it).
    worker_in_process: bool = True
    log_level: str = "INFO"
    debug: bool = Field(default=False, description="Re-read templates on each render")
    # How often an open conversation asks who else has it open (tests shorten it).
    inbox_presence_seconds: int = Field(
        default=20, ge=1, le=600, description="Seconds between two presence checks"
    )

    @field_validator("fetch_per_host", mode="before")
    @classmethod
    def _per_host(cls, value: object) -> int:
        low, high = FETCH_PER_HOST
        text = str(value).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(
                f"PALABRE_FETCH_PER_HOST must be a whole number from {low} to {high} "
                f"(requests at a time to one host); it is {text!r}."
            )
        return int(text)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return normalise_database_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'palabre.sqlite3').resolve()}"

    @property
    def key_file(self) -> Path:
        return self.data_dir / "secret.key"


def normalise_database_url(url: str) -> str:
    """Accept plain postgres:// URLs and pick the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings() -> Settings:
    """The settings from the environment; ``SettingsError`` names each variable that is
    wrong, in plain words, instead of a validation traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(_plain(exc)) from None


def _plain(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors():
        name = "PALABRE_" + "_".join(str(part) for part in error["loc"]).upper()
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(message if message.startswith(name) else f"{name}: {message}.")
    return "Palabre cannot start: " + " ".join(lines)


@lru_cache
def get_settings() -> Settings:
    return load_settings()
