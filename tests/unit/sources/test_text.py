"""Feed HTML made safe to show (sanitize_html), turned into post text (html_to_text), and
shortened to a network's limit (truncate_text)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from palabre.channels.text import graphemes, mastodon_length
from palabre.sources.text import html_to_text, sanitize_html, truncate_text


def test_sanitize_keeps_the_allow_list_and_drops_the_rest() -> None:
    html = (
        '<p onclick="steal()" style="color:red">Entrée <strong>libre</strong>, '
        '<a href="/agenda" target="_blank">agenda</a>, <a href="javascript:alert(1)">piège</a>, '
        '<a href="mailto:accueil@musee.example">écrire</a></p>'
        "<script>alert(1)</script><style>p{}</style><iframe src=x></iframe>"
        '<img src="https://tracker.example/p.gif" onerror="x()"><h2>Horaires</h2>'
        "<ul><li>mardi</li></ul><blockquote>Citation</blockquote><!-- note -->"
    )
    clean = sanitize_html(html, base_url="https://musee.example/actualites/")
    assert clean == (
        "<p>Entrée <strong>libre</strong>, "
        '<a href="https://musee.example/agenda" rel="noopener nofollow ugc">agenda</a>, '
        '<a rel="noopener nofollow ugc">piège</a>, '
        '<a href="mailto:accueil@musee.example" rel="noopener nofollow ugc">écrire</a></p>'
        "Horaires<ul><li>mardi</li></ul><blockquote>Citation</blockquote>"
    )


def test_relative_links_without_a_base_are_dropped() -> None:
    assert sanitize_html('<a href="/x">lien</a>') == '<a rel="noopener nofollow ugc">lien</a>'


@given(st.text())
def test_sanitized_html_never_carries_scripts_or_handlers(text: str) -> None:
    html = (
        f'<div onmouseover="x()"><script>{text}</script>'
        f'<a href="javascript:{text}">{text}</a></div>'
    )
    clean = sanitize_html(html).lower()
    assert "<script" not in clean and "onmouseover" not in clean and "javascript:" not in clean


def test_html_to_text_keeps_paragraphs_and_lines() -> None:
    html = (
        "<p>Bonjour&nbsp;&amp; bienvenue\n  au   musée</p>\n<p>Ligne<br>suivante<br><br>"
        "paragraphe</p><ul>\n<li>mardi</li>\n<li>jeudi <em>soir</em></li></ul>"
        "<script>alert(1)</script><style>p{}</style>Fin &eacute;t&eacute;."
    )
    assert html_to_text(html) == (
        "Bonjour & bienvenue au musée\n\nLigne\nsuivante\n\nparagraphe\n\nmardi\njeudi soir"
        "\n\nFin été."
    )


def test_html_to_text_of_plain_text_and_nothing() -> None:
    assert html_to_text("  Plain\n text  ") == "Plain text"
    assert html_to_text("AT&amp;T") == "AT&T"
    assert html_to_text("") == html_to_text("   ") == ""


WORDS = st.sampled_from(["musée", "expo", "été", "🎨", "a", "Nuit", "&amp;", "x" * 30])
TAGS = st.sampled_from(["p", "div", "b", "em", "li", "span", "h2", "blockquote"])


@st.composite
def html_documents(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(TAGS)
        words = " ".join(draw(st.lists(WORDS, max_size=5)))
        parts.append(f"<{tag} class='c'>{words}</{tag}>" if draw(st.booleans()) else words)
    return " ".join(parts)


@given(html_documents())
def test_html_to_text_leaves_no_markup_and_no_runs_of_spaces(html: str) -> None:
    text = html_to_text(html)
    assert "<" not in text and ">" not in text and "&amp;" not in text
    assert "  " not in text and "\n\n\n" not in text
    assert text == text.strip()


def test_truncate_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "Le musée ouvre ses portes ce week-end pour la Nuit des musées."
    assert truncate_text(text, 100) == text
    assert truncate_text(text, 25) == "Le musée ouvre ses…"
    assert truncate_text("Anticonstitutionnellement", 10) == "Anticonst…"
    assert truncate_text("Bonjour, le monde", 10) == "Bonjour…"  # no dangling comma


def test_truncate_never_splits_a_grapheme() -> None:
    family = "👩\u200d👩\u200d👧"
    text = family * 8
    cut = truncate_text(text, 4)
    assert cut == family * 3 + "…"


def test_truncate_counts_like_the_network() -> None:
    text = "Visite guidée https://musee.example/" + "a" * 80 + " demain matin à dix heures"
    cut = truncate_text(text, 45, mastodon_length)
    assert cut == "Visite guidée https://musee.example/" + "a" * 80 + " demain…"
    assert mastodon_length(cut) <= 45


@given(st.text(min_size=0, max_size=200), st.integers(min_value=1, max_value=80))
def test_truncated_text_always_fits(text: str, limit: int) -> None:
    cut = truncate_text(text, limit)
    assert graphemes(cut) <= limit
    if graphemes(text) <= limit:
        assert cut == text
    else:
        assert cut.endswith("…")
