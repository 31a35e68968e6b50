"""A 10,000-event agenda with recurrences, expanded over a year: goal < 2 s.

    .venv/bin/python benchmarks/bench_agenda.py [--events 10000] [--rounds 3] [--robust]

The agenda is generated here (seeded), like a tourist office's shared calendar: 70 % single
events (a third all-day), 20 % weekly series (some with EXDATE, some with a moved or
cancelled occurrence), 5 % daily series of a few weeks, 5 % monthly; Europe/Paris with its
VTIMEZONE, a few floating and UTC times. The figure is process CPU time
(``time.process_time``) of ``parse_agenda`` plus ``Agenda.occurrences`` over the year, best
of ``--rounds``; the machine is shared, CPU time is what does not depend on the others.
``--robust`` also times the robust path (icalendar + recurring-ical-events) on the same
agenda, for comparison.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
import common

from palabre.sources.agenda import parse_agenda

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""
TITLES = ["Visite guidée", "Atelier famille", "Concert", "Conférence", "Marché", "Balade"]
PLACES = ["Musée des Beaux-Arts", "Office de tourisme", "Place du marché", "Château"]


def local(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def event(rng: random.Random, i: int, year: int) -> str:
    day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    start = datetime(day.year, day.month, day.day, rng.choice([9, 10, 14, 15, 18, 20]))
    lines = [
        "BEGIN:VEVENT",
        f"UID:evt-{i}@ot.example",
        "DTSTAMP:20240101T000000Z",
        f"SUMMARY:{rng.choice(TITLES)} n°{i}",
        f"LOCATION:{rng.choice(PLACES)}",
        f"DESCRIPTION:Rendez-vous à l'accueil. Réservation conseillée ({i}).",
    ]
    kind = rng.random()
    extra: list[str] = []
    if kind < 0.70:
        if rng.random() < 1 / 3:
            lines += [
                f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{day + timedelta(days=rng.randint(1, 5)):%Y%m%d}",
            ]
        elif rng.random() < 0.05:
            lines += [f"DTSTART:{local(start)}", f"DTEND:{local(start + timedelta(hours=2))}"]
        else:
            lines += [f"DTSTART;TZID=Europe/Paris:{local(start)}", "DURATION:PT1H30M"]
    elif kind < 0.90:
        lines += [
            f"DTSTART;TZID=Europe/Paris:{local(start)}",
            f"DTEND;TZID=Europe/Paris:{local(start + timedelta(hours=1))}",
            f"RRULE:FREQ=WEEKLY;COUNT={rng.randint(4, 52)}",
        ]
        if rng.random() < 0.3:
            lines.append(f"EXDATE;TZID=Europe/Paris:{local(start + timedelta(weeks=2))}")
        if rng.random() < 0.2:
            moved = start + timedelta(weeks=1)
            extra = [
                "BEGIN:VEVENT",
                f"UID:evt-{i}@ot.example",
                "DTSTAMP:20240101T000000Z",
                f"RECURRENCE-ID;TZID=Europe/Paris:{local(moved)}",
                f"DTSTART;TZID=Europe/Paris:{local(moved + timedelta(hours=3))}",
                "SUMMARY:Déplacé" if rng.random() < 0.5 else "STATUS:CANCELLED",
                "END:VEVENT",
            ]
    elif kind < 0.95:
        lines += [
            f"DTSTART;TZID=Europe/Paris:{local(start)}",
            "DURATION:PT2H",
            f"RRULE:FREQ=DAILY;COUNT={rng.randint(5, 30)}",
        ]
    else:
        lines += [
            f"DTSTART;TZID=Europe/Paris:{local(start)}",
            "DURATION:PT2H",
            "RRULE:FREQ=MONTHLY;BYDAY=1SU;COUNT=12",
        ]
    lines.append("END:VEVENT")
    return "\r\n".join(lines + extra)


def agenda(n: int, year: int = 2025, seed: int = 4) -> bytes:
    rng = random.Random(seed)
    body = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Palabre//bench//FR",
        VTIMEZONE.strip().replace("\n", "\r\n"),
    ]
    body += [event(rng, i, year) for i in range(n)]
    body.append("END:VCALENDAR")
    return ("\r\n".join(body) + "\r\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--robust", action="store_true", help="also time the robust path")
    args = parser.parse_args()
    print(f"# bench_agenda — {common.machine()} — {common.git_version()}")
    print(f"# load average {common.load_average()}; CPU seconds (process time)")
    body = agenda(args.events)
    print("| path | events | body | occurrences | parse s | expand s | total CPU s | goal < 2 s |")
    print("|---|---|---|---|---|---|---|---|")
    paths = [("fast (parse_agenda)", False)]
    if args.robust:
        paths.append(("robust (icalendar + recurring-ical-events)", True))
    for label, robust in paths:
        count, parse_s, expand_s = measure(body, robust, args.rounds)
        total = parse_s + expand_s
        verdict = "met" if total < 2 else "not met"
        print(
            f"| {label} | {args.events:,} | {len(body) / 1e6:.1f} MB | {count:,} "
            f"| {parse_s:.2f} | {expand_s:.2f} | {total:.2f} | {verdict} |",
            flush=True,
        )


def measure(body: bytes, robust: bool, rounds: int) -> tuple[int, float, float]:
    """Occurrences over 2025, best CPU seconds of parsing and of expanding."""
    window = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    best_parse = best_expand = float("inf")
    count = 0
    for _ in range(rounds):
        started = time.process_time()
        parsed = parse_agenda(body, default_tz="Europe/Paris", robust=robust)
        parsed_at = time.process_time()
        count = len(parsed.occurrences(*window))
        best_parse = min(best_parse, parsed_at - started)
        best_expand = min(best_expand, time.process_time() - parsed_at)
    return count, best_parse, best_expand


if __name__ == "__main__":
    main()
