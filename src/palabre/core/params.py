"""Whole numbers read from outside (query parameters, form fields, headers).

``str.isdigit`` is not enough before ``int``: "¹" and "²" are digits to it, yet ``int``
refuses them (a 500 where a clear "not found" or the first page was meant); and a number
of a hundred digits is no id either.
"""

from __future__ import annotations

MAX = 2**62  # beyond any id or count Palabre stores


def whole(value: object) -> int | None:
    """``value`` as a non-negative integer if it is written in ASCII digits only and not
    absurdly large, else None."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    if len(value) > 19:
        return None
    number = int(value)
    return number if number <= MAX else None


def is_whole(value: object) -> bool:
    return whole(value) is not None
