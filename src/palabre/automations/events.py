"""When an agenda reminder is due, and until when it still makes sense."""

from __future__ import annotations

from datetime import datetime, timedelta

from palabre.automations.settings import Offset
from palabre.core.timeutil import local_to_utc, utc_to_local
from palabre.sources.models import AgendaOccurrence


def reminder_time(occ: AgendaOccurrence, offset: Offset, tz: str) -> datetime:
    """'-1d@18:00': the day before the event's local day, at 18:00 local; '-3h': three
    hours before it starts. A local time skipped by a clock change moves forward."""
    if offset.at is None:
        return occ.starts_at - offset.before
    day = utc_to_local(occ.starts_at, tz).date() + timedelta(days=offset.days)
    return local_to_utc(datetime.combine(day, offset.at), tz)


def deadline(occ: AgendaOccurrence) -> datetime:
    """A reminder after this is pointless: the start, or the end of an all-day event."""
    if occ.all_day:
        return occ.ends_at or occ.starts_at + timedelta(days=1)
    return occ.starts_at


def is_gone(occ: AgendaOccurrence | None) -> bool:
    return occ is None or occ.removed_at is not None or occ.status == "cancelled"
