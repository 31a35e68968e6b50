"""Incidents told by their construction rather than by an incident word (session 5):
an object left where nobody watches it, someone who *looks* unwell, someone missing
from a group, a question that is really an alarm ("c'est normal que l'eau soit
marron ?"), a call for someone to act. Written field by field, like ``dangers.py``;
read in ``evidence.py``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from palabre.inbox.triage.lexicons import Lexicon, words

if TYPE_CHECKING:
    from palabre.inbox.triage.evidence import Evidence

# Things people carry, and may leave behind…
LUGGAGE: Lexicon = {
    "valise*": 1, "sac": 1, "sacs": 1, "sac à dos": 1, "bagage*": 1, "colis": 1,
    "carton": 1, "cartons": 1, "paquet": 1, "glacière": 1, "suitcase*": 1, "holdall": 1,
    "bag": 1, "bags": 1, "backpack": 1, "rucksack": 1, "parcel": 1, "package": 1,
    "box": 1, "luggage": 1, "case": 1,
}  # fmt: skip
# … where nobody watches them.
UNATTENDED: Lexicon = {
    "abandonné*": 1, "sans propriétaire": 1, "aucun propriétaire": 1, "pas de propriétaire": 1,
    "personne autour": 1, "personne à côté": 1, "personne ne vient": 1, "personne ne l'a": 1,
    "toute seule": 1, "tout seul": 1, "unattended": 1, "nobody around": 1, "no one around": 1,
    "nobody with it": 1,
    "no owner": 1, "nobody has come back": 1, "nobody's come back": 1, "no one has come": 1,
    "left under": 1, "left by": 1, "left near": 1, "left next to": 1, "left outside": 1,
    "left on": 1, "posé contre": 1, "posée contre": 1, "laissé sous": 1, "laissée sous": 1,
    "posé sous": 1, "posée sous": 1,
}  # fmt: skip

# Someone missing when a group is counted…
MISSING: Lexicon = {
    "il manque": 1, "il nous manque": 1, "manque à l'appel": 1, "manquent à l'appel": 1,
    "one short": 1, "one missing": 1, "is missing": 1, "missing from": 1,
    "can't account for": 1, "not accounted for": 1, "pas revenu*": 1, "pas revenue*": 1,
    "hasn't come back": 1, "didn't come back": 1, "not back": 1, "pas ressorti*": 1,
    "hasn't come out": 1, "not come out": 1, "on ne l'entend plus": 1,
}  # fmt: skip
# … of the people one looks after.
MEMBER: Lexicon = {
    "élève*": 1, "pupil*": 1, "student*": 1, "scout*": 1, "résident*": 1, "campeur*": 1,
    "stagiaire*": 1, "patient*": 1, "participant*": 1, "un de nos": 1, "une de nos": 1,
    "l'un de nos": 1, "one of our": 1, "petits": 1, "tout-petits": 1, "little ones": 1,
    "one of the kids": 1, "a boy": 1, "a girl": 1,
    "un garçon": 1, "une fille": 1, "senior*": 1, "camper*": 1,
}  # fmt: skip

# More people (merged with fields.PERSON), body states (merged with fields.UNWELL and
# dangers.HURT) and harm (merged with dangers.AGGRESSION).
PERSON: Lexicon = {
    "type": 1, "individu*": 1, "gars": 1, "bloke": 1, "lad": 1, "lads": 1, "résident*": 1,
    "résidente*": 1, "inconnu": 1, "stranger": 1, "mon père": 1,
    "ma mère": 1, "my father": 1, "my mother": 1, "chap": 1, "fellow": 1, "nageur*": 1,
    "baigneur*": 1, "swimmers": 1, "spectateur*": 1, "spectators": 1, "plusieurs personnes": 1,
}  # fmt: skip
UNWELL: Lexicon = {
    "très mal": 1, "tout blanc": 1, "toute blanche": 1, "grey": 1, "gray": 1, "confus*": 1,
    "confused": 1, "désorienté*": 1, "disoriented": 1, "souffr*": 1, "transpire*": 1,
    "sweating": 1, "clutching": 1, "se tient": 1, "holding her": 1, "holding his": 1,
    "ne parle plus": 1, "can't speak": 1, "en larmes": 1, "in tears": 1, "en pleurs": 1,
    "wedged": 1, "can't pull": 1,
}  # fmt: skip
HURT: Lexicon = {
    "en larmes": 1, "en pleurs": 1, "in tears": 1, "wedged": 1, "can't pull": 1,
    "arrive pas à sortir": 1, "slipping": 1, "sliding": 1, "glissent": 1, "se font piquer": 1,
    "se fait piquer": 1, "getting stung": 1, "got stung": 1, "being stung": 1,
    "refermé* sur": 1, "closed on": 1, "shut on": 1, "mal à la tête": 1, "headache*": 1,
}  # fmt: skip
AGGRESSION: Lexicon = {
    "taper sur": 1, "tape sur": 1, "embêt*": 1, "importun*": 1, "trailing": 1,
    "photographing": 1, "prend en photo": 1, "prennent en photo": 1, "crie sur": 1,
    "crient sur": 1, "pestering": 1, "intimid*": 1, "insulter": 1, "suivre": 1,
    "obscèn*": 1, "lewd": 1, "obscene": 1, "s'exhibe*": 1, "exhibitionn*": 1,
}  # fmt: skip

# Seeming: "a l'air perdu", "looks really unwell", "semble très mal" — said of someone.
LOOKS: Lexicon = {
    "a l'air": 1, "avait l'air": 1, "semble": 1, "semblent": 1, "on dirait": 1,
    "looks": 1, "look": 1, "seems": 1, "appears": 1, "has gone": 1, "est devenu*": 1,
}  # fmt: skip
LOOKS_APART = 4  # from the seeming to the state
SOMEONE_BEFORE = 14  # from the person to the seeming

# Asked as a question, said as an alarm: "c'est normal que…", "is it normal for…"
IS_NORMAL: Lexicon = {
    "c'est normal que": 1, "c'est normal qu": 1, "est-ce normal": 1, "est ce normal": 1,
    "is it normal": 1, "is this normal": 1, "is it ok that": 1, "should there be": 1,
}  # fmt: skip
# What makes a thing alarming in such a question, besides the states of dangers.py.
ALARMING: Lexicon = {
    "marron": 1, "brune": 1, "brown": 1, "noire": 1, "trouble": 1, "cloudy": 1, "bang": 1,
    "loud bang": 1, "drop*": 1, "vibr*": 1, "bruit*": 1, "noise": 1, "brûlant*": 1, "hot": 1,
    "chaud*": 1, "étincel*": 1, "spark*": 1, "fumée": 1, "smoke": 1, "odeur*": 1,
    "smell*": 1, "tremble": 1, "shakes": 1, "shaking": 1, "penche": 1, "leaning": 1,
}  # fmt: skip
NORMAL_SPAN = 12

# A call for someone to act now (merged with the incident lexicon: a hint, not enough
# on its own — "faites quelque chose contre les crottes" is a complaint).
INCIDENT: Lexicon = {
    # threats, people not found, utilities cut, nests (session 5)
    "régler ses comptes": 1.5, "settle the score": 1.5, "la retrouve pas": 2,
    "le retrouve pas": 2, "les retrouve pas": 2, "la retrouve plus": 2, "le retrouve plus": 2,
    "on la trouve pas": 1.5, "on le trouve pas": 1.5, "plus d'eau": 1.5,
    "plus d'eau chaude": 1.5, "plus de chauffage": 1.5, "no heating": 1.5,
    "no hot water": 1.5, "no running water": 1.5, "coupure d'eau": 1.5, "been sick": 1.5,
    "nid de guêpes": 1.5, "nid de frelons": 1.5, "hornets' nest": 1.5,
    "faites quelque chose": 1, "faites qqch": 1, "do something": 1,
    "someone do something": 1.5, "envoyez quelqu'un": 1.5, "send someone": 1.5,
    "qu'on intervienne": 1, "intervenez": 1,
}  # fmt: skip

# A near miss: "une voiture a failli renverser…", "a boy nearly went over the edge".
NEAR_MISS: Lexicon = {
    "a failli": 1, "ont failli": 1, "failli": 1, "a manqué de": 1, "de justesse": 1,
    "nearly": 1, "almost": 1, "just missed": 1, "narrowly": 1,
}  # fmt: skip
# Animals…
ANIMAL: Lexicon = {
    "chien*": 1, "cheval": 1, "chevaux": 1, "vache*": 1, "taureau*": 1, "sanglier*": 1,
    "serpent*": 1, "mouton*": 1, "chèvre*": 1, "frelon*": 1, "essaim": 1, "rat": 1, "rats": 1,
    "dog": 1, "dogs": 1, "horse*": 1, "cow": 1, "cows": 1, "bull": 1, "boar": 1, "snake*": 1,
    "sheep": 1, "goats": 1, "swarm": 1, "hornet*": 1, "animal": 1, "animaux": 1,
}  # fmt: skip
# … on the loose.
LOOSE: Lexicon = {
    "échappé*": 1, "en liberté": 1, "sans laisse": 1, "court après": 1, "courent après": 1,
    "se promène*": 1, "divague*": 1, "sur la route": 1, "sur la chaussée": 1, "errant*": 1,
    "loose": 1, "escaped": 1, "off the lead": 1, "off leash": 1, "chasing": 1,
    "on the road": 1, "roaming": 1, "running around": 1, "got out": 1,
}  # fmt: skip
# Nobody watching where someone must: "personne au poste du maître-nageur", "no steward".
GUARD: Lexicon = {
    "maître-nageur": 1, "maîtres-nageurs": 1, "surveillant*": 1, "lifeguard*": 1,
    "steward*": 1, "vigile*": 1, "agent de sécurité": 1, "security guard": 1, "animateur*": 1,
    "crossing patrol": 1, "lollipop": 1,
}  # fmt: skip
ABSENT: Lexicon = {
    "personne au": 1, "personne à": 1, "pas de": 1, "aucun": 1, "aucune": 1, "no": 1,
    "absent*": 1, "empty": 1, "vide": 1, "nowhere": 1, "gone": 1, "parti": 1, "missing": 1,
}  # fmt: skip
GUARD_APART = 4
# What a near miss nearly did: "a failli renverser", "nearly went over" — not "a failli
# pleurer de joie".
HARM: Lexicon = {
    "renvers*": 1, "écras*": 1, "tomber": 1, "tombé*": 1, "passer": 1, "passer sous": 1,
    "se noyer": 1, "noyer": 1, "percut*": 1, "heurt*": 1, "faucher": 1, "fauché*": 1,
    "s'étouffer": 1, "brûler": 1, "électrocut*": 1, "être emporté*": 1, "glisser": 1,
    "fall": 1, "fell": 1, "went over": 1, "go over": 1, "got hit": 1, "get hit": 1,
    "hit": 1, "run over": 1, "drowned": 1, "drown": 1, "crushed": 1, "knocked": 1,
    "went under": 1, "choked": 1, "electrocuted": 1, "swept": 1,
}  # fmt: skip
HARM_AFTER = 3  # words from the near miss to the harm

# A story told in the French imperfect or the English habitual past ("ma grand-mère
# habitait…", "j'étais sceptique…", "we used to…"): the learned fallback should not read
# an incident into it (evidence.py, ``told_past``). Not the words ending in -ais that are
# not verbs.
NARRATED = re.compile(r"\b\w{2,}(?:ais|ait|aient)\b|\bused to\b", re.IGNORECASE)
NOT_NARRATED = words(
    "jamais mais frais palais anglais français épais relais marais rabais désormais "
    "souhait parfait extrait portrait attrait retrait bienfait méfait satisfait imparfait "
    "contrefait stupéfait surfait refait défait distrait allais allait allaient venais "
    "venait venaient"
)


def narrated(text: str) -> bool:
    """Told as a story (``NARRATED``), not with a word that only ends like one."""
    return any(m.group().casefold() not in NOT_NARRATED for m in NARRATED.finditer(text))


# (first, second, how many words apart at most): with ``catalogue.INCIDENT_PAIRS``.
PAIRS = (
    ("luggage", "unattended", 12),  # "une valise … aucun propriétaire en vue"
    ("missing", "member", 8),  # "il manque une de nos élèves", "we're one short, a boy"
    ("missing", "child", 8),
    ("missing", "person", 8),
    ("animal", "loose", 8),  # "un gros chien sans laisse", "cows loose on the road"
)


def constructions(ev: Evidence) -> None:
    """Someone who looks unwell, and a question that is really an alarm."""
    _looks_unwell(ev)
    _is_it_normal(ev)
    _unwatched(ev)
    _near_miss(ev)
    _refund_for_a_breakdown(ev)


def _looks_unwell(ev: Evidence) -> None:
    states = ev.matches("unwell") + ev.matches("hurt")
    someone = ev.matches("person") + ev.matches("child") + ev.matches("pronoun")
    for look in ev.matches("looks"):
        state = next((s for s in states if 0 <= s.start - look.end <= LOOKS_APART), None)
        who = any(0 <= look.start - p.end <= SOMEONE_BEFORE for p in someone)
        if state is not None and who:
            ev.incident.add(2, ev.quote(look.start, state.end))
            return


def _is_it_normal(ev: Evidence) -> None:
    things = ev.matches("thing") + ev.matches("water") + ev.matches("sense")
    states = ev.matches("alarming") + ev.matches("broken") + ev.matches("flow")
    for asked in ev.matches("is_normal"):
        near = [m for m in things if 0 <= m.start - asked.end <= NORMAL_SPAN]
        bad = [m for m in states if 0 <= m.start - asked.end <= NORMAL_SPAN]
        if near and bad:
            ev.incident.add(2, ev.quote(asked.start, asked.end))
            ev.incident.add(0, ev.quote(bad[0].start, bad[0].end))
            return


def _near_miss(ev: Evidence) -> None:
    """Someone nearly hurt: a near miss, a harm just after it, a person or a child."""
    people = ev.matches("child") + ev.matches("person") + ev.matches("member")
    for near in ev.matches("near_miss"):
        harm = [m for m in ev.matches("harm") if 0 <= m.start - near.end <= HARM_AFTER]
        if harm and any(abs(p.start - near.start) <= 10 for p in people):
            ev.incident.add(2, ev.quote(near.start, harm[0].end))
            return


def _unwatched(ev: Evidence) -> None:
    """Nobody at the post of those who watch, with children or people about."""
    people = ev.matches("child") + ev.matches("person") + ev.matches("member")
    for guard in ev.matches("guard"):
        absent = [m for m in ev.matches("absent") if abs(m.start - guard.start) <= GUARD_APART]
        if absent and people:
            ev.incident.add(2, ev.quote(absent[0].start, absent[0].end))
            ev.incident.add(0, ev.quote(guard.start, guard.end))
            return


# The money asked back (not "débité", "prélevé": taken, which may be the incident).
ASKED_BACK = re.compile(r"rembours|refund|money back|chargeback|reverse", re.IGNORECASE)
# What makes a breakdown more than a grievance when a refund is asked: a person, a body,
# money taken twice or for nothing.
SERIOUS = ("person", "child", "hurt", "aggression", "unwell", "lost", "multiple",
           "nothing_received", "too_much", "personal_info")  # fmt: skip


def _refund_for_a_breakdown(ev: Evidence) -> None:
    """Something paid for that fails, and the money asked back ("l'appli plante à chaque
    salle, je veux être remboursé"): a complaint, not an incident to act on now."""
    asked = [w for w in ev.important.get("refund", []) if ASKED_BACK.search(w)]
    if not asked or ev.incident.score < 1.5:
        return
    if any(ev.matches(k) for k in SERIOUS):
        return
    if not (ev.matches("fails") or ev.matches("broken")):
        return
    ev.situation.add(min(ev.incident.score, 2.0), ev.incident.words[0])
    ev.negative.score += 1.0
    ev.incident.score = 0.0
    ev.incident.words.clear()
