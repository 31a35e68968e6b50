"""API shapes for the team domain, and the pieces every API module shares: the error
body, the documented error responses and how times are written."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema


def _iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


UtcTime = Annotated[
    datetime,
    PlainSerializer(_iso_utc, return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "description": "ISO-8601 in UTC with its offset, e.g. 2027-03-28T01:30:00+00:00",
        },
        mode="serialization",
    ),
]


class ErrorOut(BaseModel):
    """Every error the API answers with."""

    error: str = Field(
        description="A stable code: bad_request, unauthorized, forbidden, not_found, "
        "conflict, invalid, internal",
        examples=["invalid"],
    )
    message: str = Field(
        description="What went wrong, in the user's language", examples=["Unknown channel: 42"]
    )
    field: str | None = Field(default=None, description="The first field at fault, if any")
    errors: dict[str, str] | None = Field(
        default=None,
        description="For 422: every field at fault and its message",
        examples=[{"channels": "Unknown channel: 42"}],
    )


_ERROR_TEXT = {
    400: "The body is not valid JSON.",
    401: "No `Authorization: Bearer <token>` header, or the token is unknown or revoked.",
    403: "Your role does not allow this.",
    404: "No such object in your workspace.",
    409: "The object is not in a state that allows this, or your copy is stale.",
    422: "Some fields are missing or wrong; `errors` names each of them.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route: each error status it may answer, with its body."""
    return {s: {"model": ErrorOut, "description": _ERROR_TEXT[s]} for s in (401, *statuses)}


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserRef(Model):
    id: int
    name: str


class WorkspaceOut(Model):
    id: int
    name: str
    timezone: str = Field(
        description="IANA zone: times without an offset are read in it", examples=["Europe/Paris"]
    )
    language: str


class MeOut(Model):
    id: int
    email: str
    name: str
    role: str = Field(description="owner, manager, member, contributor or viewer")
    language: str | None
    workspace: WorkspaceOut
    can_publish: bool = Field(description="Posts are scheduled without approval")
    can_approve: bool = Field(description="Approves and rejects posts, manages channels")
