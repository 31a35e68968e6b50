"""The same news recognised twice: canonical links and near-duplicate fingerprints."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from palabre.sources.dedupe import (
    address_key,
    canonical_url,
    distance,
    fingerprint,
    is_near_duplicate,
)

NEWS = (
    "Le musée des Beaux-Arts ouvre une nocturne exceptionnelle le samedi 12 mars, avec un "
    "concert de jazz dans la grande galerie et des visites guidées gratuites."
)
OTHER_NEWS = [
    "La médiathèque ferme ses portes pour travaux pendant trois semaines à partir de lundi; "
    "les réservations restent possibles en ligne.",
    "Le musée des Beaux-Arts présente une nouvelle exposition consacrée à la peinture "
    "flamande, du 3 mai au 30 septembre, dans les salles du premier étage.",
    "Concert de jazz au parc municipal samedi soir : entrée libre, buvette et restauration "
    "sur place, venez nombreux avec vos amis.",
    "Le musée des Beaux-Arts ouvre une nocturne exceptionnelle pour la Nuit des musées, avec "
    "des ateliers pour enfants et une chasse au trésor dans les jardins.",
    "L'office de tourisme propose une randonnée commentée sur les crêtes, départ à 8 h du "
    "parking du lac, prévoir de bonnes chaussures et de l'eau.",
]


def test_canonical_url_removes_what_does_not_identify_the_page() -> None:
    assert (
        canonical_url(
            "HTTPS://Musee.Example:443/actu/nocturne/?utm_source=rss&b=2&a=1&fbclid=X#haut"
        )
        == "https://musee.example/actu/nocturne?a=1&b=2"
    )
    assert canonical_url("http://musee.example") == "http://musee.example/"
    assert canonical_url("http://musee.example:8080/a?") == "http://musee.example:8080/a"
    assert canonical_url("https://musee.example/a?xtor=RSS-1&id=7&mc_cid=1&ref=tw") == (
        "https://musee.example/a?id=7"
    )
    assert canonical_url("https://musee.example/%7euser/caf%c3%a9") == (
        "https://musee.example/~user/caf%C3%A9"
    )
    assert canonical_url("  mailto:accueil@musee.example ") == "mailto:accueil@musee.example"
    assert canonical_url("not a url") == "not a url"


SAFE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._~%", min_size=1, max_size=8)
TRACKING = st.sampled_from(
    ["utm_source", "utm_medium", "utm_campaign", "fbclid", "gclid", "mc_cid", "mc_eid",
     "igshid", "ref", "xtor", "pk_campaign", "UTM_Content"]
)  # fmt: skip


@st.composite
def urls(draw) -> str:
    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    host = draw(st.sampled_from(["musee.example", "Office-Tourisme.example", "www.ville.example"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(SAFE, max_size=3)))
    slash = draw(st.sampled_from(["", "/"]))
    params = draw(st.lists(st.tuples(SAFE, SAFE), max_size=3))
    params = [(k, v) for k, v in params if not k.lower().startswith(("utm_", "pk_", "mtm_"))]
    query = "&".join(f"{k}={v}" for k, v in params)
    fragment = draw(st.sampled_from(["", "#top", "#"]))
    return f"{scheme}://{host}{port}/{path}{slash}" + (f"?{query}" if query else "") + fragment


@given(urls())
def test_canonical_url_is_idempotent(url: str) -> None:
    once = canonical_url(url)
    assert canonical_url(once) == once


@given(st.text(max_size=60))
def test_canonical_url_is_idempotent_on_anything(text: str) -> None:
    once = canonical_url(text)
    assert canonical_url(once) == once


@given(urls(), st.lists(st.tuples(TRACKING, SAFE), min_size=1, max_size=4), st.randoms())
def test_tracking_parameters_never_change_the_result(url, tracking, random) -> None:
    base, _, fragment = url.partition("#")
    base, _, query = base.partition("?")
    pairs = [p for p in query.split("&") if p] + [f"{k}={v}" for k, v in tracking]
    random.shuffle(pairs)
    tracked = base + "?" + "&".join(pairs) + ("#" + fragment if fragment else "")
    assert canonical_url(tracked) == canonical_url(url)


@given(st.text(max_size=300))
def test_fingerprint_is_stable_and_fits_a_signed_bigint(text: str) -> None:
    value = fingerprint(text)
    assert value == fingerprint(text)
    assert -(2**63) <= value < 2**63


def test_fingerprint_is_the_same_in_another_process() -> None:
    # A stored fingerprint must match tomorrow's: no randomised hash() inside.
    code = "from palabre.sources.dedupe import fingerprint; print(fingerprint('Nuit des musées'))"
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        assert int(out.stdout) == fingerprint("Nuit des musées")


def test_small_edits_are_near_duplicates() -> None:
    edits = [
        NEWS.replace(",", "").replace(".", " !"),  # punctuation
        NEWS.upper(),  # letter case
        NEWS.replace("é", "e"),  # accents typed or not
        NEWS + " Lire la suite sur notre site : https://musee.example/actu?utm_source=rss",
        NEWS + "\nThe post Nocturne appeared first on Musée des Beaux-Arts.",
        NEWS.replace("12 mars", "19 avril"),  # a changed date
        NEWS.replace("samedi", "dimanche"),
        "<p>" + NEWS.replace(", avec", ",<br> avec") + "</p>",  # markup left in
    ]
    for edited in edits:
        assert is_near_duplicate(fingerprint(NEWS), fingerprint(edited)), edited


def test_different_news_are_not() -> None:
    for other in OTHER_NEWS:
        assert not is_near_duplicate(fingerprint(NEWS), fingerprint(other)), other
        assert distance(fingerprint(NEWS), fingerprint(other)) > 10
    for a in OTHER_NEWS:
        for b in OTHER_NEWS:
            if a != b:
                assert not is_near_duplicate(fingerprint(a), fingerprint(b))


def test_nothing_to_compare_is_never_a_duplicate() -> None:
    assert fingerprint("") == fingerprint("12 !!") == 0
    assert not is_near_duplicate(0, 0)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://Example.org:80/feed", "http://example.org/feed"),
        ("HTTPS://MUSEE.example:443", "https://musee.example/"),
        ("https://musee.example/feed#top", "https://musee.example/feed"),
        ("http://[::1]:80/x", "http://[::1]/x"),
    ],
)
def test_one_address_however_written(a: str, b: str) -> None:
    assert address_key(a) == address_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("http://example.org/Feed", "http://example.org/feed"),  # path case is the server's
        ("http://example.org/feed?A=1", "http://example.org/feed?a=1"),
        ("http://example.org/feed?a=1&b=2", "http://example.org/feed?b=2&a=1"),
        ("http://example.org/feed/", "http://example.org/feed"),
        ("http://example.org/feed?utm_source=x", "http://example.org/feed"),
        ("http://example.org:8080/feed", "http://example.org/feed"),
        ("https://example.org/feed", "http://example.org/feed"),
    ],
)
def test_different_addresses_stay_different(a: str, b: str) -> None:
    assert address_key(a) != address_key(b)


@given(st.sampled_from(["http", "HTTP", "Https"]), st.sampled_from(["Musee.Example", "x.org"]))
def test_the_address_key_is_idempotent(scheme: str, host: str) -> None:
    once = address_key(f"{scheme}://{host}:{443 if scheme.lower() == 'https' else 80}")
    assert address_key(once) == once and once.endswith("/") and once == once.lower()
