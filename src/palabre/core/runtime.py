"""What a running Palabre holds: settings, database, key, media folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from palabre.core.config import Settings
from palabre.core.db import Database, make_database
from palabre.core.fetch import Limits
from palabre.core.netpolicy import NetPolicy
from palabre.core.security import SecretBox, load_key


@dataclass
class Runtime:
    settings: Settings
    # "web" (serves people: connections are checked before use) or "worker" (throughput).
    role: str = "web"
    db: Database = field(init=False)

    def __post_init__(self) -> None:
        self.db = make_database(self.settings.resolved_database_url, pre_ping=self.role != "worker")

    @cached_property
    def box(self) -> SecretBox:
        return SecretBox(load_key(self.settings.key_file, self.settings.secret_key))

    @property
    def net(self) -> NetPolicy:
        """Which servers user-given addresses may point to (``PALABRE_FETCH_ALLOWLIST``)."""
        return NetPolicy.parse(self.settings.fetch_allowlist)

    @property
    def fetch_limits(self) -> Limits:
        """The guarded fetcher's caps, with the administrator's PALABRE_FETCH_PER_HOST."""
        return Limits(per_host=self.settings.fetch_per_host)

    @property
    def media_dir(self) -> Path:
        return self.settings.data_dir / "media"

    def worker_services(self) -> dict[str, object]:
        return {
            "box": self.box,
            "media_dir": self.media_dir,
            "net": self.net,
            "fetch_limits": self.fetch_limits,
        }

    def close(self) -> None:
        self.db.dispose()
