"""Feed dates → aware UTC datetimes: RFC 822 (with the odd zones feeds use) and ISO 8601.

A date that cannot be read is ``None``, never an error: an entry without a usable date is
still an entry. A date without a zone is taken as UTC (what feed readers do).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "janv", "janvier", "january"),
            ("feb", "fev", "fév", "févr", "fevr", "février", "fevrier", "february"),
            ("mar", "mars", "march"),
            ("apr", "avr", "avril", "april"),
            ("may", "mai"),
            ("jun", "juin", "june"),
            ("jul", "juil", "juillet", "july"),
            ("aug", "aou", "aoû", "août", "aout", "august"),
            ("sep", "sept", "septembre", "september"),
            ("oct", "octobre", "october"),
            ("nov", "novembre", "november"),
            ("dec", "déc", "décembre", "decembre", "december"),
        ],
        start=1,
    )
    for name in names
}

# Named zones seen in real feeds (RFC 822's own, and the European ones people type).
ZONES = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "AST": -4, "ADT": -3, "AKST": -9, "AKDT": -8, "HST": -10,
    "BST": 1, "IST": 1, "WEST": 1, "CET": 1, "MET": 1, "CEST": 2, "MEST": 2, "EET": 2,
    "EEST": 3, "MSK": 3, "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13,
    "A": 1, "M": 12, "N": -1, "Y": -12,
}  # fmt: skip

RFC822_RE = re.compile(
    r"""^\s*(?:[^\d\s,]+\.?,?\s*)?            # an optional day name, in any language
    (\d{1,2})[\s\-]+([^\d\s\-.,]+)\.?[\s\-]+(\d{2,4})  # 3 Jun 2024 / 03-Jun-24
    (?:[\sT,]+(\d{1,2})[:h](\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?  # 10:00[:00]
    \s*(.*?)\s*$""",
    re.VERBOSE,
)
ISO_RE = re.compile(
    r"""^\s*(\d{4})-?(\d{2})(?:-?(\d{2}))?              # 2024-06-03, 20240603, 2024-06
    (?:[T\s](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?  # T10:00[:00[.123]]
    \s*(Z|[+\-]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
OFFSET_RE = re.compile(r"^(?:(?:GMT|UTC|UT)\s*)?([+\-])(\d{1,2}):?(\d{2})?$", re.IGNORECASE)


def parse_date(value: str | None) -> datetime | None:
    """'Mon, 03 Jun 2024 10:00:00 +0200', '2024-06-03T10:00:00Z' ... → aware UTC, or None."""
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    if text[0].isdigit() and len(text) >= 7 and text[4] in "-0123456789":
        try:  # the C parser first: most feeds write plain ISO 8601
            found = datetime.fromisoformat(text)
        except ValueError:
            parsed = _parse_iso(text)
        else:
            if found.tzinfo is None or found.tzinfo is UTC:
                return found.replace(tzinfo=UTC)
            return found.astimezone(UTC)
        if parsed is not None:
            return parsed
    return _parse_rfc822(text)


def _parse_iso(text: str) -> datetime | None:
    m = ISO_RE.match(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = m.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    offset = _offset(zone) if zone else 0
    if offset is None:
        return None
    return _build(int(year), int(month), int(day or 1), hour, minute, second, offset, micro=micro)


def _parse_rfc822(text: str) -> datetime | None:
    m = RFC822_RE.match(text)
    if m is None:
        return None
    day, month_name, year_text, hour, minute, second, zone = m.groups()
    month = MONTHS.get(month_name.lower())
    if month is None:
        return None
    year = int(year_text)
    if len(year_text) == 2:
        year += 2000 if year < 70 else 1900
    elif len(year_text) == 3:
        year += 1900
    offset = _offset(zone) if zone else 0
    if offset is None:
        offset = 0  # an unknown zone name: better a date a few hours off than none
    return _build(year, month, int(day), hour, minute, second, offset)


def _offset(zone: str) -> int | None:
    """A zone as minutes east of UTC: 'Z', '+0200', '+02:00', 'CEST', 'GMT+2'."""
    zone = zone.strip().strip("()").strip()
    if not zone:
        return 0
    named = ZONES.get(zone.upper())
    if named is not None:
        return named * 60
    m = OFFSET_RE.match(zone)
    if m is None:
        return None
    sign, hours, minutes = m.groups()
    total = int(hours) * 60 + int(minutes or 0)
    if total > 18 * 60:
        return None
    return -total if sign == "-" else total


def _build(
    year: int,
    month: int,
    day: int,
    hour: str | None,
    minute: str | None,
    second: str | None,
    offset: int,
    *,
    micro: int = 0,
) -> datetime | None:
    h, mi, s = int(hour or 0), int(minute or 0), int(second or 0)
    extra = timedelta()
    if h == 24 and mi == 0 and s == 0:  # "24:00" is the next midnight
        h, extra = 0, timedelta(days=1)
    if s == 60:  # a leap second
        s, extra = 59, timedelta(seconds=1)
    try:
        zone = UTC if offset == 0 else timezone(timedelta(minutes=offset))
        value = datetime(year, month, day, h, mi, s, micro, tzinfo=zone) + extra
        return value.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
