"""Each kind's settings, as a pydantic model: the API validates them, the editor shows them."""

from __future__ import annotations

import re
from datetime import time, timedelta

from pydantic import BaseModel, ConfigDict, Field, field_validator

from palabre.automations.guardrails import parse_hhmm
from palabre.core.i18n import N_

NEWS_TEMPLATE = "{{ title }}\n\n{{ summary }}\n\n{{ link }}\n{{ hashtags }}"
AGENDA_TEMPLATE = "📅 {{ event.when }} : {{ event.title }}{% if event.place %} — {{ event.place }}{% endif %}\n\n{{ summary }}\n\n{{ event.link }}"  # noqa: E501
CURATION_TEMPLATE = "{{ title }} ({{ source }})\n\n{{ link }}\n{{ hashtags }}"

# "-7d@10:00": seven days before the event's day, at 10:00 (workspace time);
# "0d@09:00": the morning of; "-3h": three hours before it starts.
OFFSET_RE = re.compile(r"^(?:(?P<days>[-+]?\d{1,3})d@(?P<at>\d{1,2}:\d{2})|-(?P<hours>\d{1,3})h)$")


class Offset(BaseModel):
    days: int = 0
    at: time | None = None
    hours: int = 0

    @classmethod
    def parse(cls, text: str) -> Offset:
        match = OFFSET_RE.match(text.strip())
        if not match:
            raise ValueError(
                N_("Write a reminder as -7d@10:00 (days before, at a time) or -3h (hours before).")
            )
        if match["hours"]:
            return cls(hours=int(match["hours"]))
        days = int(match["days"])
        if days > 0:
            raise ValueError(N_("A reminder comes before the event: use 0d or a negative number."))
        return cls(days=days, at=parse_hhmm(match["at"]))

    @property
    def before(self) -> timedelta:
        return timedelta(hours=self.hours)


class Common(BaseModel):
    model_config = ConfigDict(extra="forbid")

    template: str = Field(default="", max_length=5000, description="Jinja template (sandboxed)")


class Filters(Common):
    include: list[str] = Field(default_factory=list, description="Keep items with a word")
    exclude: list[str] = Field(default_factory=list, description="Drop items with a word")
    categories: list[str] = Field(default_factory=list, description="Keep these categories")
    max_age_days: int = Field(default=7, ge=1, le=365)


class NewsSettings(Filters):
    template: str = Field(default=NEWS_TEMPLATE, max_length=5000)


class CurationSettings(Filters):
    template: str = Field(default=CURATION_TEMPLATE, max_length=5000)
    keywords: list[str] = Field(default_factory=list, description="The theme's words")
    per_day: int = Field(default=3, ge=1, le=20, description="Best items suggested a day")
    pick_at: str = Field(default="09:00", description="When the day's best are picked")
    max_age_days: int = Field(default=3, ge=1, le=30)

    @field_validator("pick_at")
    @classmethod
    def _at(cls, value: str) -> str:
        parse_hhmm(value)
        return value


class AgendaSettings(Common):
    template: str = Field(default=AGENDA_TEMPLATE, max_length=5000)
    offsets: list[str] = Field(
        default_factory=lambda: ["-7d@10:00", "-1d@18:00", "0d@09:00"],
        description="Reminders: -7d@10:00 (days before, at a time) or -3h (hours before)",
    )

    @field_validator("offsets")
    @classmethod
    def _offsets(cls, value: list[str]) -> list[str]:
        cleaned = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        for item in cleaned:
            Offset.parse(item)
        if not cleaned:
            raise ValueError(N_("Give at least one reminder."))
        return cleaned


class PeopleSettings(Common):
    """Welcome and thank-you: personalised suggestions, never broadcasts."""

    daily_cap: int = Field(default=5, ge=0, le=50, description="Auto mode: at most a day")
    phrasings: list[str] = Field(
        default_factory=list, description="Your own phrasings (templates); ours otherwise"
    )


SETTINGS: dict[str, type[Common]] = {
    "news": NewsSettings,
    "curation": CurationSettings,
    "agenda": AgendaSettings,
    "welcome": PeopleSettings,
    "thanks": PeopleSettings,
}


def settings_for(kind: str, data: dict[str, object] | None) -> BaseModel:
    return SETTINGS[kind].model_validate(data or {})
