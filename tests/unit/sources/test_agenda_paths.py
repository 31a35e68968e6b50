"""The fast agenda path (plain reader + dateutil) and the robust one (icalendar +
recurring-ical-events) give the same occurrences; what the fast path does not take goes to
the robust one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from palabre.sources.agenda import parse_agenda
from palabre.sources.parsed import SourceFormatError

DATA = Path(__file__).resolve().parents[2] / "data" / "agendas"
CLEAN = [
    "visites_guidees.ics",
    "premier_dimanche.ics",
    "ateliers_automne.ics",
    "exposition.ics",
    "annulations.ics",
    "flottant.ics",
    "autres_zones.ics",
]
YEAR = (datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))


def both(body: bytes, tz: str = "Europe/Paris", window=YEAR):
    fast = parse_agenda(body, default_tz=tz)
    robust = parse_agenda(body, default_tz=tz, robust=True)
    found = fast.occurrences(*window)  # before returning the agenda: it may fall back
    return fast, found, robust.occurrences(*window)


@pytest.mark.parametrize("name", CLEAN)
@pytest.mark.parametrize("tz", ["Europe/Paris", "America/Montreal"])
def test_the_corpus_reads_the_same_both_ways(name: str, tz: str) -> None:
    agenda, fast, robust = both((DATA / name).read_bytes(), tz)
    assert agenda.fast_calendar is not None  # the fast path did take it
    assert fast == robust and fast


def test_a_custom_vtimezone_goes_to_the_robust_path() -> None:
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Paris maison\r\n"
        b"BEGIN:STANDARD\r\nDTSTART:19701025T030000\r\nTZOFFSETFROM:+0200\r\n"
        b"TZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
        b"BEGIN:DAYLIGHT\r\nDTSTART:19700329T020000\r\nTZOFFSETFROM:+0100\r\n"
        b"TZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
        b"END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:m\r\nDTSTART;TZID=Paris maison:20240702T100000\r\n"
        b"SUMMARY:Visite\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    agenda = parse_agenda(body)
    assert agenda.fast_calendar is None
    (visit,) = agenda.occurrences(*YEAR)
    assert visit.starts_at == datetime(2024, 7, 2, 8, tzinfo=UTC)


STARTS = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2024, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
RULES = st.sampled_from(
    [
        "FREQ=DAILY;COUNT=10",
        "FREQ=WEEKLY;COUNT=20",
        "FREQ=WEEKLY;BYDAY=SA,SU;COUNT=15",
        "FREQ=MONTHLY;BYDAY=1SU;COUNT=8",
        "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=6",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=20250301T000000Z",
        "FREQ=YEARLY;COUNT=2",
        None,
    ]
)


@st.composite
def series(draw) -> bytes:
    start = draw(STARTS)
    kind = draw(st.sampled_from(["zoned", "utc", "floating", "all-day"]))
    zone = draw(st.sampled_from(["Europe/Paris", "America/New_York", "Pacific/Auckland"]))
    rule = draw(RULES)
    if kind == "all-day":
        rule = rule.replace("T000000Z", "") if rule else rule

    def stamp(value: datetime) -> str:
        if kind == "all-day":
            return f";VALUE=DATE:{value:%Y%m%d}"
        if kind == "zoned":
            return f";TZID={zone}:{value:%Y%m%dT%H%M%S}"
        return f":{value:%Y%m%dT%H%M%S}" + ("Z" if kind == "utc" else "")

    if kind == "floating" and rule and "UNTIL" in rule:
        rule = rule.replace("Z", "")
    length = (
        timedelta(days=draw(st.integers(1, 3)))
        if kind == "all-day"
        else timedelta(minutes=draw(st.sampled_from([0, 30, 90, 600])))
    )
    lines = ["BEGIN:VEVENT", "UID:serie@test", f"DTSTART{stamp(start)}", "SUMMARY:Série"]
    if length:
        lines.append(f"DTEND{stamp(start + length)}")
    if rule:
        lines.append(f"RRULE:{rule}")
        step = timedelta(days=7) if "WEEKLY" in rule else timedelta(days=1)
        if draw(st.booleans()):
            lines.append(f"EXDATE{stamp(start + step)}")
        if draw(st.booleans()):
            lines.append(
                f"RDATE{stamp(start + timedelta(days=3, hours=5 if kind != 'all-day' else 0))}"
            )
    lines.append("END:VEVENT")
    if rule and draw(st.booleans()):
        moved = start + timedelta(days=draw(st.integers(0, 40)))
        lines += [
            "BEGIN:VEVENT",
            "UID:serie@test",
            f"RECURRENCE-ID{stamp(start)}",
            f"DTSTART{stamp(moved)}",
            "SUMMARY:Déplacée",
            *(["STATUS:CANCELLED"] if draw(st.booleans()) else []),
            "END:VEVENT",
        ]
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "\r\n".join(lines) + "\r\nEND:VCALENDAR\r\n"
    return body.encode()


WINDOWS = st.tuples(
    st.datetimes(min_value=datetime(2023, 12, 1), max_value=datetime(2025, 6, 1)),
    st.integers(min_value=1, max_value=400),
).map(lambda w: (w[0].replace(tzinfo=UTC), w[0].replace(tzinfo=UTC) + timedelta(days=w[1])))


@settings(max_examples=300, deadline=None)
@given(series(), WINDOWS, st.sampled_from(["Europe/Paris", "Asia/Tokyo", "UTC"]))
def test_generated_series_read_the_same_both_ways(body: bytes, window, tz: str) -> None:
    agenda, fast, robust = both(body, tz, window)
    assert agenda.fast_calendar is not None  # the fast path read and expanded it
    assert fast == robust
    event(f"{len(fast) // 5 * 5}+ occurrences")


# Rules that break: icalendar cannot read them (found when the file is read), dateutil
# refuses them when the series is expanded, or they contradict the event (UNTIL before it,
# an INTERVAL that would repeat the first start for ever, a negative COUNT).
BROKEN_RULES = st.sampled_from(
    [
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;COUNT=abc",
        "FREQ=WEEKLY;UNTIL=2024XX01",
        "FREQ=FORTNIGHTLY",
        "FREQ=WEEKLY;BYHOUR=99",
        "FREQ=DAILY;BYMINUTE=75",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=-2",
        "FREQ=WEEKLY;COUNT=-3",
        "FREQ=WEEKLY;BYSETPOS=0",
        "FREQ=WEEKLY;WKST=XX",
        "BYDAY=MO,WE",
        "FREQ=WEEKLY;UNTIL=20230101T000000Z",
        # more often than every hour: millions of occurrences over the window, no event
        "FREQ=SECONDLY",
        "FREQ=MINUTELY;INTERVAL=5",
        "FREQ=HOURLY;BYMINUTE=0,30",
        "FREQ=DAILY;BYMINUTE=" + ",".join(str(m) for m in range(60)),
    ]
)
OTHER = (
    "BEGIN:VEVENT\r\nUID:autre@test\r\nDTSTART:20240615T080000Z\r\n"
    "SUMMARY:Conférence\r\nEND:VEVENT\r\n"
)


def with_other_event(body: bytes) -> bytes:
    return body.replace(b"END:VCALENDAR", OTHER.encode() + b"END:VCALENDAR")


def read_both(body: bytes, tz: str, window) -> list[tuple[list, set]]:
    out = []
    for robust in (False, True):
        agenda = parse_agenda(body, default_tz=tz, robust=robust)
        found = agenda.occurrences(*window)
        out.append((found, {(b.uid, b.title) for b in agenda.broken}))
    return out


@settings(max_examples=200, deadline=None)
@given(series(), BROKEN_RULES, WINDOWS, st.sampled_from(["Europe/Paris", "UTC"]))
def test_a_series_whose_rule_breaks_is_reported_never_removed(
    body: bytes, rule: str, window, tz: str
) -> None:
    """What ingestion relies on: an occurrence the agenda gave before its rule broke is
    either still there or its UID is reported broken (so its occurrences are kept), on
    both paths alike; the other events are untouched."""
    good = with_other_event(body)
    bad = re.sub(rb"RRULE:[^\r\n]*", b"RRULE:" + rule.encode(), good)
    if b"RRULE:" not in good:
        title = "SUMMARY:Série".encode()
        bad = good.replace(title, title + b"\r\nRRULE:" + rule.encode())
    before = parse_agenda(good, default_tz=tz).occurrences(*window)
    (fast, fast_broken), (robust, robust_broken) = read_both(bad, tz, window)
    assert fast == robust and fast_broken == robust_broken
    assert fast_broken == {("serie@test", "Série")}
    kept = {(o.uid, o.key) for o in fast}
    for occurrence in before:
        assert (occurrence.uid, occurrence.key) in kept or occurrence.uid == "serie@test"
    other = [o for o in before if o.uid == "autre@test"]
    assert other == [o for o in fast if o.uid == "autre@test"]


@pytest.mark.parametrize(
    "rule",
    ["FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;BYHOUR=99", "FREQ=WEEKLY;INTERVAL=0", "BYDAY=MO"],
)
def test_an_agenda_whose_only_series_breaks_is_damaged(rule: str) -> None:
    """Nothing readable at all: the whole check fails (and nothing changes), as for any
    agenda where every event is damaged."""
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:seul@test\r\n"
        f"DTSTART:20240615T080000Z\r\nRRULE:{rule}\r\nSUMMARY:Seul\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    for robust in (False, True):
        with pytest.raises(SourceFormatError):
            parse_agenda(body, robust=robust).occurrences(*YEAR)


def test_an_event_with_two_rules_is_broken_only_when_one_of_them_is() -> None:
    def event(uid: str, second: str) -> str:
        return (
            f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTART:20240105T100000Z\r\n"
            f"RRULE:FREQ=WEEKLY;COUNT=3\r\nRRULE:{second}\r\nSUMMARY:{uid}\r\nEND:VEVENT\r\n"
        )

    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        + event("deux", "FREQ=MONTHLY;COUNT=2")
        + event("folle", "FREQ=MONTHLY;INTERVAL=0")
        + "END:VCALENDAR\r\n"
    ).encode()
    for robust in (False, True):
        agenda = parse_agenda(body, robust=robust)
        assert {o.uid for o in agenda.occurrences(*YEAR)} == {"deux"}
        assert [(b.uid, b.title) for b in agenda.broken] == [("folle", "folle")]


def test_an_hourly_series_is_still_an_agenda_of_events() -> None:
    """Every hour is the most an event repeats: still expanded, on both paths alike."""
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:navette@test\r\n"
        b"DTSTART:20240615T080000Z\r\nRRULE:FREQ=HOURLY;COUNT=5\r\nSUMMARY:Navette\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    window = (datetime(2024, 6, 14, tzinfo=UTC), datetime(2024, 6, 16, tzinfo=UTC))
    (fast, fast_broken), (robust, robust_broken) = read_both(body, "UTC", window)
    assert fast == robust and not fast_broken and not robust_broken
    assert [o.starts_at.hour for o in fast] == [8, 9, 10, 11, 12]


def _daily_series(n: int) -> bytes:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:atelier{i}@test\r\nDTSTART:20240601T{8 + i:02d}0000Z\r\n"
        f"RRULE:FREQ=DAILY\r\nSUMMARY:Atelier {i}\r\nEND:VEVENT\r\n"
        for i in range(n)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n".encode()


@pytest.mark.parametrize("at_once", [20, 1])  # the robust path: all series at once, or one by one
def test_an_agenda_with_too_many_dates_is_refused_as_a_whole(
    monkeypatch: pytest.MonkeyPatch, at_once: int
) -> None:
    """Too many dates in the window (many hourly series, say) is refused with a plain
    message on both paths, counted series by series — never expanded in full first."""
    from palabre.sources.agenda import common, library

    monkeypatch.setattr(common, "MAX_OCCURRENCES", 100)
    monkeypatch.setattr(library, "SERIES_AT_ONCE", at_once)
    window = (datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 8, 1, tzinfo=UTC))  # 61 days
    for robust in (False, True):
        ok = parse_agenda(_daily_series(1), default_tz="UTC", robust=robust)
        assert len(ok.occurrences(*window)) == 61
        agenda = parse_agenda(_daily_series(2), default_tz="UTC", robust=robust)
        with pytest.raises(SourceFormatError) as refused:
            agenda.occurrences(*window)
        assert refused.value.message == common.TOO_MANY
        assert "100" in str(refused.value)
