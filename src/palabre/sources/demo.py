"""The demo workspace's sources: a museum's news feed and agenda written for Palabre
(``palabre/demo_data``), added as uploaded files so the demo needs no network."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from palabre.sources import services
from palabre.sources.models import Source
from palabre.team.models import User, Workspace

DATA = Path(__file__).resolve().parent.parent / "demo_data"
DEMO_SOURCES = (
    ("feed", "news.xml", "Actualités du musée"),
    ("agenda", "agenda.ics", "Agenda du musée"),
)


def add_demo_sources(
    session: Session, workspace: Workspace, actor: User, now: datetime | None = None
) -> list[Source]:
    added = []
    for kind, file_name, name in DEMO_SOURCES:
        content = (DATA / file_name).read_bytes()
        probe = services.probe_file(kind, content, file_name, workspace.timezone, now)
        added.append(
            services.create_source(session, workspace, probe=probe, name=name, actor=actor, now=now)
        )
    return added
