"""Deciding: the category, the urgency and the importance from the evidence, with the
reasons a person reads. Precedence (see docs/triage.md): spam, incident, complaint,
suggestion, question, praise, other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

from palabre.inbox.triage.dangers import CHRONIC
from palabre.inbox.triage.evidence import TROUBLE_AT, Evidence
from palabre.inbox.triage.reasons import Reason

Category = Literal["question", "complaint", "praise", "suggestion", "incident", "spam", "other"]
Urgency = Literal["urgent", "normal", "low"]
CATEGORIES: tuple[Category, ...] = get_args(Category)
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)

SPAM_AT = 2.0
INCIDENT_AT = TROUBLE_AT
COMPLAINT_AT = 1.0
COMPLAINT_WHEN_ASKING_AT = 1.5  # a question with a grumble stays a question
SUGGESTION_AT = 1.5
QUESTION_AT = 1.5
PRAISE_AT = 1.0
MAX_WORDS = 6


def category_of(ev: Evidence) -> Category:
    if ev.spam.score >= SPAM_AT:
        return "spam"
    if ev.incident.score >= INCIDENT_AT:
        return "incident"
    asking = ev.question.score >= QUESTION_AT
    if _complains(ev, asking):
        return "complaint"
    if ev.friends or ev.wishes:
        return "other"  # talks to friends, or wishes a good year: nothing to answer
    if ev.suggestion.score >= SUGGESTION_AT:
        return "suggestion"
    if asking:
        return "question"
    if ev.positive.score >= PRAISE_AT:
        return "praise"
    return "other"


def _complains(ev: Evidence, asking: bool) -> bool:
    """Negative words (after negation and sarcasm), a bad situation told at length
    ("une heure qu'on attend"), a refund asked for or a threat to go to an authority."""
    grievance = ev.negative.score + 0.5 * ev.situation.score
    grievance += sum(1.0 for k in ("refund", "legal") if k in ev.important)
    if ev.capitals and grievance:
        grievance += 0.5
    threshold = COMPLAINT_WHEN_ASKING_AT if asking else COMPLAINT_AT
    return grievance >= threshold and 2 * grievance >= ev.positive.score


def urgency_of(ev: Evidence, category: Category) -> Urgency:
    if category == "incident":
        return "urgent"
    if category in ("question", "complaint"):
        if ev.past:  # a trouble told as past or lasting for weeks (evidence.py, _past)
            return "normal"
        if set(ev.time) == {"now"} and CHRONIC.search(ev.text):
            return "normal"  # "still waiting for my refund, that's two months now"
        return "urgent" if ev.time else "normal"
    return "low"


def important_of(ev: Evidence, category: str) -> bool:
    if category == "spam":
        return False
    if category == "incident":
        return True
    if {"legal", "press", "personal_data"} & ev.important.keys():
        return True
    return "refund" in ev.important and category == "complaint"


def reasons_of(ev: Evidence, category: str, urgency: str) -> list[Reason]:
    out: list[Reason] = []

    def add(code: str, words: list[str] | None = None) -> None:
        out.append(Reason(code, tuple((words or [])[:MAX_WORDS])))

    if category == "spam" or ev.spam.score >= SPAM_AT:
        if ev.spam.words:
            add("spam", ev.spam.words)
        if ev.links:
            add("links", ev.links)
        if ev.repeated:
            add("repeated", ev.repeated)
    if ev.incident.score >= INCIDENT_AT:
        add("incident", ev.incident.words)
    if ev.sarcasm.words:
        add("sarcasm", ev.sarcasm.words)
    if ev.negation.words:
        add("negation", ev.negation.words)
    if ev.negative.words:
        add("negative", ev.negative.words)
    if ev.situation.words and not ev.sarcasm.words and category == "complaint":
        add("situation", ev.situation.words)
    if ev.past and category == "complaint":
        add("past", ev.past)
    if ev.capitals and category == "complaint":
        add("capitals")
    if ev.positive.words:
        add("positive", ev.positive.words)
    if category == "other":
        if ev.friends:
            add("friends", ev.friends)
        if ev.wishes:
            add("wishes", ev.wishes)
    if ev.suggestion.score >= SUGGESTION_AT:
        add("suggestion", ev.suggestion.words)
    _question_and_time(ev, category, urgency, add)
    for code in ("refund", "legal", "press", "personal_data"):
        if code in ev.important:
            add(code, ev.important[code])
    return out


def _question_and_time(ev: Evidence, category: str, urgency: str, add: Callable[..., None]) -> None:
    kind = next(iter(ev.time), None)
    if category == "question" and kind:
        add(f"question_{kind}", ev.time[kind])
    elif ev.question_mark and category == "question":
        add("question_mark")  # its words need no pointing out
    elif ev.question.words and category == "question":
        add("question_words", ev.question.words)
    if kind and category in ("complaint", "incident"):
        add(f"when_{kind}", ev.time[kind])
