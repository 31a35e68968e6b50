"""Errors a user may see. Messages are English msgids, translated at the edge."""

from __future__ import annotations

from typing import Any


class PalabreError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.params = params


class Unauthorized(PalabreError):
    status = 401
    code = "unauthorized"


class Forbidden(PalabreError):
    status = 403
    code = "forbidden"


class NotFound(PalabreError):
    status = 404
    code = "not_found"


class Conflict(PalabreError):
    status = 409
    code = "conflict"


class Invalid(PalabreError):
    """One or more fields are wrong. ``errors`` maps field names to messages."""

    status = 422
    code = "invalid"

    def __init__(self, errors: dict[str, tuple[str, dict[str, Any]]]) -> None:
        first_field, (first_msg, first_params) = next(iter(errors.items()))
        super().__init__(first_msg, field=first_field, **first_params)
        self.errors = errors


class TooManyAttempts(PalabreError):
    status = 429
    code = "too_many_attempts"


class FieldErrors:
    """Collects field errors and raises them all at once."""

    def __init__(self) -> None:
        self.errors: dict[str, tuple[str, dict[str, Any]]] = {}

    def add(self, field: str, message: str, **params: Any) -> None:
        self.errors.setdefault(field, (message, params))

    def raise_if_any(self) -> None:
        if self.errors:
            raise Invalid(self.errors)
