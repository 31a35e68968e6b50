"""Templates: sandboxed, clear about mistakes, and never longer than the network allows."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from palabre.automations.rendering import TemplateProblem, fit, hashtags, render
from palabre.automations.settings import AGENDA_TEMPLATE, CURATION_TEMPLATE, NEWS_TEMPLATE
from palabre.channels import text as textcount
from palabre.channels.base import Capabilities

MASTODON = Capabilities(text_limit=500, counting="mastodon")
BLUESKY = Capabilities(text_limit=300, counting="graphemes")
TINY = Capabilities(text_limit=40, counting="mastodon")


def variables(title: str, summary: str, link: str, cats: list[str]) -> dict[str, object]:
    return {
        "title": title,
        "summary": summary,
        "link": link,
        "hashtags": hashtags(cats),
        "source": "Musée",
        "event": {"title": title, "when": "samedi 3 mai à 14:00", "place": "", "link": link},
    }


def test_summary_is_shortened_and_the_link_kept() -> None:
    text = fit(
        NEWS_TEMPLATE,
        variables("Nuit des musées", "mot " * 400, "https://musee.example/nuit", ["Fête"]),
        BLUESKY,
    )
    assert textcount.count(text, BLUESKY) <= 300
    assert "https://musee.example/nuit" in text and "Nuit des musées" in text
    assert "…" in text and "#Fête" in text


def test_a_long_url_counts_23_on_mastodon() -> None:
    link = "https://musee.example/" + "a" * 300
    text = fit(NEWS_TEMPLATE, variables("Titre", "Résumé court.", link, []), MASTODON)
    assert link in text  # 23 characters for Mastodon, whatever its length


def test_hashtags_are_normalised_and_keep_accents() -> None:
    tags = hashtags(["Art contemporain", "été", "2026", "C'est l'été !", "art CONTEMPORAIN"])
    assert tags.split() == ["#ArtContemporain", "#été", "#CEstLÉté"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ titel }}", "Unknown variable in the template: titel"),
        ("{% if title %}", "The template has a mistake on line 1"),
        ("{{ title.__class__.__mro__ }}", "not allowed"),
        ("{% for i in range(10**6) %}x{% endfor %}", "too big"),
        ("{% for i in range(500) %}x{% endfor %}", "not allowed"),
        ("{{ 1 / 0 }}", "cannot be filled in"),
    ],
)
def test_a_broken_template_is_a_clear_problem(source: str, expected: str) -> None:
    with pytest.raises(TemplateProblem) as caught:
        render(source, variables("T", "S", "https://x.example", []))
    assert expected in str(caught.value)


text_strategy = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=600
)  # any letters, emoji, combining marks, newlines


@settings(max_examples=200, deadline=None)
@given(
    title=text_strategy,
    summary=text_strategy,
    link=st.sampled_from(["", "https://musee.example/a", "https://x.example/" + "é" * 200]),
    cats=st.lists(st.text(max_size=30), max_size=8),
    caps=st.sampled_from([MASTODON, BLUESKY, TINY]),
    source=st.sampled_from(
        [NEWS_TEMPLATE, AGENDA_TEMPLATE, CURATION_TEMPLATE, "{{ title }} " * 30 + "{{ link }}"]
    ),
)
def test_rendered_text_never_exceeds_the_limit(
    title: str, summary: str, link: str, cats: list[str], caps: Capabilities, source: str
) -> None:
    text = fit(source, variables(title, summary, link, cats), caps)
    assert textcount.count(text, caps) <= caps.text_limit


HOSTILE = [
    '{{ "a" * 10**7 }}',
    "{{ 7**100000 }}",
    "{{ 2**64**64 }}",
    "{{ 10**400 * 10**400 }}",
    '{{ "%10000000s" % "a" }}',
    '{{ "a"|center(10**7) }}',
    '{{ "a".ljust(10000000) }}',
    '{{ ("a" * 5000 + "a" * 5000).replace("", "a" * 5000) }}',
    '{{ ("ab" * 4000)|replace("", "x" * 4000) }}',
    '{{ "{:>10000000}".format("a") }}',
    '{{ "%100000000s"|format("a") }}',
    '{{ "{a:>100000000}".format_map({"a": 1}) }}',
    '{{ "{0:.100000000f}".format(1.5) }}',
    "{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}"
    "{% endfor %}{% endfor %}{% endfor %}",
    "{% for i in range(100) %}{% for j in range(100) %}{{ title }}{% endfor %}{% endfor %}",
    "{% macro m(s) %}{{ m(s ~ s) }}{% endmacro %}{{ m('ab') }}",
    "{% for c in title recursive %}{{ loop(c) }}{% endfor %}",
    '{% include "x" %}',
    "{{ title * 100000 }}",
    '{{ (["a" * 9000] * 5000)|join }}',
    '{{ "".join(["a" * 9000] * 5000) }}',
    '{{ [["a" * 5000] * 2] * 5000 }}',
    '{{ ["a" * 9000]|batch(10000, fill_with="b" * 9000)|list }}',
    "{{ title }}" * 300,
]


@pytest.mark.parametrize("source", HOSTILE)
def test_a_hostile_template_is_refused_quickly_and_clearly(source: str) -> None:
    """Nothing big is ever allocated: each of these ran for seconds or ate memory before."""
    start = time.process_time()
    tracemalloc.start()
    try:
        with pytest.raises(TemplateProblem) as caught:
            fit(source, variables("Titre", "Résumé", "https://x.example", []), MASTODON)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.process_time() - start < 1.0
    assert peak < 2_000_000, peak  # bytes: nothing big was ever allocated
    assert caught.value.message in {
        "The template makes something too big (more than %(size)s characters).",
        "The template is too long (more than %(size)s characters).",
        "The template tries something that is not allowed.",
    }, str(caught.value)


def test_ordinary_arithmetic_and_filters_still_work() -> None:
    source = '{{ title|upper }} {{ "-" * 3 }} {{ 2**10 }} {{ 7 // 2 }} {{ 7 % 3 }} {{ title[:3] }}'
    out = render(source, variables("Exposition", "S", "", []))
    assert out == "EXPOSITION --- 1024 3 1 Exp"


template_parts = st.sampled_from(
    [
        "{{ title }}",
        "{{ summary }}",
        " * ",
        " ** ",
        " + ",
        " % ",
        " // ",
        "{{ ",
        " }}",
        "{% for i in range(",
        ") %}",
        "{% endfor %}",
        "9",
        "99",
        "10**",
        '"a"',
        "|center(",
        "|replace(",
        ".ljust(",
        ")",
        "(",
        "{% if ",
        "{% endif %}",
        " ~ ",
        "title",
        "link",
        "{% macro m() %}",
        "{% endmacro %}",
        "[",
        "]",
        ",",
        "|join",
        "|list",
        "|wordwrap(",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=80), st.lists(template_parts, max_size=14).map("".join)))
def test_no_template_crashes_or_grows_beyond_the_cap(source: str) -> None:
    try:
        text = render(source, variables("Titre", "Résumé " * 50, "https://x.example", ["a"]))
    except TemplateProblem:
        return
    assert len(text) <= 10_000
