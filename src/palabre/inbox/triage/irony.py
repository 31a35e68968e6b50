"""Complaints without a negative word, praise with one (session 5): an approving word
signing off a grievance ("…fermée pendant les vacances. Logique.", "…nobody updated the
page, cheers"), a rhetorical question ("les gens qui bossent font comment ?", "how are
we supposed to know?"), an ironic opening ("Oh sure, …", "Ah oui bien sûr, …"), news
learnt without notice; and a bad expectation overturned ("j'avais peur qu'ils
s'ennuient et pas du tout"), thanks for help given in a hurry. Read in ``evidence.py``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from palabre.inbox.triage.lexicons import Lexicon
from palabre.inbox.triage.matcher import Match

if TYPE_CHECKING:
    from palabre.inbox.triage.evidence import Evidence

# Approval said as a last word (besides the positive lexicon's words).
CLOSER: Lexicon = {
    "logique": 1, "bien vu": 1, "nice one": 1, "good job": 1, "makes sense": 1,
    "makes total sense": 1, "bien joué": 1, "classe": 1, "merci": 1, "thanks": 1,
    "chapeau": 1, "très pro": 1, "very professional": 1, "really": 0.5, "vraiment": 0.5,
}  # fmt: skip
CLOSING_WORDS = 4  # at most, after the last full stop or comma
BODY_WORDS = 5  # at least, before it

# Grievances (merged with the negative lexicon): asked without expecting an answer…
RHETORICAL: Lexicon = {
    "font comment ?": 1.5, "comment on fait nous": 1.5, "on fait comment nous": 1.5,
    "on dort quand": 2, "on fait quoi nous": 1.5, "on est censés faire comment": 2,
    "how are we supposed to": 1.5, "how is anyone supposed to": 2,
    "how am i supposed to": 1.5, "what are we supposed to": 1.5, "who thought": 1.5,
    "qui a eu cette idée": 1.5, "qui a eu l'idée": 1.5, "who decided": 1,
    # … told without notice…
    "zero notice": 1.5, "no notice": 1.5, "no warning": 1.5, "without warning": 1.5,
    "without notice": 1.5, "sans préavis": 1.5, "sans aucune annonce": 1.5,
    "nobody bothered": 1.5, "no one bothered": 1.5, "didn't bother": 1.5,
    "personne n'a pris la peine": 2, "pas pris la peine": 1.5, "find out from": 1,
    "found out from": 1, "found out on": 1, "on l'apprend": 1, "appris par hasard": 1.5,
    "au dernier moment": 1, "chelou": 1, "still nothing": 1.5, "and still no": 1.5,
    "are a joke": 1.5, "is a joke": 1.5, "is it normal for": 1.5, "is it normal that": 1.5,
    "broken promise*": 1.5, "promesse* non tenue*": 1.5,
    "bruyant*": 1, "noisy": 1, "not been emptied": 1.5, "not been cleaned": 1.5,
    "not been fixed": 1.5, "not been repaired": 1.5, "pas été vidé*": 1.5,
    "pas été nettoyé*": 1.5, "pas été réparé*": 1.5, "jamais été vidé*": 1.5, "bored": 1,
    "on s'est cassé le nez": 1.5, "on s'est cassés le nez": 1.5,
    # a question the writer answers with nothing ("Les animations pour les ados ? Zéro.")
    "? zéro": 1, "? zero": 1, "? aucune": 1, "? aucun": 1, "? none": 1, "? nothing": 1,
    "? rien": 1,
}  # fmt: skip
# … or opened in irony (merged with the sarcasm lexicon: strong, whatever follows).
SARCASM: Lexicon = {
    "oh sure": 1.5, "oh great": 1.5, "oh brilliant": 1.5, "mais bien sûr": 1.5,
    "ah oui bien sûr": 1.5, "oui bien sûr": 1.5, "thought that one through": 2,
    "thought that through": 1.5, "what could go wrong": 2, "quelle bonne idée": 1.5,
}  # fmt: skip
# Praise of an idea that takes something away ("super idée de couper l'eau des fontaines
# pendant la canicule", "brilliant idea to close the only toilets"): sarcasm (evidence.py).
IDEA_TO: Lexicon = {
    "super idée de": 1, "bonne idée de": 1, "belle idée de": 1, "idée géniale de": 1,
    "géniale idée de": 1, "brillante idée de": 1, "great idea to": 1, "brilliant idea to": 1,
    "genius idea to": 1, "good idea to": 1, "smart move to": 1, "quelle idée de": 1,
}  # fmt: skip
UNDO: Lexicon = {
    "couper": 1, "fermer": 1, "supprimer": 1, "annuler": 1, "enlever": 1, "retirer": 1,
    "réduire": 1, "augmenter": 1, "déplacer": 1, "programmer les travaux": 1, "close": 1,
    "cut": 1, "cancel": 1, "remove": 1, "scrap": 1, "shut": 1, "raise": 1, "move": 1,
}  # fmt: skip


def undoing_idea(ev: Evidence) -> bool:
    """ "Super idée de couper l'eau…": an idea praised for taking something away."""
    for m in ev.matches("idea_to"):
        if any(u.start == m.end for u in ev.matches("undo")):
            ev.sarcasm.add(0, ev.quote(m.start, m.end + 1))
            return True
    return False


# Bad timing, a bad situation (merged with the situation lexicon).
SITUATION: Lexicon = {
    "en plein": 0.5, "pile quand": 1, "juste quand": 0.5, "right when": 0.5,
    "in the middle of": 0.5, "empty": 0.5, "vide": 0.5, "moved to": 0.5, "déplacé*": 0.5,
    "blocked": 1, "blocked by": 1, "encombré*": 1, "obstructed": 1,
    "ne rend pas la monnaie": 1, "n'accepte pas": 1, "n'accepte plus": 1,
    "doesn't accept": 1, "won't accept": 1, "ne prend pas la carte": 1,
    "ne passe plus": 1, "ne passe pas": 1, "n'est pas passé*": 1, "jamais passé*": 1,
    "hasn't come": 1, "hasn't turned up": 1, "didn't come": 1, "didn't turn up": 1,
    "without a working": 1, "no working": 1, "sans ascenseur": 1, "sans chauffage": 1,
    "sans lumière": 1, "without heating": 1, "without lights": 1,
    # how long it took: "trois semaines pour ramasser…", "two weeks to fix…"
    "semaines pour": 1, "mois pour": 1, "jours pour": 1, "heures pour": 1, "weeks to": 1,
    "months to": 1, "days to": 1, "hours to": 1, "weeks for": 1, "months for": 1,
    # a trouble going on since a day of the week
    "since monday": 0.5, "since tuesday": 0.5, "since wednesday": 0.5,
    "since thursday": 0.5, "since friday": 0.5, "since saturday": 0.5, "since sunday": 0.5,
    "depuis lundi": 0.5, "depuis mardi": 0.5, "depuis mercredi": 0.5, "depuis jeudi": 0.5,
    "depuis vendredi": 0.5, "depuis samedi": 0.5, "depuis dimanche": 0.5,
}  # fmt: skip

# A change over time: "now" then means these days, not this minute ("devenus trop chers
# pour les familles maintenant", "impossible to park now that…"; evidence.py).
CHANGED: Lexicon = {
    "devenu*": 1, "devenue*": 1, "become": 1, "became": 1, "has got": 1, "have got": 1,
    "getting": 1, "de plus en plus": 1, "more and more": 1, "these days": 1,
    "nowadays": 1, "de nos jours": 1, "désormais": 1, "now that": 1, "maintenant que": 1,
    "depuis que": 1, "ever since": 1, "since they": 1, "turned into": 1, "turning into": 1,
}  # fmt: skip

# A bad expectation…
EXPECTED: Lexicon = {
    "je m'attendais à": 1, "je m'attendais": 1, "on s'attendait à": 1, "j'avais peur": 1,
    "on avait peur": 1, "j'étais sceptique": 1, "i expected": 1, "i was expecting": 1,
    "i thought": 1, "we thought": 1, "i was worried": 1, "i feared": 1, "i was sceptical": 1,
    "i was skeptical": 1,
}  # fmt: skip
# … overturned.
OVERTURNED: Lexicon = {
    "et pas du tout": 1, "mais pas du tout": 1, "but it wasn't": 1, "but it was not": 1,
    "but they weren't": 1, "not at all": 1, "au contraire": 1, "pas du tout": 1,
    "but no": 1, "finalement": 1, "mais non": 1,
}  # fmt: skip

# Thanks for help, even in a hurry: "last minute" then is no sarcasm.
HELPED: Lexicon = {
    "for helping": 1, "helped me": 1, "helped my": 1, "helped us": 1, "m'a aidé*": 1,
    "nous a aidé*": 1, "m'avoir aidé*": 1, "nous avoir aidé*": 1, "lifesaver*": 1,
    "sauvé la mise": 1, "m'a sauvé*": 1, "vous m'avez sauvé*": 1,
}  # fmt: skip
# Praise for help, and for a service's virtues (merged with the positive lexicon; beside
# a delay, sarcasm: "trois semaines pour reboucher un trou, quelle efficacité 👏").
POSITIVE: Lexicon = {
    "quelle efficacité": 1.5, "quelle réactivité": 1.5, "quel professionnalisme": 1.5,
    "très efficace": 1, "vraiment efficace": 1, "so efficient": 1, "such efficiency": 1.5,
    "very efficient": 1,
    "lifesaver*": 1.5, "sauvé la mise": 2, "for helping": 1, "so patient": 1.5,
    "très patient*": 1.5,
}  # fmt: skip

ENDS = frozenset((".", ",", ";", "!", "?", "…"))


# A few words in quotation marks (not an apostrophe inside a word): praise in them is
# held at a distance — "the 'family friendly' festival had one baby change table".
SCARE_QUOTES = re.compile(
    r"(?:(?<=\s)|^)['\"“«‘]\s?([^'\"”»’\n]{2,40}?)\s?['\"”»’](?=[\s.,!?;:]|$)"
)


def scare_quoted(ev: Evidence) -> list[tuple[int, int]]:
    """Where the text holds a few words in quotation marks (character spans)."""
    if not any(q in ev.text for q in "'\"“«‘"):
        return []
    return [m.span(1) for m in SCARE_QUOTES.finditer(ev.text) if m.group(1).count(" ") < 4]


WHY = frozenset(("pourquoi", "why"))


def why_always(ev: Evidence) -> None:
    """Why a bad situation keeps coming back ("Pourquoi la ludothèque est-elle toujours
    fermée le mercredi ?"): a question about a complaint is a complaint."""
    if ev.situation.score >= 1 and ev.matches("again") and any(t.norm in WHY for t in ev.toks):
        ev.negative.add(1, ev.quote(ev.matches("again")[0].start, ev.matches("again")[0].end))


THANKS = frozenset(("merci", "thanks", "thank", "cheers"))
THANKED_FOR = 6  # words from the thanks to what it thanks for


def thanks_for_trouble(ev: Evidence) -> bool:
    """Thanks for a grievance ("Merci la mairie pour les travaux bruyants à 7h", "thanks
    for the freezing room"): sarcasm."""
    for m in ev.matches("positive"):
        if ev.toks[m.start].norm not in THANKS:
            continue
        for bad in ev.matches("negative"):
            if 0 < bad.start - m.end <= THANKED_FOR and bad.weight >= 1:
                ev.sarcasm.add(0, ev.quote(m.start, bad.end))
                return True
    return False


def overturned(ev: Evidence) -> bool:
    """Negative words told as what the person feared, then denied ("je m'attendais à
    m'ennuyer et pas du tout"): praise, not a complaint (nor sarcasm)."""
    turned = False
    for hope in ev.matches("expected"):
        end = next((m for m in ev.matches("overturned") if m.start > hope.start), None)
        if end is None:
            continue
        for m in ev.matches("negative"):
            if hope.start < m.start < end.start and m.weight <= ev.negative.score:
                ev.negative.score -= m.weight
                ev.positive.add(m.weight, ev.quote(hope.start, end.end))
                ev.negation.add(0, ev.quote(m.start, m.end))
                turned = True
    return turned


def closing(ev: Evidence) -> bool:
    """Approval as the last word of a grievance: "…pendant les vacances. Logique.",
    "…nobody bothered to update the page, cheers". The body before it must hold a
    grievance and no praise."""
    toks = ev.toks
    last = len(toks)
    while last and not toks[last - 1].norm[0].isalnum():
        last -= 1  # trailing punctuation and emoji
    cuts = [i for i in range(last - 1, -1, -1) if toks[i].norm in ENDS][:2]
    for cut in cuts:  # the last clause, or the last two ("Great job, really.")
        if cut < BODY_WORDS or not 0 < last - cut - 1 <= CLOSING_WORDS:
            continue
        approving = [
            m
            for m in ev.matches("positive") + ev.matches("closer")
            if m.start > cut and m.weight >= 1
        ]
        if approving and not any(m.start < cut for m in ev.matches("positive")):
            return _grievance_before(ev, cut, approving)
    return False


def _grievance_before(ev: Evidence, cut: int, approving: list[Match]) -> bool:
    """A grievance before the last word, and no praise (litotes included: "jamais
    déçue, merci" is thanks)."""
    closing_words = {ev.quote(m.start, m.end) for m in ev.matches("positive") if m.start > cut}
    if any(w not in closing_words for w in ev.positive.words):
        return False
    kinds = ("negative", "situation", "incident", "broken")  # a grievance, or a trouble
    body = [m for k in kinds for m in ev.matches(k) if m.end <= cut]
    if sum(m.weight for m in body) < 1 and not ev.matches("past"):
        return False
    for m in approving:
        ev.sarcasm.add(0, ev.quote(m.start, m.end))
    return True
