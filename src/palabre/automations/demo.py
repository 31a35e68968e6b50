"""The demo's robots, for ``palabre demo`` once its workspace has a feed and an agenda:
the news relay and the welcome/thank-you suggestions wait for a person, the agenda
reminders publish on their own inside the guardrails — every robot at work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from palabre.automations import runs
from palabre.automations import services as automations
from palabre.automations.models import Automation
from palabre.channels.models import Channel
from palabre.core.db import utcnow
from palabre.sources.models import Source
from palabre.team.models import User, Workspace

ROBOTS = [
    # (kind, name, mode, source kind, settings)
    ("news", "Actualités du site", "suggest", "feed", {"exclude": ["recrutement"]}),
    ("agenda", "Rappels de l'agenda", "auto", "agenda", {}),
    ("welcome", "Bienvenue aux nouveaux abonnés", "suggest", None, {}),
    ("thanks", "Merci pour vos messages", "suggest", None, {}),
]


def seed(
    session: Session,
    ws: Workspace,
    manager: User,
    sources: list[Source],
    channels: list[Channel],
    now: datetime | None = None,
) -> list[Automation]:
    """One automation of each kind the demo's sources allow, each run once."""
    made = []
    for kind, name, mode, source_kind, settings in ROBOTS:
        wanted = [s.id for s in sources if s.kind == source_kind]
        if source_kind and not wanted:
            continue
        row = automations.create_automation(
            session,
            ws,
            kind=kind,
            name=name,
            source_ids=wanted,
            channel_ids=[c.id for c in channels],
            mode=mode,
            settings=settings,
            actor=manager,
        )
        runs.run_automation(session, row, now or utcnow())
        made.append(row)
    return made
