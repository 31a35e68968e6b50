"""The demo workspace's sources: a museum's news feed and agenda, and a regional heritage
news feed, written for Palabre (``palabre/demo_data``), added as uploaded files so the demo
needs no network.

The files were written for the week of ``WRITTEN`` (21 November 2026). So that the demo is
alive whenever it is loaded, its dates are moved to the moment of loading: a feed's items
so that the newest is ``NEWEST_AGO`` old (the intervals between items kept), the agenda by
whole weeks (weekdays, local times and recurrence rules kept), so that it always has
coming events.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

from sqlalchemy.orm import Session

from palabre.core.db import utcnow
from palabre.sources import services
from palabre.sources.models import Source
from palabre.team.models import User, Workspace

DATA = Path(__file__).resolve().parent.parent / "demo_data"
WRITTEN = date(2026, 11, 21)
NEWEST_AGO = timedelta(hours=3)
# (kind, file, name, items new at the first fetch, curation weight)
DEMO_SOURCES = (
    ("feed", "news.xml", "Actualités du musée", 1, 1.0),
    ("agenda", "agenda.ics", "Agenda du musée", 1, 1.0),
    ("feed", "patrimoine.xml", "Patrimoine en Val-de-Lys", 4, 0.8),
)
RSS_DATE = re.compile(rb"<(pubDate|lastBuildDate)>([^<]+)</\1>")
ICS_TIME = re.compile(r"(?<![0-9])(\d{8})(?:T(\d{6})(Z?))?(?![0-9])")
ICS_DATED = ("DTSTART", "DTEND", "RRULE", "EXDATE", "RDATE", "RECURRENCE-ID")


def add_demo_sources(
    session: Session, workspace: Workspace, actor: User, now: datetime | None = None
) -> list[Source]:
    now = now or utcnow()
    added = []
    for kind, file_name, name, keep, weight in DEMO_SOURCES:
        content = (DATA / file_name).read_bytes()
        content = recent_feed(content, now) if kind == "feed" else coming_agenda(content, now)
        probe = services.probe_file(kind, content, file_name, workspace.timezone, now)
        source = services.create_source(
            session, workspace, probe=probe, name=name, actor=actor, first_fetch_keep=keep, now=now
        )
        source.weight = weight
        added.append(source)
    return added


def recent_feed(content: bytes, now: datetime) -> bytes:
    """The RSS feed with every date moved so that its newest item is ``NEWEST_AGO`` old."""
    dates = [parsedate_to_datetime(m[2].decode()) for m in RSS_DATE.finditer(content)]
    if not dates:
        return content
    shift = now - NEWEST_AGO - max(dates)

    def moved(match: re.Match[bytes]) -> bytes:
        when = parsedate_to_datetime(match[2].decode()) + shift
        return b"<%s>%s</%s>" % (match[1], format_datetime(when.astimezone(UTC)).encode(), match[1])

    return RSS_DATE.sub(moved, content)


def coming_agenda(content: bytes, now: datetime) -> bytes:
    """The agenda moved by as many whole weeks as ``now`` is after ``WRITTEN``: its events'
    dates (not its time zones' rules) move, their weekdays and local times stay."""
    shift = timedelta(weeks=(now.date() - WRITTEN).days // 7)
    if not shift:
        return content
    lines, inside = [], False
    for line in content.decode("utf-8").split("\r\n"):
        if line in ("BEGIN:VEVENT", "END:VEVENT"):
            inside = line == "BEGIN:VEVENT"
        elif inside and line.split(";", 1)[0].split(":", 1)[0] in ICS_DATED:
            head, _, value = line.partition(":")
            line = f"{head}:{ICS_TIME.sub(lambda m: _moved(m, shift), value)}"
        lines.append(line)
    return "\r\n".join(lines).encode("utf-8")


def _moved(match: re.Match[str], shift: timedelta) -> str:
    day, clock, zulu = match[1], match[2], match[3] or ""
    if clock is None:
        return (datetime.strptime(day, "%Y%m%d") + shift).strftime("%Y%m%d")
    when = datetime.strptime(day + clock, "%Y%m%d%H%M%S") + shift
    return when.strftime("%Y%m%dT%H%M%S") + zulu
