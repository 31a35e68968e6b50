"""Helpers shared by the automation tests (no tests here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from palabre.automations.models import AutomationRun, Suggestion
from palabre.core.runtime import Runtime
from palabre.stator import StatorRunner


def run_automations(rt: Runtime, now: datetime) -> None:
    """One cycle of the worker over the automations only (deliveries wait)."""
    StatorRunner(rt.db, [AutomationRun]).run_once(now)


def all_suggestions(rt: Runtime) -> list[Suggestion]:
    with rt.db.transaction() as s:
        return list(s.scalars(select(Suggestion).order_by(Suggestion.id)))
