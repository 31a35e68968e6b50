"""What the API and the "try a message" page accept, with the messages a person reads."""

from __future__ import annotations

from palabre.core.errors import FieldErrors
from palabre.inbox.triage import LANGUAGES, MAX_ANALYSED, Triage, plain_text, triage

# Accepted, and read up to MAX_ANALYSED characters; beyond this the request is refused
# (nobody pastes a book to see how it would be triaged).
MAX_INPUT = 100_000


def checked_triage(text: str, lang: str | None) -> Triage:
    """Triage ``text`` after checking it; raises ``Invalid`` with a message per field."""
    errors = FieldErrors()
    if not text or not text.strip():
        errors.add("text", "Write the message to triage: the text is empty.")
    elif len(text) > MAX_INPUT:
        errors.add(
            "text",
            "This message is too long: at most %(max)s characters are accepted "
            "(the first %(read)s are read).",
            max=f"{MAX_INPUT:,}",
            read=f"{MAX_ANALYSED:,}",
        )
    elif not plain_text(text):
        errors.add("text", "This message has no text once its HTML tags are removed.")
    if lang not in (None, "", *LANGUAGES):
        errors.add("lang", "Unknown language: choose fr or en, or leave it out.")
    errors.raise_if_any()
    return triage(text, lang or None)
