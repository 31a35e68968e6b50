"""The agenda corpus (tests/data/agendas): the exact occurrences a museum's reminders see."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from palabre.sources.agenda import parse_agenda
from palabre.sources.parsed import SourceFormatError

DATA = Path(__file__).resolve().parents[2] / "data" / "agendas"
DAMAGED = "The agenda file is damaged and could not be read."
YEAR = (datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def occurrences(name: str, tz: str = "Europe/Paris", window=YEAR):
    return parse_agenda((DATA / name).read_bytes(), default_tz=tz).occurrences(*window)


def test_weekly_tour_with_exdate_rdate_a_moved_and_a_cancelled_occurrence() -> None:
    found = occurrences("visites_guidees.ics")
    assert [(o.key, o.starts_at, o.ends_at, o.status) for o in found] == [
        ("2024-03-02T09:00:00Z", utc(2024, 3, 2, 9), utc(2024, 3, 2, 10, 30), "confirmed"),
        ("2024-03-09T09:00:00Z", utc(2024, 3, 9, 9), utc(2024, 3, 9, 10, 30), "confirmed"),
        # 16 March: EXDATE, absent. 23 March moved to Sunday 24 at 15:00, same key.
        ("2024-03-23T09:00:00Z", utc(2024, 3, 24, 14), utc(2024, 3, 24, 15, 30), "confirmed"),
        # RDATE: an extra Thursday evening, the series' duration.
        ("2024-03-28T17:00:00Z", utc(2024, 3, 28, 17), utc(2024, 3, 28, 18, 30), "confirmed"),
        ("2024-03-30T09:00:00Z", utc(2024, 3, 30, 9), utc(2024, 3, 30, 10, 30), "confirmed"),
        # After the change to summer time (31 March): still 10:00 in Paris.
        ("2024-04-06T08:00:00Z", utc(2024, 4, 6, 8), utc(2024, 4, 6, 9, 30), "cancelled"),
        ("2024-04-13T08:00:00Z", utc(2024, 4, 13, 8), utc(2024, 4, 13, 9, 30), "confirmed"),
    ]
    first, _, moved = found[:3]
    assert {o.uid for o in found} == {"visite-samedi@musee-villeneuve.example"}
    assert first.title == "Visite guidée des collections"
    assert first.description == (
        "Une heure et demie avec une médiatrice.\nRendez-vous à l'accueil, 10 min avant."
    )
    assert first.location == "Musée des Beaux-Arts, 2 place du Musée, Villeneuve"
    assert first.url == "https://musee-villeneuve.example/agenda/visite-guidee"
    assert first.timezone == "Europe/Paris" and not first.all_day
    assert moved.title == "Visite guidée des collections (exceptionnellement le dimanche)"


def test_keys_are_the_same_at_every_fetch_and_in_any_window() -> None:
    whole = occurrences("visites_guidees.ics")
    again = occurrences("visites_guidees.ics")
    assert whole == again
    april = occurrences("visites_guidees.ics", window=(utc(2024, 4, 1), utc(2024, 5, 1)))
    assert [o.key for o in april] == ["2024-04-06T08:00:00Z", "2024-04-13T08:00:00Z"]
    assert april == whole[-2:]


def test_monthly_first_sunday_all_day() -> None:
    found = occurrences("premier_dimanche.ics")
    assert [o.key for o in found] == [
        "2024-01-07", "2024-02-04", "2024-03-03", "2024-04-07", "2024-05-05", "2024-06-02",
        "2024-07-07", "2024-08-04", "2024-09-01", "2024-10-06", "2024-11-03", "2024-12-01",
    ]  # fmt: skip
    january, april = found[0], found[3]
    assert january.all_day and january.timezone is None
    # Local midnight in the workspace's zone: 23:00 UTC in winter, 22:00 in summer.
    assert (january.starts_at, january.ends_at) == (utc(2024, 1, 6, 23), utc(2024, 1, 7, 23))
    assert (april.starts_at, april.ends_at) == (utc(2024, 4, 6, 22), utc(2024, 4, 7, 22))
    assert january.description == "Entrée gratuite pour tous !\n\nRéservation conseillée."
    in_new_york = occurrences("premier_dimanche.ics", tz="America/New_York")
    assert in_new_york[0].starts_at == utc(2024, 1, 7, 5)
    assert [o.key for o in in_new_york] == [o.key for o in found]


def test_the_october_change_of_time_keeps_10_am_local() -> None:
    found = occurrences("ateliers_automne.ics")
    assert [(o.key, o.starts_at, o.ends_at) for o in found] == [
        ("2024-10-19T08:00:00Z", utc(2024, 10, 19, 8), utc(2024, 10, 19, 10)),
        ("2024-10-26T08:00:00Z", utc(2024, 10, 26, 8), utc(2024, 10, 26, 10)),
        ("2024-11-02T09:00:00Z", utc(2024, 11, 2, 9), utc(2024, 11, 2, 11)),  # winter time
    ]


def test_an_exhibition_over_several_months_is_one_all_day_occurrence() -> None:
    (expo,) = occurrences("exposition.ics")
    assert expo.key == "2024-06-01" and expo.all_day
    assert (expo.starts_at, expo.ends_at) == (utc(2024, 5, 31, 22), utc(2024, 9, 15, 22))
    assert expo.location == "Galerie du premier étage"
    # Still there while it runs, even when the window starts after its first day.
    (running,) = occurrences("exposition.ics", window=(utc(2024, 8, 1), utc(2024, 8, 2)))
    assert running == expo
    assert occurrences("exposition.ics", window=(utc(2024, 9, 16), utc(2024, 10, 1))) == []


def test_cancelled_and_tentative_events_are_kept_with_their_status() -> None:
    cancelled, tentative = occurrences("annulations.ics")
    assert cancelled.uid == "conference-vermeer@musee-villeneuve.example"
    assert cancelled.status == "cancelled" and cancelled.starts_at == utc(2024, 4, 18, 16, 30)
    assert tentative.status == "tentative"
    assert tentative.ends_at is None  # no end given


def test_floating_times_are_read_in_the_workspace_zone() -> None:
    (paris,) = occurrences("flottant.ics")
    assert paris.key == "2024-06-21T20:00:00" and paris.timezone is None
    assert (paris.starts_at, paris.ends_at) == (utc(2024, 6, 21, 18), utc(2024, 6, 21, 21, 30))
    (reunion,) = occurrences("flottant.ics", tz="Indian/Reunion")
    assert reunion.starts_at == utc(2024, 6, 21, 16)
    assert reunion.key == paris.key


def test_other_zones_windows_names_and_utc() -> None:
    montreal, partners, tickets = occurrences("autres_zones.ics")
    assert montreal.timezone == "America/Montreal"
    assert montreal.starts_at == utc(2024, 5, 15, 23)  # 19:00 EDT
    assert partners.timezone == "Europe/Paris"  # "Romance Standard Time"
    assert partners.starts_at == utc(2024, 5, 16, 7)
    assert tickets.starts_at == utc(2024, 5, 17, 7) and tickets.ends_at is None


def test_x_wr_timezone_places_floating_times() -> None:
    body = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:America/Martinique\r\n"
        b"BEGIN:VEVENT\r\nUID:carnaval\r\nDTSTART:20240212T150000\r\nSUMMARY:Carnaval\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    (carnaval,) = parse_agenda(body, default_tz="Europe/Paris").occurrences(*YEAR)
    assert carnaval.starts_at == utc(2024, 2, 12, 19)


def test_a_broken_event_is_left_out_and_counted() -> None:
    body = (
        (DATA / "annulations.ics")
        .read_bytes()
        .replace(
            b"END:VCALENDAR",
            b"BEGIN:VEVENT\r\nUID:broken\r\nDTSTART:2024-99-99\r\nSUMMARY:x\r\nEND:VEVENT\r\n"
            b"END:VCALENDAR",
        )
    )
    agenda = parse_agenda(body)
    assert agenda.broken_events == 1
    assert [o.uid for o in agenda.occurrences(*YEAR)] == [
        "conference-vermeer@musee-villeneuve.example",
        "concert-cour@musee-villeneuve.example",
    ]
    assert agenda.name == "Annulations"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            (DATA / "malformed.ics").read_bytes(),
            "The agenda file is damaged and could not be read.",
        ),
        (
            (DATA / "truncated.ics").read_bytes(),
            "The agenda file is damaged and could not be read.",
        ),
        (b"", "This file is empty."),
        (b"<!DOCTYPE html><html><body>Agenda</body></html>", "This is a web page, not an agenda."),
        (b"<rss><channel/></rss>", "This file is not an iCalendar agenda (.ics)."),
        (b"BEGIN:VCARD\r\nEND:VCARD\r\n", "This file is not an iCalendar agenda (.ics)."),
    ],
)
def test_bad_files_give_a_plain_message(body: bytes, message: str) -> None:
    with pytest.raises(SourceFormatError) as caught:
        parse_agenda(body)
    assert str(caught.value) == message


def test_latin1_agenda_is_read() -> None:
    body = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:l1\r\nDTSTART:20240301T100000Z\r\n"
        "SUMMARY:Journée du patrimoine\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode("latin-1")
    (event,) = parse_agenda(body).occurrences(*YEAR)
    assert event.title == "Journée du patrimoine"


@settings(max_examples=40, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    freq=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
    count=st.integers(min_value=1, max_value=30),
    zone=st.sampled_from(["Europe/Paris", "America/Montreal", "Australia/Sydney"]),
)
def test_a_series_keeps_its_local_time_across_changes_of_time(start, freq, count, zone) -> None:
    body = (
        f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:serie\r\n"
        f"DTSTART;TZID={zone}:{start:%Y%m%dT%H%M%S}\r\nRRULE:FREQ={freq};COUNT={count}\r\n"
        f"SUMMARY:Série\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()
    window = (utc(2023, 12, 1), utc(2030, 1, 1))
    found = parse_agenda(body).occurrences(*window)
    assert found == parse_agenda(body).occurrences(*window)
    assert len({o.key for o in found}) == len(found)
    local = ZoneInfo(zone)
    for o in found:
        wall = o.starts_at.astimezone(local)
        # The series' wall-clock time, or one hour later on a day that skips that hour.
        assert (wall.hour, wall.minute) in {
            (start.hour, start.minute),
            ((start.hour + 1) % 24, start.minute),
        }
        if (wall.hour, wall.minute) != (start.hour, start.minute):
            naive = wall.replace(hour=start.hour, tzinfo=None)
            assert (
                naive.replace(tzinfo=local).utcoffset()
                != naive.replace(tzinfo=local, fold=1).utcoffset()
            )  # it was in a gap
        assert o.key == o.starts_at.strftime("%Y-%m-%dT%H:%M:%SZ")
