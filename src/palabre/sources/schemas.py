"""API shapes for sources."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from palabre.team.schemas import Model, UtcTime


class SourceCreate(BaseModel):
    kind: Literal["feed", "agenda"] = Field(
        description="`feed` (RSS, Atom, JSON Feed) or `agenda` (iCalendar)"
    )
    url: str | None = Field(
        default=None,
        max_length=2000,
        description="Where to fetch it. A web page's address works too: when the page "
        "offers feeds, the answer is 422 with `feeds` (each `url`, `title`, `type`) to "
        "choose from; post again with the chosen `url`.",
        examples=["https://musee.example.org/actualites/feed.xml"],
    )
    content: str | None = Field(
        default=None,
        description="Instead of `url`: the file's text (read once, never fetched again)",
    )
    content_base64: str | None = Field(
        default=None, description="Instead of `url`: the file's bytes, base64-encoded"
    )
    file_name: str | None = Field(default=None, max_length=300, examples=["agenda.ics"])
    name: str | None = Field(
        default=None,
        max_length=200,
        description="Shown to the team; the feed's own title when left out",
        examples=["Actualités du musée"],
    )
    first_fetch_keep: int = Field(
        default=1,
        ge=0,
        le=50,
        description="On the first fetch, how many of the newest items count as new; the "
        "older ones are backlog (recorded, never posted)",
    )


class SourceUpdate(BaseModel):
    name: str | None = Field(default=None, max_length=200)
    paused: bool | None = Field(default=None, description="A paused source is not checked")
    weight: float | None = Field(
        default=None, ge=0, le=10, description="How much curation trusts it (1 = normal)"
    )
    first_fetch_keep: int | None = Field(default=None, ge=0, le=50)


class OfferedFeedOut(BaseModel):
    url: str
    title: str | None = None
    type: str | None = None


class HealthOut(BaseModel):
    state: str = Field(
        description="working, late (a check is overdue), failing, paused, file (uploaded, "
        "not fetched) or waiting (not checked yet)"
    )
    summary: str = Field(description="The state in plain words, in the reader's language")
    last_success_at: UtcTime | None = None
    last_checked_at: UtcTime | None = None
    last_error: str | None = Field(
        default=None, description="The last error in plain words, in the reader's language"
    )
    last_error_at: UtcTime | None = None
    notice: str | None = Field(
        default=None,
        description="What the last check that worked has to say (events of an agenda that "
        "could not be read), in plain words, in the reader's language",
    )
    items_seen: int = Field(description="Items (or occurrences) stored so far")
    next_check_at: UtcTime | None = None
    offered_feeds: list[OfferedFeedOut] = Field(
        default_factory=list,
        description="The source's address now serves a web page: the feeds that page "
        "offers, to choose from (`POST /api/v1/sources/{id}/use-feed`)",
    )


class SourceOut(Model):
    id: int
    kind: str
    name: str
    url: str | None
    file_name: str | None
    title: str | None = Field(description="As the feed names itself")
    site_url: str | None
    weight: float
    paused: bool
    first_fetch_keep: int
    created_at: UtcTime
    health: HealthOut


class SourceList(BaseModel):
    sources: list[SourceOut]


class ItemOut(Model):
    id: int
    guid: str
    title: str
    link: str | None
    canonical_link: str | None
    summary_html: str = Field(description="Sanitised HTML, safe to show")
    summary_text: str
    categories: list[str]
    author: str | None
    image_url: str | None
    published_at: UtcTime | None
    first_seen_at: UtcTime
    duplicate_of_id: int | None = Field(
        description="The item that brought this news first (this or another source)"
    )
    backlog: bool = Field(description="Seen on the first fetch: never posted")


class OccurrenceOut(Model):
    id: int
    uid: str
    occurrence_key: str
    starts_at: UtcTime
    ends_at: UtcTime | None
    all_day: bool
    timezone: str | None
    title: str
    description: str
    location: str | None
    url: str | None
    status: str = Field(description="confirmed, tentative or cancelled")
    changed_at: UtcTime
    removed_at: UtcTime | None = Field(description="Set when the agenda dropped it")


class ItemList(BaseModel):
    items: list[ItemOut] = Field(default_factory=list, description="For a feed, newest first")
    occurrences: list[OccurrenceOut] = Field(
        default_factory=list, description="For an agenda, from today on, soonest first"
    )


class FeedChoice(BaseModel):
    url: str = Field(max_length=2000, description="One of the health's `offered_feeds`")


class RefreshOut(BaseModel):
    source: SourceOut
    not_modified: bool = Field(description="The server said nothing changed (304)")
    new: int = Field(description="New items or occurrences stored by this check")
    error: str | None = Field(description="Why the check failed, in plain words")
