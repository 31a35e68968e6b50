"""Incidents of kinds the earlier fields never met (session 5, round 2), each told by what it is
made of rather than by its sentences: a vulnerable person whose whereabouts nobody knows,
an access device that keeps people from getting in or out, a machine running wild, an
animal out of where it is kept, a gate left open onto a danger with children or animals
about, many people's data sent or shown by a system, pictures of minors taken in a private
place or posted by a stranger; then a vulnerable person (or an age that says one) in a
bad state, a machine that keeps a card, a payment spinning, someone where nobody should
stand, a group leaving without one of its own. Written field by field; the pairs join
``catalogue.INCIDENT_PAIRS``, the constructions are read in ``evidence.py``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from palabre.inbox.triage.lexicons import Lexicon

if TYPE_CHECKING:
    from palabre.inbox.triage.evidence import Evidence
    from palabre.inbox.triage.matcher import Match

# People who cannot look after themselves everywhere: age, memory, disability, illness.
VULNERABLE: Lexicon = {
    "âgé": 1, "âgée": 1, "âgés": 1, "âgées": 1, "personne âgée": 1, "vieille dame": 1,
    "vieux monsieur": 1, "alzheimer": 1, "démence": 1, "dément*": 1, "troubles de mémoire": 1,
    "trouble de mémoire": 1, "troubles de la mémoire": 1, "troubles cognitifs": 1,
    "perd la tête": 1, "autiste*": 1, "handicapé*": 1, "en fauteuil": 1, "fauteuil roulant": 1,
    "malvoyant*": 1, "aveugle": 1, "non-voyant*": 1, "diabétique": 1, "épileptique": 1,
    "papi": 1, "papy": 1, "mamie": 1, "mamy": 1, "grand-mère": 1, "grand-père": 1,
    "elderly": 1, "old lady": 1, "old man": 1, "dementia": 1, "alzheimer's": 1,
    "memory problems": 1, "memory loss": 1, "autistic": 1, "non-verbal": 1, "disabled": 1,
    "wheelchair": 1, "blind": 1, "diabetic": 1, "epileptic": 1, "vulnerable": 1,
    "vulnérable*": 1, "nan": 1, "nana": 1, "gran": 1, "granny": 1, "grandad": 1, "grandpa": 1,
    "grandma": 1, "grandmother": 1, "grandfather": 1, "pensioner*": 1, "retraité*": 1,
    "seniors": 1,
}  # fmt: skip
# … and nobody knows where they are.
WHEREABOUTS: Lexicon = {
    "personne ne sait où": 1, "on ne sait pas où": 1, "on sait pas où": 1,
    "ne sait pas où": 1, "sait plus où": 1, "introuvable*": 1, "disparu*": 1,
    "s'est éloigné*": 1, "est parti seul": 1, "est partie seule": 1, "pas rentré*": 1,
    "on le cherche": 1, "on la cherche": 1, "vous l'avez vue": 1, "quelqu'un l'a vu": 1,
    "quelqu'un l'a vue": 1,
    "nobody knows where": 1, "no one knows where": 1, "don't know where": 1,
    "can't find": 1, "cannot find": 1, "nobody can find": 1, "no one can find": 1,
    "can't be found": 1, "has anyone seen": 1, "anyone seen her": 1, "anyone seen him": 1,
    "wandered off": 1, "slipped away": 1, "not come home": 1, "hasn't come home": 1,
    "looking for her": 1, "looking for him": 1, "went off alone": 1,
}  # fmt: skip

# Devices that let people in and out (merged with dangers.THING), and machines that move
# people…
ACCESS: Lexicon = {
    "badge*": 1, "badgeuse*": 1, "digicode": 1, "interphone": 1, "lecteur de carte*": 1,
    "lecteur de badge*": 1, "portillon*": 1, "tourniquets": 1, "barrières": 1, "portiques": 1,
    "card reader": 1, "badge reader": 1, "keypad": 1, "turnstiles": 1, "barrier": 1,
    "barriers": 1, "gate": 1, "gates": 1, "entry system": 1, "door entry": 1,
    "tapis roulant": 1, "tapis roulants": 1, "escalators": 1, "escaliers mécaniques": 1,
    "manèges": 1, "moving walkway": 1, "travelator": 1, "walkway": 1, "rides": 1,
}  # fmt: skip
# … people kept out or in by them,
BLOCKED: Lexicon = {
    "personne ne peut rentrer": 1, "personne ne peut entrer": 1, "personne ne peut sortir": 1,
    "ne peuvent pas entrer": 1, "ne peuvent pas rentrer": 1, "ne peuvent pas sortir": 1,
    "ne peuvent plus entrer": 1, "ne peuvent plus sortir": 1, "peut pas rentrer": 1,
    "peut pas entrer": 1, "peut pas sortir": 1, "peuvent pas entrer": 1,
    "peuvent pas sortir": 1, "impossible d'entrer": 1, "impossible de rentrer": 1,
    "impossible de sortir": 1, "bloqués dehors": 1, "coincés dehors": 1,
    "bloqués à l'intérieur": 1, "coincés à l'intérieur": 1, "voitures bloquées": 1,
    "can't get in": 1, "cannot get in": 1, "can't get out": 1, "cannot get out": 1,
    "nobody can get in": 1, "no one can get in": 1, "stuck outside": 1, "stuck inside": 1,
    "locked out": 1, "locked in": 1, "shut in": 1, "trapped": 1, "cars stuck": 1,
    "people stuck": 1,
}  # fmt: skip
# … and what a machine does when it runs wild.
WILD: Lexicon = {
    "trop vite": 1, "beaucoup trop vite": 1, "super vite": 1, "d'un coup": 1, "s'emballe*": 1,
    "accélère* tout seul*": 1, "par à-coups": 1, "à-coups": 1, "bruit de ferraille": 1,
    "arrive pas à l'arrêter": 1, "peut pas l'arrêter": 1, "ne s'arrête plus": 1,
    "s'arrête plus": 1, "perdu l'équilibre": 1, "s'accroche*": 1, "se tiennent comme": 1,
    "too fast": 1, "way too fast": 1, "speeding up": 1, "sped up": 1, "jerking": 1,
    "jolting": 1, "lurching": 1, "grinding": 1, "out of control": 1, "won't stop": 1,
    "can't stop it": 1, "lost his balance": 1, "lost her balance": 1, "holding on for": 1,
    "clinging": 1,
}  # fmt: skip

# Animals kept in enclosures (merged with alarms.ANIMAL), and where they should not be
# (merged with alarms.LOOSE).
KEPT_ANIMAL: Lexicon = {
    "singe*": 1, "lama*": 1, "loup*": 1, "lion": 1, "lions": 1, "lionne*": 1, "tigre*": 1,
    "ours": 1, "perroquet*": 1, "chimpanzé*": 1, "gorille*": 1, "kangourou*": 1, "zèbre*": 1,
    "girafe*": 1, "autruche*": 1, "lémurien*": 1, "loutre*": 1, "manchot*": 1, "pingouin*": 1,
    "bison*": 1, "cerf*": 1, "crocodile*": 1, "alpaga*": 1, "âne": 1, "ânes": 1, "poney*": 1,
    "monkey*": 1, "llama*": 1, "wolf": 1, "wolves": 1, "tiger*": 1, "bear": 1, "bears": 1,
    "parrot*": 1, "chimp*": 1, "gorilla*": 1, "kangaroo*": 1, "zebra*": 1, "giraffe*": 1,
    "ostrich*": 1, "lemur*": 1, "otter*": 1, "penguin*": 1, "deer": 1, "alpaca*": 1,
    "donkey*": 1, "pony": 1, "ponies": 1, "emu": 1, "emus": 1, "goat": 1,
}  # fmt: skip
OUT: Lexicon = {
    "sorti de son enclos": 1, "sortie de son enclos": 1, "sortis de leur enclos": 1,
    "hors de son enclos": 1, "hors de l'enclos": 1, "sur le parking": 1, "sur le toit": 1,
    "dans les arbres": 1, "dans les allées": 1, "au milieu des visiteurs": 1,
    "out of its enclosure": 1, "out of the enclosure": 1, "out of their enclosure": 1,
    "is out": 1, "are out": 1, "got out": 1, "on the roof": 1, "in the trees": 1,
    "in the car park": 1, "walking along": 1, "among the visitors": 1, "s'est sauvé*": 1,
    "se sont sauvés": 1, "s'est enfui*": 1, "ran off": 1, "run off": 1, "bolted": 1,
}  # fmt: skip

# A way in or out, or a pen…
GATE: Lexicon = {
    "portail": 1, "porte": 1, "portillon": 1, "grille": 1, "barrière": 1, "cage": 1,
    "enclos": 1, "volière": 1, "clôture": 1, "gate": 1, "door": 1, "enclosure": 1,
    "aviary": 1, "fence": 1, "pen": 1,
}  # fmt: skip
# … left open.
LEFT_OPEN: Lexicon = {
    "resté ouvert": 1, "restée ouverte": 1, "restés ouverts": 1, "resté grand ouvert": 1,
    "restée grande ouverte": 1, "laissé ouvert": 1, "laissée ouverte": 1,
    "grand ouvert": 1, "grande ouverte": 1, "ne ferme plus": 1, "ne se ferme plus": 1,
    "left open": 1, "left wide open": 1, "wide open": 1, "seems open": 1, "been left open": 1,
    "won't shut": 1,
    "won't close": 1, "doesn't shut": 1, "open onto": 1, "ouvert sur la rue": 1,
}  # fmt: skip

# A system sending or showing…
SENT: Lexicon = {
    "a envoyé": 1, "ont envoyé": 1, "vient d'envoyer": 1, "viennent d'envoyer": 1,
    "envoyé": 1, "envoyée": 1, "envoyés": 1, "transmis": 1, "diffusé*": 1, "affiche": 1,
    "affichent": 1, "visible*": 1, "en clair": 1, "exposé*": 1, "emailed": 1, "sent": 1,
    "went out": 1, "mailed": 1, "forwarded": 1, "shows": 1, "showing": 1, "displays": 1,
    "exposed": 1, "leaked": 1, "published": 1,
}  # fmt: skip
# … data about people (merged with cues.PERSONAL_INFO) …
DATA: Lexicon = {
    "phone numbers": 1, "numéros": 1, "class list": 1, "liste de classe": 1,
    "liste des élèves": 1, "certificats médicaux": 1, "certificat médical": 1, "medical": 1,
    "allergies": 1,
    "fiches": 1, "home address*": 1, "date de naissance": 1, "dates de naissance": 1,
    "dates of birth": 1, "iban": 1, "rib": 1, "passport*": 1, "passeport*": 1,
}  # fmt: skip
# … of many people, or of someone else.
MANY: Lexicon = {
    "tous les": 1, "toutes les": 1, "toute la": 1, "tout le": 1, "d'un autre": 1,
    "d'une autre": 1, "liste de diffusion": 1, "every": 1, "everyone": 1, "whole": 1,
    "all the": 1, "entire": 1, "another": 1, "mailing list": 1, "subscriber*": 1,
    "abonnés": 1, "licenciés": 1, "parents": 1, "parents'": 1,
}  # fmt: skip

# Pictures…
IMAGES: Lexicon = {
    "photo": 1, "photos": 1, "vidéo*": 1, "video*": 1, "picture*": 1, "pics": 1, "images": 1,
    "filme": 1, "filment": 1, "filmé*": 1, "filming": 1, "filmed": 1, "photographie*": 1,
}  # fmt: skip
# … taken where nobody should be photographed, …
PRIVATE_PLACE: Lexicon = {
    "vestiaire*": 1, "douche*": 1, "toilettes": 1, "cabine*": 1, "changing room*": 1,
    "locker room*": 1, "shower*": 1, "toilets": 1, "loo": 1, "cubicle*": 1,
}  # fmt: skip
# … of minors, or posted by a stranger.
MINOR: Lexicon = {
    "mineur*": 1, "minors": 1, "ados": 1, "adolescent*": 1, "teens": 1, "teenagers": 1,
    "joueuses": 1, "u9": 1, "u11": 1, "u12": 1, "u13": 1, "u15": 1, "u17": 1,
    "under-12": 1, "under-14": 1, "under-16": 1, "girls": 1, "boys": 1, "toddlers": 1,
    "compte anonyme": 1, "faux compte": 1, "un inconnu": 1, "fake account": 1,
    "anonymous account": 1, "a stranger": 1, "some guy": 1,
}  # fmt: skip

# A machine that keeps what it takes, a screen frozen (merged with dangers.BROKEN).
STUCK_STATE: Lexicon = {
    "a avalé": 1, "avale": 1, "a bloqué ma carte": 1, "garde ma carte": 1, "écran figé": 1,
    "est figé": 1, "figée": 1, "écran noir": 1, "écran est noir": 1, "ate my": 1,
    "swallowed": 1, "kept my card": 1, "froze": 1, "frozen": 1, "blue screen": 1,
    "black screen": 1,
}  # fmt: skip
# A payment or a page that turns without end (merged with fields.FAILS).
SPINNING: Lexicon = {
    "tourne dans le vide": 1, "tourne en boucle": 1, "rien ne passe": 1, "ne passe pas": 1,
    "spinning": 1, "nothing goes through": 1, "won't go through": 1, "doesn't go through": 1,
}  # fmt: skip
# Where nobody should stand (with a person or a child close by, an incident).
PERIL: Lexicon = {
    "de l'autre côté de la rambarde": 1, "de l'autre côté du garde-corps": 1,
    "au bord du toit": 1, "au bord de la falaise": 1, "sur le rebord": 1, "sur les rails": 1,
    "sur la voie ferrée": 1, "sur les voies": 1, "sur le toit": 1, "pieds dans le vide": 1,
    "sur l'échafaudage": 1, "sans harnais": 1, "au milieu de la route": 1,
    "other side of the railing": 1, "wrong side of the": 1, "on the ledge": 1,
    "on the edge of": 1, "on the tracks": 1, "on the railway": 1, "on the roof": 1,
    "the scaffolding": 1, "no harness": 1, "in the middle of the road": 1,
}  # fmt: skip
# A group leaving without one of its own: a leaving, then "sans", "without", then someone.
LEAVING = frozenset(("parti", "partie", "partis", "reparti", "repartie", "partir", "repartir",
                     "left", "off", "gone", "went"))  # fmt: skip
WITHOUT = frozenset(("sans", "without"))
# An age that says a young child or an old person: "3 ans", "he's 88", "aged 4".
AGE_UNITS = frozenset(("ans", "an", "yo", "years", "year", "yrs"))
AGE_BEFORE = frozenset(("s", "aged", "age", "agee", "is"))
YOUNG, OLD = 12, 75

# Prevention and training name dangers without any (merged with the not-incident
# lexicon): "the fire safety workshop", "un exercice d'évacuation".
NOT_INCIDENT: Lexicon = {
    "sécurité incendie": 1, "prévention incendie": 1, "exercice incendie": 1,
    "exercice d'évacuation": 1, "premiers secours": 1, "secourisme": 1,
    "gestes qui sauvent": 1, "fire safety": 1, "fire drill": 1, "fire prevention": 1,
    "evacuation drill": 1, "first aid course": 1, "first aid training": 1,
}  # fmt: skip
# A title in quotation marks names a work, not an event: l'expo « Incendies », the
# 'Burning Worlds: Art of Fire' exhibition, le film « Le Feu ».
# Capitalised, not shouted: « régler ses comptes » or « Au feu ! » are words reported.
UPPER = "A-ZÀ-Ý"
TITLE = re.compile(
    f'«\\s?[{UPPER}][^»!]{{0,80}}»|“[{UPPER}][^”!]{{0,80}}”|"[{UPPER}][^"!]{{0,80}}"'
    f"|(?<!\\w)'[{UPPER}][^'!]{{0,80}}'(?!\\w)"
)


def in_title(text: str, start: int, end: int) -> bool:
    """Whether the characters from ``start`` to ``end`` lie inside a quoted title."""
    if not any(q in text for q in "«“\"'"):
        return False
    return any(m.start() < start and end < m.end() for m in TITLE.finditer(text))


# (first, second, how many words apart at most): with ``catalogue.INCIDENT_PAIRS``.
PAIRS = (
    ("vulnerable", "whereabouts", 25),  # "ma mère (82 ans) … personne ne sait où elle est"
    ("person", "whereabouts", 12),
    ("child", "whereabouts", 12),
    ("thing", "blocked", 20),  # "le lecteur de badges … personne ne peut rentrer"
    ("thing", "wild", 10),  # "les escalators … vont super vite d'un coup"
    # a vulnerable person is a person whose state matters: "une dame âgée reste bloquée"
    ("vulnerable", "broken", 8),
    ("vulnerable", "hurt", 8),
    ("vulnerable", "unwell", 8),
    ("vulnerable", "lost", 10),
    ("child", "peril", 12),  # "un gamin … de l'autre côté de la rambarde"
    ("person", "peril", 12),
    ("minor", "peril", 12),
)

GATE_APART = 12  # from the gate to its being left open
ABOUT = 25  # from there to the children or animals about
DATA_APART = 12  # from the sending to the data, and from there to the many


def constructions(ev: Evidence) -> None:
    _left_open(ev)
    _age_and_lost(ev)
    _left_without(ev)
    _data_sent(ev)
    _pictures(ev)


def _close(first: list[Match], second: list[Match], apart: int) -> tuple[Match, Match] | None:
    for a in first:
        for b in second:
            if abs(b.start - a.start) <= apart and a is not b:
                return a, b
    return None


def _report(ev: Evidence, first: Match, second: Match) -> None:
    ev.incident.add(2, ev.quote(first.start, first.end))
    ev.incident.add(0, ev.quote(second.start, second.end))


def _left_open(ev: Evidence) -> None:
    """A gate or a pen left open, with children or animals about."""
    found = _close(ev.matches("gate"), ev.matches("left_open"), GATE_APART)
    about = [m for k in ("child", "member", "minor", "animal") for m in ev.matches(k)]
    if found and _close([found[1]], about, ABOUT):
        _report(ev, *found)


def _age_and_lost(ev: Evidence) -> None:
    """An age that says a young child or an old person, and someone lost or confused:
    "on a perdu Léo de vue…, 4 ans", "our dad…, he's 88 and gets confused"."""
    toks = ev.toks
    ages = [
        i
        for i, t in enumerate(toks[:-1])
        if t.norm.isdigit()
        and (toks[i + 1].norm in AGE_UNITS or (i and toks[i - 1].norm in AGE_BEFORE))
        and not YOUNG < int(t.norm) < OLD
    ]
    lost = ev.matches("lost") + ev.matches("whereabouts") + ev.matches("unwell")
    for i in ages:
        found = next((m for m in lost if abs(m.start - i) <= ABOUT), None)
        if found is not None:
            unit = i + 1 < len(toks) and toks[i + 1].norm in AGE_UNITS
            ev.incident.add(2, ev.quote(i, i + 2 if unit else i + 1))
            ev.incident.add(0, ev.quote(found.start, found.end))
            return


def _left_without(ev: Evidence) -> None:
    """A bus, a boat or a group gone without someone: "le car vient de repartir du musée
    sans deux élèves", "the coach drove off without two of our pensioners"."""
    someone = [
        m for k in ("child", "member", "person", "vulnerable", "minor") for m in ev.matches(k)
    ]
    for i, t in enumerate(ev.toks):
        if t.norm not in WITHOUT or not any(x.norm in LEAVING for x in ev.toks[max(0, i - 5) : i]):
            continue
        who = next((m for m in someone if 0 < m.start - i <= 4), None)
        if who is not None:
            ev.incident.add(2, ev.quote(i, i + 1))
            ev.incident.add(0, ev.quote(who.start, who.end))
            return


def _data_sent(ev: Evidence) -> None:
    """Data about people sent or shown by a system, to many or from someone else."""
    found = _close(ev.matches("sent"), ev.matches("personal_info"), DATA_APART)
    if found and _close([found[1]], ev.matches("many"), DATA_APART):
        _report(ev, *found)
        ev.important.setdefault("personal_data", []).append(ev.quote(found[1].start, found[1].end))


def _pictures(ev: Evidence) -> None:
    """Pictures taken in a private place, of minors or by a stranger."""
    found = _close(ev.matches("images"), ev.matches("private_place"), DATA_APART)
    who = ev.matches("minor") + ev.matches("child") + ev.matches("member")
    if found and _close([found[0]], who, ABOUT):
        _report(ev, *found)
