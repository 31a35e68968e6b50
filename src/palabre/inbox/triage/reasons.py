"""Why a message was triaged as it was: short phrases a community manager reads, in
their language, each quoting the words found in the message exactly as written."""

from __future__ import annotations

from dataclasses import dataclass

from palabre.core.i18n import N_, Translator

# code → English message (the msgid, translated where it is shown). ``%(words)s`` is the
# list of words found, quoted from the message.
MESSAGES: dict[str, str] = {
    "question_mark": N_("asks a question"),
    "question_words": N_("asks a question without a question mark: %(words)s"),
    "question_today": N_("asks a question about today: %(words)s"),
    "question_tonight": N_("asks a question about tonight: %(words)s"),
    "question_now": N_("asks a question about right now: %(words)s"),
    "question_tomorrow": N_("asks a question about tomorrow: %(words)s"),
    "when_today": N_("speaks of today: %(words)s"),
    "when_tonight": N_("speaks of tonight: %(words)s"),
    "when_now": N_("speaks of right now: %(words)s"),
    "when_tomorrow": N_("speaks of tomorrow: %(words)s"),
    "negative": N_("negative words: %(words)s"),
    "positive": N_("positive words: %(words)s"),
    "negation": N_("negation turns the meaning around: %(words)s"),
    "sarcasm": N_("sounds sarcastic: %(words)s"),
    "situation": N_("describes a bad situation: %(words)s"),
    "past": N_("tells of a problem that is over, not one to act on now: %(words)s"),
    "capitals": N_("written in capitals"),
    "incident": N_("reports an incident: %(words)s"),
    "suggestion": N_("suggests something: %(words)s"),
    "spam": N_("looks like spam: %(words)s"),
    "links": N_("contains links: %(words)s"),
    "repeated": N_("repeats itself: %(words)s"),
    "refund": N_("mentions a refund or a payment: %(words)s"),
    "legal": N_("threatens to complain to an authority or in court: %(words)s"),
    "press": N_("comes from the press: %(words)s"),
    "personal_data": N_("mentions personal data: %(words)s"),
    "nothing": N_("nothing to act on was found"),
    "friends": N_("talks to the people it mentions: %(words)s"),
    "wishes": N_("sends wishes: %(words)s"),
    # the learned fallback (model.py), when the rules found nothing
    "like_question": N_("reads like the questions seen before: %(words)s"),
    "like_complaint": N_("reads like the complaints seen before: %(words)s"),
    "like_praise": N_("reads like the praise seen before: %(words)s"),
    "like_suggestion": N_("reads like the suggestions seen before: %(words)s"),
    "like_incident": N_("reads like the incidents seen before: %(words)s"),
    "like_spam": N_("reads like the spam seen before: %(words)s"),
    "like_other": N_("reads like the messages with nothing to answer seen before: %(words)s"),
    "truncated": N_("only the beginning of this long message was read"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    words: tuple[str, ...] = ()

    def text(self, tr: Translator) -> str:
        message = MESSAGES[self.code]
        if "%(words)s" not in message:
            return tr.gettext(message)
        return tr.gettext(message, words=", ".join(self.words))


CATEGORY_LABELS: dict[str, str] = {
    "question": N_("Question"),
    "complaint": N_("Complaint"),
    "praise": N_("Praise"),
    "suggestion": N_("Suggestion"),
    "incident": N_("Incident"),
    "spam": N_("Spam"),
    "other": N_("Other"),
}
URGENCY_LABELS: dict[str, str] = {
    "urgent": N_("Urgent"),
    "normal": N_("Normal"),
    "low": N_("Low"),
}
