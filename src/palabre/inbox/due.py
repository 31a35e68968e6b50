"""How late a first response is, in words: "due in 40 minutes", "overdue by 2 hours"."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_timedelta

from palabre.core.db import utcnow
from palabre.core.i18n import Translator


def due_label(
    tr: Translator, due: datetime | None, answered: datetime | None, now: datetime | None = None
) -> tuple[str, str] | None:
    """(text, css class) for a conversation not answered yet; None once answered."""
    if answered is not None or due is None:
        return None
    delta = due - (now or utcnow())
    amount = format_timedelta(abs(delta), threshold=1.5, locale=tr.locale)
    if delta.total_seconds() >= 0:
        return tr.gettext("due in %(time)s", time=amount), "due"
    return tr.gettext("overdue by %(time)s", time=amount), "overdue"
