"""What a message says, cue by cue: sentiment after negation and sarcasm, questions,
time, incidents, spam, suggestions, and what makes it important. Each cue keeps the words
it was found in, quoted from the message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from palabre.inbox.triage import alarms, hazards, irony, offers, social, witnesses
from palabre.inbox.triage import dangers as dx
from palabre.inbox.triage import lexicons as lx
from palabre.inbox.triage.catalogue import INCIDENT_PAIRS, MATCHER
from palabre.inbox.triage.matcher import Match
from palabre.inbox.triage.text import Token

# How far before a trouble the French imperfect puts it in the past ("était en panne").
IMPERFECT_BEFORE = 3
TROUBLE_AT = 1.5  # what engine.py calls an incident (INCIDENT_AT)
PEOPLE = ("person", "child", "hurt", "aggression", "unwell", "lost", "taken", "payment")
GREETINGS = lx.words("bonjour bonsoir hello hi hey salut coucou re yo dear")
# French inversion: "pouvez-vous", "y a-t-il", "peut-on" (not "rendez-vous").
INVERSION = re.compile(r"\b(?!rendez)\w{2,}-(?:t-)?(?:il|elle|on|vous|ils|elles)\b", re.IGNORECASE)
# How long something lasted: "40 minutes", "3 semaines" (not a time of day like "14h").
DURATION = re.compile(
    r"\b\d+\s?(?:min|mins|minutes?|heures?|hours?|hrs?|jours?|days?|semaines?|weeks?|"
    r"mois|months?)\b",
    re.IGNORECASE,
)
# Waiting told as a grievance: "ça fait 40 min que", "depuis trois semaines", "for an hour".
WAITED = re.compile(
    r"\b(?:ça fait|ca fait|depuis|for|waited|waiting|attendu|attends?|attendons)\s+"
    r"(?:plus d'|over |more than )?(?:\d+|une?|deux|trois|quatre|cinq|dix|quinze|vingt|"
    r"an?|two|three|four|five|ten|twenty|half an)\s*(?:bonne )?(?:min\w*|heures?|hours?|"
    r"jours?|days?|semaines?|weeks?|mois|months?)\b",
    re.IGNORECASE,
)
# A wish in the conditional followed by praise: "ce serait top", "would be incredible".
CONDITIONAL = ("serait", "seraient", "would be", "it d be", "aurait")
MONEY = re.compile(r"[$€£]\s?\d|\d\s?(?:[$€£]|euros?\b|dollars?\b)", re.IGNORECASE)
STRONG_SARCASM = 1.5


@dataclass
class Cue:
    score: float = 0.0
    words: list[str] = field(default_factory=list)

    def add(self, weight: float, words: str) -> None:
        self.score += weight
        if words not in self.words:
            self.words.append(words)


@dataclass
class Evidence:
    text: str
    toks: list[Token]
    found: dict[str, list[Match]]
    positive: Cue = field(default_factory=Cue)
    negative: Cue = field(default_factory=Cue)
    negation: Cue = field(default_factory=Cue)
    situation: Cue = field(default_factory=Cue)
    sarcasm: Cue = field(default_factory=Cue)
    capitals: bool = False
    question: Cue = field(default_factory=Cue)
    question_mark: bool = False
    time: dict[str, list[str]] = field(default_factory=dict)
    incident: Cue = field(default_factory=Cue)
    suggestion: Cue = field(default_factory=Cue)
    spam: Cue = field(default_factory=Cue)
    links: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    important: dict[str, list[str]] = field(default_factory=dict)
    past: list[str] = field(default_factory=list)  # a trouble told as past
    told_past: list[str] = field(default_factory=list)  # past words, with or without trouble
    friends: list[str] = field(default_factory=list)  # talks to the people it tags
    wishes: list[str] = field(default_factory=list)  # "Joyeux Noël à toute l'équipe"

    def quote(self, start: int, end: int) -> str:
        return self.text[self.toks[start].start : self.toks[end - 1].end]

    def matches(self, lexicon: str) -> list[Match]:
        return self.found.get(lexicon, [])


def gather(text: str, toks: list[Token]) -> Evidence:
    ev = Evidence(text, toks, MATCHER.find(toks))
    _time_and_importance(ev)
    _questions(ev)
    _sentiment(ev)
    hoped = irony.overturned(ev)
    irony.why_always(ev)
    _sarcasm(ev, hoped)
    _incident(ev)
    alarms.constructions(ev)
    hazards.constructions(ev)
    witnesses.constructions(ev)
    _past(ev)
    _suggestion(ev)
    _spam(ev)
    _social(ev)
    return ev


def negator_before(ev: Evidence, start: int) -> int | None:
    """The negation word ruling the word at ``start``, if any: within three words before
    it, in the same clause ("pas du tout déçu", "not bad", "never disappointed")."""
    toks = ev.toks
    for i in range(start - 1, max(-1, start - 1 - lx.NEGATION_SCOPE), -1):
        norm = toks[i].norm
        if norm in lx.SCOPE_BREAKS:
            return None
        if norm in lx.NEGATORS:
            return i
        if norm == "plus" and i > 0 and toks[i - 1].norm in ("ne", "n", "y"):
            return i  # "n'est plus", not "plus belle"
    return None


def _inside(m: Match, others: list[Match]) -> bool:
    return any(o.start <= m.start and m.end <= o.end and o is not m for o in others)


def _sentiment(ev: Evidence) -> None:
    strong = [m for m in ev.matches("sarcasm") if m.weight >= STRONG_SARCASM]
    fixed = ev.matches("negative") + ev.matches("suggestion") + strong + ev.matches("wishes")
    wishing = bool(ev.matches("wishes"))
    quoted = irony.scare_quoted(ev)
    for m in ev.matches("positive"):
        if _inside(m, fixed) or (wishing and not ev.toks[m.start].norm[0].isalnum()):
            continue  # a wish is no compliment, nor the emoji beside it
        neg = negator_before(ev, m.start)
        at = ev.toks[m.start].start
        if any(a <= at < b for a, b in quoted):  # the "family friendly" festival
            ev.negative.add(m.weight + 0.5, ev.quote(m.start, m.end))
            ev.sarcasm.add(0, ev.quote(m.start, m.end))
        elif neg is None:
            ev.positive.add(m.weight, ev.quote(m.start, m.end))
        else:
            ev.negative.add(m.weight, ev.quote(neg, m.end))
            ev.negation.add(0, ev.quote(neg, m.end))
    for m in ev.matches("negative"):
        neg = negator_before(ev, m.start)
        if neg is None or ev.toks[m.start].norm in lx.NEGATORS:
            ev.negative.add(m.weight, ev.quote(m.start, m.end))
        else:  # "pas du tout déçu", "not bad at all": litotes, praise
            ev.positive.add(m.weight, ev.quote(neg, m.end))
            ev.negation.add(0, ev.quote(neg, m.end))
    idioms = ev.matches("positive")  # "je recommande les yeux fermés"
    situations = ev.matches("situation")
    for m in situations:
        neg = negator_before(ev, m.start)
        # the "plus" of "ne passe plus" negates nothing after it ("… depuis une demi-heure")
        if neg is not None and any(o.start <= neg < o.end for o in situations):
            neg = None
        if neg is None and not _inside(m, idioms):
            ev.situation.add(m.weight, ev.quote(m.start, m.end))
    for found in DURATION.finditer(ev.text):
        ev.situation.add(0.5, found.group())
    for found in WAITED.finditer(ev.text):
        ev.situation.add(1.5, found.group())
    if ev.situation.score:
        for m in ev.matches("again"):
            ev.situation.add(0.5 * m.weight, ev.quote(m.start, m.end))
    letters = sum(map(str.isalpha, ev.text))
    if letters >= 6 and sum(map(str.isupper, ev.text)) >= 0.8 * letters:
        ev.capitals = True


def _sarcasm(ev: Evidence, hoped: bool = False) -> None:
    """Praise words beside a bad situation ("Super, encore fermé un dimanche 👏"), or
    phrases said only to hurt ("merci pour rien", 🙃): the praise counts against."""
    strong = [m for m in ev.matches("sarcasm") if m.weight >= STRONG_SARCASM]
    # A question beside a closed door is usually just a question ("Merci ! Vous êtes
    # fermés demain ?"), unless the person says it happens again ("Super, encore fermé…").
    asking = ev.question.score >= 1.5 and not ev.matches("again")
    contextual = ev.positive.score >= 1 and ev.situation.score >= 1 and not asking
    # not thanks for help in a hurry, nor a fear overturned ("I thought … boring but")
    contextual = contextual and not ev.matches("helped") and not hoped
    ironic = not hoped and (
        irony.closing(ev) or irony.thanks_for_trouble(ev) or irony.undoing_idea(ev)
    )
    if not strong and not contextual and not ironic:
        return
    for m in strong:
        ev.sarcasm.add(m.weight, ev.quote(m.start, m.end))
    if contextual:
        for words in ev.positive.words + ev.situation.words:
            ev.sarcasm.add(0, words)
    ev.negative.score += ev.positive.score + 1
    ev.positive = Cue()


def _questions(ev: Evidence) -> None:
    if any(t.norm == "?" for t in ev.toks):
        ev.question_mark = True
        ev.question.score += 2
    for m in ev.matches("question"):
        ev.question.add(m.weight, ev.quote(m.start, m.end))
    for found in INVERSION.finditer(ev.text):
        ev.question.add(1.5, found.group())
    first = _first_word(ev)
    opener = first is not None and ev.toks[first].norm in lx.QUESTION_OPENERS
    if first is not None and opener and not _exclamative(ev, first):
        ev.question.add(1.5, ev.quote(first, first + 1))
    if ev.time and 0 < ev.question.score < 1.5:
        # A hint of asking about today or tonight ("on peut réserver pour ce soir",
        # "vs savez si … ce soir") is a question, even without "?".
        ev.question.score += 1


def _first_word(ev: Evidence) -> int | None:
    toks = ev.toks
    i = 0
    while i < len(toks):
        norm = toks[i].norm
        if norm == "@" or norm == "#":
            i += 2  # a mention or a hashtag
        elif norm in GREETINGS or not norm[0].isalnum():
            i += 1
        else:
            return i
    return None


def _exclamative(ev: Evidence, first: int) -> bool:
    """ "Quelle belle découverte", "what a wonderful afternoon", "how lovely": a wh-word
    opening an exclamation, not a question. "Couldn't have asked for better" neither."""
    word = ev.toks[first].norm
    after = ev.toks[first + 1].norm if first + 1 < len(ev.toks) else ""
    if after == "not" and not ev.question_mark:
        return True
    if word == "what":
        return after in ("a", "an")
    if word in ("how", "quel", "quelle", "quels", "quelles"):
        feeling = ev.matches("positive") + ev.matches("negative")
        if any(m.start in (first + 1, first + 2) for m in feeling):
            return True
        return any(t.norm == "!" for t in ev.toks[first + 1 : first + 4])  # "Quelle soirée !"
    return False


def _incident(ev: Evidence) -> None:
    not_incident = ev.matches("not_incident")
    for m in ev.matches("incident"):
        if _overlaps(m, not_incident) or negator_before(ev, m.start) is not None:
            continue
        if hazards.in_title(ev.text, ev.toks[m.start].start, ev.toks[m.end - 1].end):
            continue  # l'expo « Incendies », the 'Art of Fire' exhibition
        if witnesses.told_in_work(ev, m.start):
            continue  # "le film de ce soir, c'est un incendie dans un gratte-ciel"
        ev.incident.add(m.weight, ev.quote(m.start, m.end))
    for first, second, apart in INCIDENT_PAIRS:
        for a in ev.matches(first):
            b = next(
                (
                    b
                    for b in ev.matches(second)
                    if abs(b.start - a.start) <= apart and (b.end <= a.start or a.end <= b.start)
                ),
                None,
            )
            if b is None or _overlaps(a, not_incident) or _overlaps(b, not_incident):
                continue
            if negator_before(ev, min(a.start, b.start)) is None:
                ev.incident.add(2, ev.quote(a.start, a.end))
                ev.incident.add(0, ev.quote(b.start, b.end))
                break


def _past(ev: Evidence) -> None:
    """A trouble told as past ("l'ascenseur était en panne la semaine dernière", "when we
    visited the card machine was broken") is a grievance, not something to act on now —
    unless the message also speaks of now, or of today again ("hier et ce matin encore";
    "ce matin" alone may be when the person redid what failed yesterday)."""
    # Weeks or months of a breakdown: "still" does not make it new (not so for a person).
    chronic = [] if any(ev.matches(k) for k in PEOPLE) else dx.CHRONIC.findall(ev.text)
    if chronic == [] and ev.negative.score >= 1 and not any(ev.matches(k) for k in PEOPLE):
        chronic = dx.RECURRING.findall(ev.text)  # "… refuse ma carte à chaque fois, pénible"
    again = [m for m in ev.matches("again") if ev.toks[m.start].norm != "another"]
    again_today = "today" in ev.time and bool(again)
    if ev.matches("forgotten") and ev.matches("past") and ev.question_mark:
        ev.incident = Cue()  # "j'ai oublié mon écharpe hier, quelqu'un l'a trouvée ?"
        return
    if ("now" in ev.time and not chronic) or again_today or ev.matches("forgotten"):
        return
    when = [ev.quote(m.start, m.end) for m in ev.matches("past")] + chronic
    troubles = ev.matches("incident") + ev.matches("broken")
    states = ev.matches("broken")
    for verbs, after in (("imperfect", troubles), ("was", states)):
        for m in ev.matches(verbs):
            if any(0 < t.start - m.start <= IMPERFECT_BEFORE for t in after):
                when.append(ev.quote(m.start, m.end))
    ev.told_past = when or ev.told_past
    if not when or ev.incident.score < TROUBLE_AT:  # a lone hint ("police") is no trouble
        return
    ev.situation.add(min(ev.incident.score, 2.0), ev.incident.words[0])
    ev.negative.score += 1.0  # a past trouble told is a grievance, even with a question
    ev.situation.words.extend(w for w in ev.incident.words[1:] if w not in ev.situation.words)
    ev.past = when
    ev.incident = Cue()


def _overlaps(m: Match, others: list[Match]) -> bool:
    return any(o.start < m.end and m.start < o.end for o in others)


def _suggestion(ev: Evidence) -> None:
    for m in ev.matches("suggestion"):
        ev.suggestion.add(m.weight, ev.quote(m.start, m.end))
    norms = " ".join(t.norm for t in ev.toks)
    if any(c in norms for c in CONDITIONAL):
        for i, tok in enumerate(ev.toks):
            if tok.norm in ("serait", "seraient", "aurait", "be") and _praise_follows(ev, i):
                ev.suggestion.add(2, ev.quote(i, i + 1))
                break


def _praise_follows(ev: Evidence, i: int) -> bool:
    """ "ce serait top", "would be incredible": praise right after a conditional."""
    if ev.toks[i].norm == "be" and (i == 0 or ev.toks[i - 1].norm not in ("would", "d")):
        return False
    return any(m.start in (i + 1, i + 2, i + 3) for m in ev.matches("positive"))


def _spam(ev: Evidence) -> None:
    for m in ev.matches("spam"):
        ev.spam.add(m.weight, ev.quote(m.start, m.end))
    urls = [ev.text[t.start : t.end] for t in ev.toks if t.norm == "<url>"]
    for url in urls:
        if url in ev.links:
            ev.repeated.append(url)
        else:
            ev.links.append(url)
    ev.spam.score += min(1.5, 0.5 * len(urls)) + (1 if ev.repeated else 0)
    money = MONEY.search(ev.text)
    offers.offers(ev, money is not None)
    if money and ev.spam.score:
        ev.spam.add(0.5, money.group())


def _time_and_importance(ev: Evidence) -> None:
    for m in ev.matches("time"):
        if m.value != "not_time":  # "trop vite" is not "vite"
            ev.time.setdefault(m.value, []).append(ev.quote(m.start, m.end))
    for found in dx.SOON.finditer(ev.text):
        ev.time.setdefault("now", []).append(found.group())
    for m in ev.matches("now"):
        ev.time.setdefault("now", []).append(ev.quote(m.start, m.end))
    soon = ev.matches("now") or dx.SOON.search(ev.text)
    if set(ev.time) == {"now"} and ev.matches("changed") and not soon:
        del ev.time["now"]  # "devenus trop chers maintenant": these days, not this minute
    for lexicon in ("refund", "legal", "press", "personal_data"):
        for m in ev.matches(lexicon):
            words = ev.important.setdefault(lexicon, [])
            quoted = ev.quote(m.start, m.end)
            if quoted not in words:
                words.append(quoted)


def _social(ev: Evidence) -> None:
    """Friends tagged and talked to, wishes, and the label a message opens with."""
    ev.friends = social.talks_to_friends(ev)
    ev.wishes = [ev.quote(m.start, m.end) for m in ev.matches("wishes")]
    labelled = social.label(ev)
    if labelled is not None:
        kind, words = labelled
        (ev.question if kind == "question" else ev.suggestion).add(2, words)
