"""The feed corpus (tests/data/feeds): what a team would see of each feed, through the fast
path (lxml), the robust path (feedparser) and parse_feed, which must agree."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from palabre.sources.feeds import parse_feed, parse_feed_fast, parse_feed_robust
from palabre.sources.parsed import SourceFormatError

NOT_A_FEED = "This document is not a feed Palabre can read (RSS, Atom or JSON Feed)."

DATA = Path(__file__).resolve().parents[2] / "data" / "feeds"
WELL_FORMED = [
    "rss20_musee.xml",
    "rss091_latin1.xml",
    "rss10_rdf.xml",
    "atom10_office.xml",
    "atom03.xml",
    "atom_utf16.xml",
    "feed11.json",
    "feed10.json",
    "rss_windows1252_declared_latin1.xml",
    "rss_utf8_declared_latin1.xml",
    "xxe_parameter.xml",
]
URL = "https://musee-villeneuve.example/feed/"


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.mark.parametrize("name", WELL_FORMED)
def test_both_paths_give_the_same_feed(name: str) -> None:
    fast = parse_feed_fast(read(name), url=URL)
    robust = parse_feed_robust(read(name), url=URL)
    assert fast == robust
    assert parse_feed(read(name), url=URL) == fast
    assert fast.entries


def test_rss2_entries_as_a_team_sees_them() -> None:
    feed = parse_feed(read("rss20_musee.xml"), url=URL)
    assert (feed.format, feed.title) == ("rss", "Musée des Beaux-Arts de Villeneuve — Actualités")
    assert feed.link == "https://musee-villeneuve.example/"
    first, second, third, fourth = feed.entries
    assert first.guid == "https://musee-villeneuve.example/?p=1204"
    assert first.title == "Nocturne & concert : la galerie des sculptures en musique"
    assert first.link == (
        "https://musee-villeneuve.example/actualites/nocturne-concert/"
        "?utm_source=rss&utm_medium=rss"
    )
    assert first.categories == ("Événements", "Musique")
    assert first.author == "Claire Martin"
    assert first.image_url == (
        "https://musee-villeneuve.example/wp-content/uploads/2024/03/galerie.jpg"
    )
    assert first.published == datetime(2024, 3, 14, 8, 30, tzinfo=UTC)
    assert first.summary_html.startswith("<p>Le vendredi 22 mars")
    # A relative enclosure, resolved against the feed's address.
    assert (
        second.image_url == "https://musee-villeneuve.example/wp-content/uploads/2024/04/facade.png"
    )
    assert second.published == datetime(2024, 4, 22, 16, 0, tzinfo=UTC)
    # No guid: the link stands in; "email (Name)" authors; CEST; a media thumbnail.
    assert (
        third.guid
        == third.link
        == ("https://musee-villeneuve.example/actualites/atelier-petits-peintres/")
    )
    assert third.author == "Service des publics"
    assert third.published == datetime(2024, 4, 5, 6, 0, tzinfo=UTC)
    assert third.summary_html == "<p>Pour les 6–10 ans, <strong>sur réservation</strong>.</p>"
    assert third.image_url == "https://musee-villeneuve.example/thumbs/atelier.jpg"
    # Nothing to identify it: a stable hash of its text.
    assert fourth.guid.startswith("sha256:") and fourth.link is None and fourth.title == ""
    assert parse_feed(read("rss20_musee.xml"), url=URL).entries[3].guid == fourth.guid


def test_atom_with_xml_base_xhtml_and_feed_author() -> None:
    feed = parse_feed(read("atom10_office.xml"))
    assert feed.format == "atom" and feed.link == "https://tourisme-lacbleu.example/"
    fete, rando = feed.entries
    assert fete.title == "Fête du lac : feu d’artifice le 14 juillet"
    assert fete.link == "https://tourisme-lacbleu.example/agenda/fete-du-lac.html"
    assert fete.categories == ("Fêtes", "ete")
    assert fete.author == "Office de tourisme"  # the feed's author
    assert fete.image_url == "https://tourisme-lacbleu.example/images/feu-artifice.jpg"
    assert fete.summary_html == "Feu d'artifice à 23 h sur la plage &amp; bal populaire."
    assert fete.published == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert fete.updated == datetime(2024, 6, 2, 7, 15, tzinfo=UTC)
    # The entry's own xml:base; an image found in its HTML content; only "updated" known.
    assert rando.link == "https://tourisme-lacbleu.example/randonnees/crete.html"
    assert rando.image_url == "https://tourisme-lacbleu.example/randonnees/photos/crete.webp"
    assert rando.author == "Guides du Lac"
    assert rando.published == rando.updated == datetime(2024, 5, 20, 7, 0, tzinfo=UTC)


def test_atom_03_rdf_and_json_feeds() -> None:
    atom03 = parse_feed(read("atom03.xml")).entries[0]
    assert atom03.published == datetime(2005, 3, 1, 8, 0, tzinfo=UTC)
    assert atom03.updated == datetime(2005, 3, 2, 10, 0, tzinfo=UTC)
    assert atom03.author == "Le régisseur"
    rdf = parse_feed(read("rss10_rdf.xml"))
    assert rdf.format == "rdf"
    assert rdf.entries[0].guid == "https://mairie-saintjean.example/infos/marche"
    assert rdf.entries[0].categories == ("Vie locale",)
    assert rdf.entries[0].published == datetime(2024, 3, 28, 10, 0, tzinfo=UTC)
    json11 = parse_feed(read("feed11.json"), url="https://ecomusee-vallee.example/feed.json")
    moisson, note = json11.entries
    assert json11.format == "json" and json11.title == "Écomusée de la Vallée"
    assert moisson.guid == "381"
    assert moisson.link == "https://ecomusee-vallee.example/journal/moisson-a-l-ancienne"
    assert moisson.categories == ("Patrimoine", "Été")
    assert moisson.image_url == "https://ecomusee-vallee.example/images/moisson.jpg"
    assert moisson.author == "L'équipe de l'écomusée"
    assert note.summary_html == (
        "<p>Le parking est fermé ce week-end.</p><p>Merci de vous garer au village.</p>"
    )
    assert note.author == "Accueil" and note.image_url.endswith("/plan.png")
    json10 = parse_feed(read("feed10.json")).entries[0]
    assert json10.author == "Festival" and json10.image_url.endswith("/banner.jpg")


@pytest.mark.parametrize(
    ("name", "title", "entry_title"),
    [
        ("rss091_latin1.xml", "Théâtre municipal", "Léo Ferré – hommage"),
        ("rss_windows1252_declared_latin1.xml", "Café des arts", "“Après-midi jazz” – entrée 5€"),
        ("rss_utf8_declared_latin1.xml", "Château de l’Étang", "Visite été — édition spéciale"),
        ("atom_utf16.xml", "Maison de la Poésie", "Lecture : « Maîtres du haïku »"),
    ],
)
def test_encodings(name: str, title: str, entry_title: str) -> None:
    feed = parse_feed(read(name))
    assert feed.title == title
    assert feed.entries[0].title == entry_title


def test_http_charset_wins_over_a_missing_declaration() -> None:
    body = "<rss><channel><title>Fête</title></channel></rss>".encode("cp1252")
    assert parse_feed(body, content_type="text/xml; charset=windows-1252").title == "Fête"
    # Without any hint, bytes that are not UTF-8 are read as Windows-1252.
    assert parse_feed(body).title == "Fête"


def test_an_ill_formed_feed_is_read_by_the_fallback() -> None:
    with pytest.raises(SourceFormatError):
        parse_feed_fast(read("illformed_rss.xml"))
    feed = parse_feed(read("illformed_rss.xml"))
    assert feed.title == "Bibliothèque & Médiathèque"
    entry = feed.entries[0]
    assert entry.guid == "conte-4"
    assert entry.title == "Heure du conte pour les tout-petits"
    assert entry.link == "https://mediatheque.example/conte?id=4&lang=fr"
    assert entry.published == datetime(2024, 4, 6, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.xml", "This file is empty."),
        ("page.html", "This is a web page, not a feed."),
        ("not_a_feed.xml", NOT_A_FEED),
    ],
)
def test_plain_messages(name: str, message: str) -> None:
    for parse in (parse_feed, parse_feed_fast, parse_feed_robust):
        with pytest.raises(SourceFormatError) as caught:
            parse(read(name))
        assert str(caught.value) == message
        assert caught.value.message == message  # the msgid, translated where it is shown


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"   \n", "This file is empty."),
        (b'{"items": [', "The feed is not valid JSON."),
        (b'{"name": "not a feed"}', "This JSON document is not a JSON Feed."),
        (b"Just some text", NOT_A_FEED),
        (b"<<<>>>", "The feed is not well-formed XML and could not be read."),
    ],
)
def test_bad_bodies(body: bytes, message: str) -> None:
    with pytest.raises(SourceFormatError) as caught:
        parse_feed(body)
    assert str(caught.value) == message


def test_error_messages_are_translated() -> None:
    from palabre.core.i18n import Translator

    with pytest.raises(SourceFormatError) as caught:
        parse_feed(read("page.html"))
    assert Translator("fr").gettext(caught.value.message) == "C'est une page web, pas un flux."


def test_a_truncated_feed_keeps_what_it_says_and_no_empty_entry() -> None:
    feed = parse_feed(
        b'<rss version="2.0"><channel><title>T</title><item><title>A</title><item></item><item>'
    )
    assert feed.title == "T"
    assert [e.title for e in feed.entries] == ["A"]
