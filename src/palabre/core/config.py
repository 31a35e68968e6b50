"""Settings read from the environment (PALABRE_*) with sensible embedded defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PALABRE_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where the SQLite file and keys live")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite by default")
    secret_key: str | None = Field(default=None, description="Overrides the key file if set")
    fetch_allowlist: str = Field(default="", description="Comma-separated hosts/networks")
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


@lru_cache
def get_settings() -> Settings:
    return Settings()
