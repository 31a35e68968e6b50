"""API shapes of triage."""

from __future__ import annotations

from pydantic import BaseModel, Field

from palabre.core.i18n import Translator
from palabre.inbox.triage import Category, Language, Triage, Urgency
from palabre.inbox.triage.checks import MAX_INPUT


class TriageIn(BaseModel):
    text: str = Field(
        description=f"The message, plain text or HTML (tags are removed before reading). "
        f"Up to {MAX_INPUT:,} characters; only the beginning of a very long one is read.",
        examples=["Super, encore fermé un dimanche 👏"],
    )
    lang: str | None = Field(
        default=None,
        description="`fr` or `en`; detected from the text when left out",
        examples=["fr"],
    )


class ReasonOut(BaseModel):
    code: str = Field(description="A stable code, e.g. `negative`, `question_today`")
    text: str = Field(description="The reason in the caller's language, quoting the words")
    words: list[str] = Field(description="The words found, exactly as written in the text")


class TriageOut(BaseModel):
    category: Category
    urgency: Urgency
    important: bool
    reasons: list[ReasonOut]
    lang: Language = Field(description="The message's language, given or detected")
    truncated: bool = Field(description="True when only the beginning of the text was read")

    @classmethod
    def of(cls, result: Triage, tr: Translator) -> TriageOut:
        return cls(
            category=result.category,
            urgency=result.urgency,
            important=result.important,
            reasons=[
                ReasonOut(code=r.code, text=r.text(tr), words=list(r.words)) for r in result.reasons
            ],
            lang=result.lang,
            truncated=any(r.code == "truncated" for r in result.reasons),
        )
