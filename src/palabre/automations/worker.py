"""The worker's visit of an automation (``AutomationRun``, state ``watching``)."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from palabre.automations import runs
from palabre.automations.models import Automation
from palabre.automations.rendering import TemplateProblem
from palabre.stator import HandlerContext

log = logging.getLogger(__name__)

EVERY = timedelta(minutes=5)
IDLE = timedelta(minutes=15)  # paused or disabled: looked at again, nothing made


def handle_watching(row: Any, ctx: HandlerContext) -> str | None:
    try:
        with ctx.db.transaction() as session:
            automation = session.get(Automation, row.automation_id)
            if automation is None:
                return "stopped"
            made = runs.run_automation(session, automation, ctx.now)
            active = automation.active
    except TemplateProblem as exc:
        # Nothing was made (rolled back); the template is the team's to fix, and the
        # automation's page shows why.
        row.last_error = str(exc)[:2000]
        row.next_attempt_at = ctx.now + IDLE
        return None
    row.made = (row.made or 0) + made
    row.last_checked_at = ctx.now
    row.last_error = None
    row.next_attempt_at = ctx.now + (EVERY if active else IDLE)
    if made:
        log.info("automation %s: %s new suggestions", row.automation_id, made)
    return None
