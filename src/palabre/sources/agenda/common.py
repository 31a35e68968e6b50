"""What both agenda paths do the same way: UTC times, keys, texts, the window test."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from palabre.core.i18n import N_
from palabre.core.timeutil import local_to_utc
from palabre.sources.parsed import Occurrence, SourceFormatError
from palabre.sources.text import html_to_text

NOT_ICS = N_("This file is not an iCalendar agenda (.ics).")
DAMAGED = N_("The agenda file is damaged and could not be read.")
WEB_PAGE = N_("This is a web page, not an agenda.")
STATUSES = {"CONFIRMED": "confirmed", "TENTATIVE": "tentative", "CANCELLED": "cancelled"}
HTML_RE = re.compile(r"<(?:p|br|div|a|b|i|em|strong|ul|ol|li|span|h\d)\b", re.IGNORECASE)
BLANK_LINES_RE = re.compile(r"\n{3,}")
# Events are looked for a day beyond each side of the window: floating and all-day times
# are only placed in UTC once their zone is known.
MARGIN = timedelta(days=1)
# An agenda's event happens at most every hour: a rule that repeats more often in a day
# ("FREQ=MINUTELY", "FREQ=DAILY;BYMINUTE=0,1,…,59") is no event a person goes to, and would
# expand into millions of occurrences over the window (a worker stalled, the memory full).
MAX_PER_DAY = 24
# At most this many occurrences in the window (the 10,000-event benchmark agenda has 56,000):
# beyond, an agenda is refused as a whole — counted series by series, so that a file of many
# hourly series never fills the memory before it is refused.
MAX_OCCURRENCES = 200_000
TOO_MANY = N_(
    "This agenda has more than %(count)s dates in the coming months: too many for Palabre to "
    "follow. Is it an agenda of events people go to?"
)


def check_count(count: int) -> None:
    if count > MAX_OCCURRENCES:
        raise SourceFormatError(TOO_MANY, count=f"{MAX_OCCURRENCES:,}".replace(",", " "))


FINER_THAN_HOURLY = {"MINUTELY", "SECONDLY"}


def too_frequent(
    freq: str, byhour: object, byminute: object, bysecond: object, interval: int = 1
) -> bool:
    """Whether a rule (its FREQ and BY… parts; None when absent) repeats more than
    ``MAX_PER_DAY`` times a day."""
    if freq.upper() in FINER_THAN_HOURLY:
        return True

    def count(part: object) -> int:
        return len(part) if isinstance(part, list | tuple | set | frozenset) and part else 1

    hours = count(byhour) if byhour else (24 // max(interval, 1) if freq.upper() == "HOURLY" else 1)
    return hours * count(byminute) * count(bysecond) > MAX_PER_DAY


@dataclass(frozen=True, slots=True)
class Details:
    """What every occurrence of one event (or one overridden occurrence) shows."""

    title: str
    description: str
    location: str | None
    url: str | None
    status: str


def details(
    summary: object,
    description: object,
    alt_description: object,
    location: object,
    url: object,
    status: object,
) -> Details:
    return Details(
        title=" ".join(str(summary or "").split()),
        description=plain_description(description, alt_description),
        location=text_or_none(location),
        url=web_url(url),
        status=STATUSES.get(str(status or "CONFIRMED").strip().upper(), "confirmed"),
    )


def occurrence(
    uid: str,
    original: date | datetime,
    start: date | datetime,
    end: date | datetime | None,
    info: Details,
    zone: ZoneInfo,
) -> Occurrence:
    timezone = getattr(start.tzinfo, "key", None) if isinstance(start, datetime) else None
    return Occurrence(
        uid=uid,
        key=key(original),
        starts_at=to_utc(start, zone),
        ends_at=to_utc(end, zone) if end is not None and end != start else None,
        all_day=not isinstance(start, datetime),
        title=info.title,
        description=info.description,
        location=info.location,
        url=info.url,
        status=info.status,
        timezone=timezone,
    )


def default_end(start: date | datetime) -> date | datetime:
    """No DTEND nor DURATION: a timed event ends when it starts, an all-day one lasts a day."""
    return start if isinstance(start, datetime) else start + timedelta(days=1)


def to_utc(value: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):  # all day: local midnight
        return local_to_utc(datetime.combine(value, time()), zone.key)
    if value.tzinfo is None:  # floating
        return local_to_utc(value, zone.key)
    return value.astimezone(UTC)


def key(original: date | datetime) -> str:
    if not isinstance(original, datetime):
        return original.isoformat()
    if original.tzinfo is None:
        return original.replace(microsecond=0).isoformat()
    return original.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def uid_of(uid: object, summary: object, original: date | datetime) -> str:
    text = str(uid or "").strip()
    if text:
        return text[:900]
    # No UID (some hand-written files): the title and first start stand in.
    fallback = f"{summary or ''}|{original.isoformat()}"
    return "sha256:" + hashlib.sha256(fallback.encode()).hexdigest()


def plain_description(text: object, alt: object = None) -> str:
    if text is None:
        return html_to_text(str(alt)) if alt is not None else ""
    value = str(text)
    if HTML_RE.search(value):
        return html_to_text(value)
    lines = [" ".join(line.split()) for line in value.replace("\r\n", "\n").split("\n")]
    return BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()


def text_or_none(value: object) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def web_url(value: object) -> str | None:
    text = text_or_none(value)
    return text if text and text.startswith(("http://", "https://")) else None


def overlaps(found: Occurrence, start: datetime, end: datetime) -> bool:
    if found.starts_at >= end:
        return False
    if found.ends_at is None or found.ends_at <= found.starts_at:
        return found.starts_at >= start
    return found.ends_at > start


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_order(found: dict[tuple[str, str], Occurrence]) -> list[Occurrence]:
    return sorted(found.values(), key=lambda o: (o.starts_at, o.uid, o.key))
