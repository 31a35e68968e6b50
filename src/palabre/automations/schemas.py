"""API shapes for automations, suggestions, guardrails and the automated share."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from palabre.channels.schemas import ChannelRef
from palabre.team.schemas import Model, UtcTime

KIND_DOC = (
    "news (a feed's items), agenda (reminders of events), curation (the day's best items "
    "of many feeds), welcome (new followers), thanks (mentions, reposts, quotes)"
)
SETTINGS_DOC = (
    "The kind's settings, here or at the top level of the body. news: template, include, "
    "exclude, categories, max_age_days (7). curation: the same, and keywords, per_day (3), "
    "pick_at ('09:00'). agenda: template, offsets (['-7d@10:00', '-1d@18:00', '0d@09:00']: "
    "days before the event's day at a time, or '-3h': hours before). welcome, thanks: "
    "daily_cap (auto mode, 5), phrasings (templates with name, handle, quote). Templates "
    "are sandboxed Jinja: title, link, summary (shortened to fit each network), hashtags, "
    "categories, source, author; event.title, event.date, event.time, event.when, "
    "event.place, event.link for the agenda."
)


class AutomationCreate(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: Literal["news", "agenda", "curation", "welcome", "thanks"] = Field(description=KIND_DOC)
    name: str = Field(default="", max_length=200, description="Defaults to the kind's name")
    sources: list[int] = Field(default_factory=list, description="Source ids (not for people)")
    channels: list[int] = Field(description="Target channel ids", examples=[[1]])
    mode: Literal["suggest", "auto"] = Field(
        default="suggest",
        description="suggest: a person approves each; auto: published "
        "at once, inside the guardrails",
    )
    settings: dict[str, Any] = Field(default_factory=dict, description=SETTINGS_DOC)
    enabled: bool = Field(
        default=False,
        description="false (the default): made switched off, so the team reads its dry run "
        "first, then switches it on with POST …/resume or PATCH enabled=true",
    )

    def all_settings(self) -> dict[str, Any]:
        return {**self.settings, **(self.model_extra or {})}


class AutomationUpdate(BaseModel):
    """Only the fields present change; settings are merged into the current ones."""

    name: str | None = Field(default=None, max_length=200)
    sources: list[int] | None = None
    channels: list[int] | None = None
    mode: Literal["suggest", "auto"] | None = None
    enabled: bool | None = None
    settings: dict[str, Any] | None = Field(default=None, description=SETTINGS_DOC)


class AutomationOut(Model):
    id: int
    kind: str
    name: str
    mode: str
    enabled: bool
    paused_reason: str | None = Field(description="manual, or share (over the ceiling)")
    paused_at: UtcTime | None
    settings: dict[str, Any]
    sources: list[int]
    channels: list[ChannelRef]
    pending: int = Field(description="Suggestions waiting for a decision")
    last_run_at: UtcTime | None
    last_error: str | None = Field(description="Why the last run made nothing (a template)")
    created_at: UtcTime


class SuggestionOut(Model):
    id: int
    automation_id: int
    automation_name: str
    kind: str = Field(description="post, reminder, correction, welcome or thanks")
    state: str = Field(description="pending, approved, skipped, expired or cancelled")
    texts: dict[str, str] = Field(description="The text per target channel id")
    planned_at: UtcTime | None = Field(description="When it should go out (a reminder)")
    source_item_id: int | None
    occurrence_id: int | None
    reminder_offset: str | None
    person_handle: str | None
    person_name: str | None
    quote: str | None
    score: float | None
    note: str | None = Field(description="Why it waits, in the reader's language")
    post_id: int | None = Field(description="The post it became")
    decided_by_id: int | None
    decided_at: UtcTime | None
    created_at: UtcTime


class SuggestionList(BaseModel):
    items: list[SuggestionOut]
    total: int


class ApproveIn(BaseModel):
    texts: dict[int, str] | None = Field(
        default=None,
        description="Edited texts by channel id (the others stay as suggested)",
        examples=[{"1": "Ce soir au musée : entrée libre !"}],
    )
    text: str | None = Field(default=None, description="One edited text for every channel")


class EditIn(BaseModel):
    texts: dict[int, str] = Field(description="Edited texts by channel id")


class BulkIn(BaseModel):
    ids: list[int] = Field(min_length=1, max_length=200)
    action: Literal["approve", "skip"]


class BulkResult(BaseModel):
    done: list[int]
    failed: dict[int, str] = Field(description="Suggestion id → why not")


class WouldOut(BaseModel):
    title: str
    texts: dict[str, str]
    arrived: UtcTime
    when: UtcTime | None = Field(description="The slot the guardrails gave; null: no room")
    score: float | None = None


class DryRunOut(BaseModel):
    start: UtcTime
    end: UtcTime
    posts: list[WouldOut]
    skipped: int = Field(description="Items the filters left out")
    unplaced: int = Field(description="Posts no slot was left for")


class GuardrailsIn(BaseModel):
    daily_cap: int | None = Field(default=None, ge=0, le=50)
    min_spacing_minutes: int | None = Field(default=None, ge=0, le=1440)
    quiet_start: str | None = Field(default=None, examples=["21:00"])
    quiet_end: str | None = Field(default=None, examples=["08:00"])
    share_warning: int | None = Field(default=None, ge=1, le=100)
    share_ceiling: int | None = Field(default=None, ge=1, le=100)


class GuardrailsOut(Model):
    channel_id: int
    daily_cap: int = Field(description="Automated posts a day (workspace time)")
    min_spacing_minutes: int
    quiet_start: str
    quiet_end: str = Field(description="Quiet hours, workspace time; may cross midnight")
    share_warning: int = Field(description="Percent: the dashboard warns above it")
    share_ceiling: int = Field(description="Percent: auto-mode automations pause above it")


class ShareOut(BaseModel):
    channel: ChannelRef
    automated_7: int
    total_7: int
    percent_7: int
    automated_30: int
    total_30: int
    percent_30: int
    level: str = Field(description="ok, warning or ceiling (last 7 days)")
