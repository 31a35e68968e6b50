"""Whatever people write, triage answers: a valid category and urgency, reasons that
quote only words really in the message, the same answer every time, never a crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from palabre.core.i18n import translator_for
from palabre.inbox.triage import CATEGORIES, MAX_ANALYSED, URGENCIES, plain_text, triage
from palabre.inbox.triage import cues as cx
from palabre.inbox.triage import lexicons as lx

VOCABULARY = sorted(
    {
        *lx.POSITIVE,
        *lx.NEGATIVE,
        *lx.INCIDENT,
        *lx.QUESTION,
        *cx.TIME,
        *cx.SPAM,
        *cx.SUGGESTION,
        *lx.SARCASM,
        *lx.NEGATORS,
    }
)
PIECES = st.one_of(
    st.sampled_from([w.rstrip("*") for w in VOCABULARY]),
    st.sampled_from(["?", "!", ",", ".", "👏", "🙃", "❤️", "https://x.example/a", "<b>", "</p>"]),
    st.sampled_from(["ÉNORME", "trèèès", "l'", "n't", "&amp;", "&lt;", "مرحبا", "שלום", "\u200f"]),
    st.text(max_size=12),
)
MESSAGES = st.lists(PIECES, max_size=25).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(MESSAGES)
def test_triage_always_answers_with_valid_values(text: str) -> None:
    result = triage(text)
    assert result.category in CATEGORIES
    assert result.urgency in URGENCIES
    assert isinstance(result.important, bool)
    assert result.reasons
    assert result.lang in ("fr", "en")
    if result.category == "incident":
        assert (result.urgency, result.important) == ("urgent", True)
    if result.category == "spam":
        assert (result.urgency, result.important) == ("low", False)
    if result.category in ("praise", "suggestion", "other"):
        assert result.urgency == "low"


@settings(max_examples=400, deadline=None)
@given(MESSAGES)
def test_reasons_quote_only_words_of_the_message(text: str) -> None:
    read = plain_text(text)[:MAX_ANALYSED]
    for reason in triage(text).reasons:
        for word in reason.words:
            assert word and word in read, (reason, read)


@settings(max_examples=200, deadline=None)
@given(MESSAGES, st.sampled_from([None, "fr", "en", "de", ""]))
def test_same_message_same_answer_and_reasons_read_in_both_languages(
    text: str, lang: str | None
) -> None:
    first, second = triage(text, lang), triage(text, lang)
    assert first == second
    for tr in (translator_for("fr"), translator_for("en")):
        for reason in first.reasons:
            assert reason.text(tr)


@settings(max_examples=60, deadline=None)
@given(MESSAGES, st.integers(min_value=1, max_value=600))
def test_long_messages_are_cut_and_say_so(piece: str, times: int) -> None:
    text = (piece + " ") * times
    result = triage(text)
    cut = len(plain_text(text)) > MAX_ANALYSED
    assert ("truncated" in {r.code for r in result.reasons}) == cut
