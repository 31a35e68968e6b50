"""Messages that are social rather than something to answer (session 5): friends
tagged and talked to ("@Manon @Théo regardez, c'est là qu'on…", "@jamie this is the
bakery I told you about"), wishes ("Joyeux Noël à toute l'équipe 🎄"); and the label a
message opens with ("Petite question : …", "Idée pour le festival : …"). Read in
``evidence.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from palabre.inbox.triage.lexicons import Lexicon

if TYPE_CHECKING:
    from palabre.inbox.triage.evidence import Evidence

# Talking to the people tagged, not to the organisation.
FRIENDS: Lexicon = {
    "regarde": 1, "regardez": 1, "regarde ça": 1, "regardez ça": 1, "look": 1,
    "look at this": 1, "this is the": 1, "that's the": 1, "c'est là": 1, "c'est ici": 1,
    "c'est pas là": 1, "c'était là": 1, "is this where": 1, "isn't this where": 1,
    "told you": 1, "telling you": 1, "je t'avais dit": 1, "je vous avais dit": 1,
    "je t'en avais parlé": 1, "on y va": 1, "tu viens": 1, "vous venez": 1, "you coming": 1,
    "let's go": 1, "we should go": 1, "on devrait y aller": 1, "t'as vu": 1, "tu as vu": 1,
    "did you see": 1, "ça te dit": 1, "fancy it": 1, "on se retrouve": 1, "on se voit": 1,
    "rendez-vous": 1, "rdv": 1, "see you": 1, "meet you": 1, "meet at": 1,
    "tu te souviens": 1, "vous vous souvenez": 1, "remember when": 1, "on y était": 1,
}  # fmt: skip
# Wishing a good day, a good year: no compliment to answer.
WISHES: Lexicon = {
    "joyeux noël": 1, "bonne année": 1, "bonnes fêtes": 1, "meilleurs vœux": 1,
    "joyeuses fêtes": 1, "joyeuses pâques": 1, "bon week-end": 1, "bonne rentrée": 1,
    "bonnes vacances": 1, "bel été": 1, "happy new year": 1, "merry christmas": 1,
    "happy holidays": 1, "happy easter": 1, "season's greetings": 1, "have a good weekend": 1,
    "happy halloween": 1, "bonne fête": 1, "bon courage à": 1, "bon courage aux": 1,
    "bonne chance à": 1, "bonne chance aux": 1, "good luck to": 1,
}  # fmt: skip
# A label first: what the message is, then a colon or a comma.
LABEL: dict[str, str] = {
    "question": "question", "petite question": "question", "question rapide": "question",
    "quick question": "question", "quick q": "question", "une question": "question",
    "idée": "suggestion", "petite idée": "suggestion", "une idée": "suggestion",
    "idea": "suggestion", "quick idea": "suggestion", "suggestion": "suggestion",
    "petite suggestion": "suggestion", "proposition": "suggestion",
}  # fmt: skip
LABEL_WORDS = 6  # the label and what it is about, before the colon or the comma


def talks_to_friends(ev: Evidence) -> list[str]:
    """Opened by mentions, and talks to them: the words that say so."""
    if not ev.toks or ev.toks[0].norm != "@":
        return []
    return [ev.quote(m.start, m.end) for m in ev.matches("friends")]


def label(ev: Evidence) -> tuple[str, str] | None:
    """The kind of message its opening label names ("Petite idée en passant :"), and
    the label as written; None when it opens with no label."""
    for m in ev.matches("label"):
        if m.start > 1:
            break
        after = ev.toks[m.end : m.end + LABEL_WORDS]
        if any(t.norm in (":", ",") for t in after) or (after and after[0].norm in (":", ",")):
            return m.value, ev.quote(m.start, m.end)
    return None
