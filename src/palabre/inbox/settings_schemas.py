"""API shapes of the inbox's settings: response-time policy (SLA) and saved replies."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class SlaIn(BaseModel):
    urgent_minutes: int = Field(
        description="First response to an urgent message within (business minutes)."
    )
    normal_minutes: int
    low_minutes: int
    hours: dict[str, list[str] | None] = Field(
        description='Per day ("mon" … "sun"): ["09:00", "18:00"], or null when closed.'
    )
    closed_days: list[date] = Field(default_factory=list, description="Holidays: closed all day.")
    round_robin_on_arrival: bool | None = Field(
        default=None,
        description="Give each new conversation, as it arrives, to the next person on duty "
        "(round-robin); left as it is when absent.",
    )


class SlaOut(SlaIn):
    timezone: str


class SavedReplyIn(BaseModel):
    name: str = Field(max_length=100)
    text: str = Field(description="The reply; placeholders in square brackets: [first name].")


class SavedReplyPatch(BaseModel):
    name: str | None = Field(default=None, max_length=100)
    text: str | None = None
    version: int | None = Field(
        default=None, description="The version you edited (refused if stale)."
    )


class SavedReplyOut(BaseModel):
    id: int
    name: str
    text: str
    placeholders: list[str]
    uses: int
    version: int
    updated_at: datetime
