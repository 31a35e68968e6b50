"""The demo's robots, for ``palabre demo`` once its workspace has its feeds and agenda:
the news relay, the curation of the heritage news and the welcome/thank-you suggestions
wait for a person, the agenda reminders publish on their own inside the guardrails —
every robot at work.

So that welcome and thank-you have something to answer, the demo's channels receive a few
followers, mentions, reposts and replies (``demo_data/notifications.json``), stored like
any channel's notifications: the inbox threads the replies into conversations."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from palabre.automations import runs
from palabre.automations import services as automations
from palabre.automations.models import Automation
from palabre.channels.base import Account, NotificationKind, RemoteRef
from palabre.channels.base import Notification as Incoming
from palabre.channels.models import Channel
from palabre.core.db import utcnow
from palabre.inbox.ingest import store_notifications
from palabre.sources.demo import DATA
from palabre.sources.models import Source
from palabre.team.models import User, Workspace

CURATION: dict[str, Any] = {
    "keywords": ["patrimoine", "musée", "musées", "monument", "archives"],
    "per_day": 3,
    "pick_at": "00:00",  # the demo's best are picked at once, whatever the hour
}
ROBOTS: list[tuple[str, str, str, str | None, dict[str, Any]]] = [
    # (kind, name, mode, source kind, settings)
    ("news", "Actualités du site", "suggest", "feed", {"exclude": ["recrutement"]}),
    ("agenda", "Rappels de l'agenda", "auto", "agenda", {}),
    ("curation", "Veille patrimoine et musées", "suggest", "feed", CURATION),
    ("welcome", "Bienvenue aux nouveaux abonnés", "suggest", None, {}),
    ("thanks", "Merci pour vos messages", "suggest", None, {}),
]
# The news relay reads the museum's own feed; curation reads every feed.
OWN_FEED = "news.xml"


def seed(
    session: Session,
    ws: Workspace,
    manager: User,
    sources: list[Source],
    channels: list[Channel],
    now: datetime | None = None,
) -> list[Automation]:
    """One automation of each kind the demo's sources allow; the channels' notifications;
    then each automation run once."""
    now = now or utcnow()
    made = []
    for kind, name, mode, source_kind, settings in ROBOTS:
        wanted = _sources_for(kind, source_kind, sources)
        if source_kind and not wanted:
            continue
        made.append(
            automations.create_automation(
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
        )
    session.flush()
    add_notifications(session, ws, channels, now)
    for row in made:
        runs.run_automation(session, row, now)
    return made


def _sources_for(kind: str, source_kind: str | None, sources: list[Source]) -> list[int]:
    of_kind = [s for s in sources if s.kind == source_kind]
    if kind == "news" and len(of_kind) > 1:
        own = [s for s in of_kind if s.file_name == OWN_FEED]
        of_kind = own or of_kind[:1]
    return [s.id for s in of_kind]


def add_notifications(
    session: Session, ws: Workspace, channels: list[Channel], now: datetime
) -> int:
    """The demo's followers, mentions, reposts and replies, on its channels."""
    data = json.loads((DATA / "notifications.json").read_text("utf-8"))["notifications"]
    stored = 0
    for index, channel in enumerate(channels):
        items = [_incoming(n, now) for n in data if n["channel"] == index]
        stored += store_notifications(session.connection(), ws.id, channel.id, items)
    return stored


def _incoming(n: dict[str, Any], now: datetime) -> Incoming:
    handle = n["handle"]
    parent = RemoteRef(f"demo-{n['parent']}") if n.get("parent") else None
    return Incoming(
        remote_id=f"demo-{n['id']}",
        kind=NotificationKind(n["kind"]),
        created_at=now - timedelta(minutes=n["ago"]),
        author=Account(id=f"demo-{handle}", handle=handle, display_name=n["name"]),
        text=n.get("text", ""),
        post=RemoteRef(f"demo-{n['id']}") if n.get("text") else None,
        subject=RemoteRef(f"demo-{n['subject']}") if n.get("subject") else parent,
        parent=parent,
        language="fr" if n.get("text") else None,
    )
