"""Incidents a witness tells (session 5, round 3: what `blind5` missed), each by what it is
made of: a stranger after a child (who follows, films, hangs around, right before the
child is named); a body reacting now (a face, lips or a tongue swelling; "fait une
réaction"); someone half conscious ("dans les vapes", "woozy"), which makes an old person
or anyone close by an incident through the pairs of the earlier fields; a cut just made;
the organisation's own account hacked or asking for a secret, as someone who received it
reports. Quebec French says the day ("à soir", "à matin"). The pairs join
``catalogue.INCIDENT_PAIRS``; the constructions are read in ``evidence.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from palabre.inbox.triage.lexicons import Lexicon

if TYPE_CHECKING:
    from palabre.inbox.triage.evidence import Evidence
    from palabre.inbox.triage.matcher import Match

# Someone the writer does not know…
STRANGER: Lexicon = {
    "un type": 1, "un homme": 1, "un monsieur": 1, "un inconnu": 1, "un individu": 1,
    "un mec": 1, "un gars": 1, "un vieux": 1, "a man": 1, "some man": 1, "a guy": 1,
    "some guy": 1, "a bloke": 1, "some bloke": 1, "a stranger": 1, "an older man": 1,
    "this man": 1, "this guy": 1, "ce type": 1, "cet homme": 1, "ce monsieur": 1,
}  # fmt: skip
# … who follows, films or hangs around…
PURSUIT: Lexicon = {
    "suit": 1, "suivent": 1, "filme": 1, "filment": 1, "photographie": 1,
    "prend des photos": 1, "prend en photo": 1, "mitraille": 1, "rôde": 1, "traîne autour": 1,
    "tourne autour": 1, "attend à la sortie": 1, "essaie de parler": 1, "fait des remarques": 1,
    "aborde": 1, "follows": 1, "following": 1, "filming": 1, "taking pictures": 1,
    "taking photos": 1, "photographing": 1, "hanging around": 1, "lurking": 1,
    "trying to talk": 1, "staring at": 1, "watching the": 1, "approaching": 1,
}  # fmt: skip
# … with a child named right after (the one followed): a child, a minor, a member.
AFTER_CHILD = 5

# Clothes of the pool or none: pictures of children so are pictures in a private place
# (merged with hazards.PRIVATE_PLACE).
UNDRESSED: Lexicon = {
    "en maillot": 1, "en maillots": 1, "en maillot de bain": 1, "tout nus": 1, "toute nue": 1,
    "tout nu": 1, "toutes nues": 1, "se changent": 1, "swimsuit*": 1, "swimwear": 1,
    "swimming costume*": 1, "naked": 1, "undressed": 1, "getting changed": 1,
}  # fmt: skip

# A body reacting now: a part of the face…
BODY: Lexicon = {
    "lèvres": 1, "bouche": 1, "joues": 1, "visage": 1, "langue": 1, "gorge": 1, "yeux": 1,
    "paupières": 1, "figure": 1, "lips": 1, "mouth": 1, "cheeks": 1, "face": 1, "tongue": 1,
    "throat": 1, "eyes": 1, "eyelids": 1,
}  # fmt: skip
# … swelling.
SWELLING: Lexicon = {
    "gonfle": 1, "gonflent": 1, "enfle": 1, "enflent": 1, "swelling": 1, "swells": 1,
    "swollen": 1, "puffing up": 1, "puffed up": 1, "blowing up": 1,
}  # fmt: skip
# Incidents told in a word (merged with the incident lexicon): a reaction, a cut just made.
INCIDENT: Lexicon = {
    "fait une réaction": 2, "fait une grosse réaction": 2, "choc anaphylactique": 2,
    "œdème": 2, "having a reaction": 2, "anaphylactic": 2, "anaphylaxis": 2,
}  # fmt: skip
# Hurt (merged with the hurt lexicons): a cut.
HURT: Lexicon = {
    "se couper": 1, "s'est coupé*": 1, "se coupe": 1, "s'entailler": 1, "s'est entaillé*": 1,
    "entaillé*": 1, "ouvert le genou": 1, "ouvert la main": 1, "saigne*": 1, "gashed": 1,
    "cut his": 1, "cut her": 1, "cut their": 1, "cut my": 1, "bleeds": 1, "bleeding": 1,
}  # fmt: skip
# Half conscious (merged with the unwell lexicons).
UNWELL: Lexicon = {
    "dans les vapes": 1, "dans le cirage": 1, "dans le coaltar": 1, "tourne de l'œil": 1,
    "tourné de l'œil": 1, "tournent de l'œil": 1, "fait un malaise": 1, "font un malaise": 1,
    "vertiges": 1, "étourdi*": 1, "groggy": 1, "woozy": 1, "out of it": 1, "passing out": 1,
    "passed out": 1, "about to faint": 1, "light-headed": 1, "lightheaded": 1, "dizzy": 1,
}  # fmt: skip
# More words for old people (merged with hazards.VULNERABLE).
VULNERABLE: Lexicon = {
    "mamies": 1, "papis": 1, "papys": 1, "aînés": 1, "anciens": 1, "old folk": 1,
    "old people": 1, "grannies": 1, "personnes âgées": 1,
}  # fmt: skip

# The organisation's own account…
YOUR_CHANNEL: Lexicon = {
    "votre compte": 1, "votre page": 1, "votre profil": 1, "vos comptes": 1, "your account": 1,
    "your page": 1, "your profile": 1, "your official": 1, "your instagram": 1,
    "your facebook": 1, "your insta": 1,
}  # fmt: skip
# … from which someone received a message…
RECEIVED: Lexicon = {
    "je reçois": 1, "j'ai reçu": 1, "on a reçu": 1, "m'a écrit": 1, "m'écrit": 1,
    "m'envoie": 1, "m'a envoyé": 1, "me demande": 1, "m'a demandé": 1, "en privé": 1,
    "message privé": 1, "got a dm": 1, "got a message": 1, "received": 1, "messaged me": 1,
    "dm from": 1, "dm'd me": 1, "sent me": 1, "asking for my": 1, "asked for my": 1,
    "asking me for": 1,
}  # fmt: skip
# … that asks for a secret, or says it is hacked.
SECRET: Lexicon = {
    "code de carte": 1, "code de ma carte": 1, "code secret": 1, "code pin": 1,
    "mot de passe": 1, "numéro de carte": 1, "numéro de ma carte": 1, "cryptogramme": 1,
    "security code": 1, "card details": 1, "card number": 1, "password": 1, "cvv": 1,
    "pin": 1, "piraté*": 1, "pirater": 1, "hacké*": 1, "hacked": 1, "compromised": 1,
    "usurpé*": 1, "cloné*": 1,
}  # fmt: skip
CHANNEL_APART = 12  # from the account to its message received
SECRET_APART = 25  # from there to the secret asked or the hacking

# A condition is no event (merged with the not-incident lexicon): "mon fils est allergique
# à l'arachide, les goûters en contiennent ?" asks; a body reacting is told above.
NOT_INCIDENT: Lexicon = {
    "est allergique": 1, "sont allergiques": 1, "is allergic": 1, "are allergic": 1,
    "food allergies": 1, "allergies alimentaires": 1,
}  # fmt: skip
# A work that tells of a danger: "le film de ce soir c'est un incendie dans un gratte-ciel",
# "the disaster movie is about the whole town burning down", "l'expo parle d'explosions".
WORK: Lexicon = {
    "film": 1, "movie": 1, "expo": 1, "exposition": 1, "exhibition": 1, "pièce": 1,
    "play": 1, "livre": 1, "book": 1, "roman": 1, "novel": 1, "série": 1, "series": 1,
    "documentaire": 1, "documentary": 1, "spectacle": 1, "show": 1, "conférence": 1,
    "talk": 1,
}  # fmt: skip
TELLS: Lexicon = {
    "parle": 1, "parlent": 1, "raconte": 1, "montre": 1, "c'est": 1, "about": 1,
    "shows": 1, "depicts": 1, "tells": 1, "sur": 1, "is about": 1,
}  # fmt: skip
WORK_APART, TOLD_APART = 8, 8

# Quebec French: "à soir" is tonight, "à matin" this morning (merged with cues.TIME).
TIME: dict[str, str] = {"à soir": "tonight", "à matin": "today", "a soir": "tonight"}

# (first, second, how many words apart at most): with ``catalogue.INCIDENT_PAIRS``.
PAIRS = (("body", "swelling", 4),)  # "ses lèvres gonflent", "her face is swelling up"


def constructions(ev: Evidence) -> None:
    _stranger_after_child(ev)
    _channel_hacked(ev)


def _first_close(first: list[Match], second: list[Match], apart: int) -> Match | None:
    return next((b for a in first for b in second if 0 < b.start - a.start <= apart), None)


def _stranger_after_child(ev: Evidence) -> None:
    """ "Un type suit ma fille de 14 ans", "some man is taking pictures of the little
    ones": a stranger, what they do, the child right after."""
    for s in ev.matches("stranger"):
        act = next((p for p in ev.matches("pursuit") if 0 < p.start - s.start <= 6), None)
        if act is None:
            continue
        who = [m for k in ("child", "minor", "member") for m in ev.matches(k)]
        child = next((m for m in who if 0 <= m.start - act.end < AFTER_CHILD), None)
        if child is not None:
            ev.incident.add(2, ev.quote(s.start, act.end))
            ev.incident.add(0, ev.quote(child.start, child.end))
            return


def _channel_hacked(ev: Evidence) -> None:
    """ "Je reçois un message privé de votre compte officiel qui me demande mon code de
    carte", "I got a DM from your Instagram … hacked": the organisation's own account."""
    channels = ev.matches("your_channel")
    received = [m for m in ev.matches("received") if any(
        abs(m.start - c.start) <= CHANNEL_APART for c in channels)]  # fmt: skip
    secret = _first_close(received, ev.matches("secret"), SECRET_APART) or next(
        (s for s in ev.matches("secret") for r in received if 0 < r.start - s.start <= 8),
        None,
    )
    if received and secret is not None:
        ev.incident.add(2, ev.quote(received[0].start, received[0].end))
        ev.incident.add(0, ev.quote(secret.start, secret.end))


def told_in_work(ev: Evidence, start: int) -> bool:
    """Whether the danger at ``start`` is what a film, a book or an exhibition tells."""
    tells = [t for t in ev.matches("tells") if 0 < start - t.start <= TOLD_APART]
    return any(0 < t.start - w.start <= WORK_APART for t in tells for w in ev.matches("work"))
