"""What the automation pages share: labels, confirmations after a redirect."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse

from palabre.core.i18n import N_
from palabre.core.templating import render
from palabre.publishing.pages import translator

KIND_LABELS = {
    "news": N_("News relay"),
    "agenda": N_("Agenda reminders"),
    "curation": N_("Curation"),
    "welcome": N_("Welcome new followers"),
    "thanks": N_("Thank for mentions and reposts"),
}
KIND_HINTS = {
    "news": N_("Each new item of your website's feed becomes a post."),
    "agenda": N_("Your agenda's events are announced ahead of time."),
    "curation": N_("The day's best items of many feeds on one theme."),
    "welcome": N_("A personal welcome for each new follower."),
    "thanks": N_("A personal thank-you to those who mention or share you."),
}
SUGGESTION_KINDS = {
    "post": N_("Post"),
    "reminder": N_("Reminder"),
    "correction": N_("Correction"),
    "welcome": N_("Welcome"),
    "thanks": N_("Thank-you"),
}
SUGGESTION_STATES = {
    "pending": N_("Waiting"),
    "approved": N_("Approved"),
    "skipped": N_("Skipped"),
    "expired": N_("Expired"),
    "cancelled": N_("Cancelled (event)"),
}
MODES = {
    "suggest": N_("Suggest (a person approves)"),
    "auto": N_("Automatic (within the guardrails)"),
}
PAUSES = {
    "manual": N_("Paused by a manager."),
    "share": N_("Paused: automated posts passed the ceiling of the channel's share."),
}
DONE = {
    "created": N_("Automation created, not switched on yet: read its dry run, then switch it on."),
    "switched_on": N_("Automation switched on. It looks at its sources every few minutes."),
    "saved": N_("Changes saved."),
    "paused": N_("Automation paused. The posts it had scheduled on its own now await approval."),
    "resumed": N_("Automation resumed."),
    "deleted": N_("Automation deleted. The posts it made stay."),
    "run_0": N_("Checked: nothing new to suggest."),
    "run_1": N_("Checked: new suggestions are in the queue."),
    "approved": N_("Approved: the post is scheduled at the next time the guardrails allow."),
    "proposed": N_("Sent for approval: a manager will review the post."),
    "replied": N_("Approved: the thank-you goes out as a reply in their thread."),
    "reply_proposed": N_("Sent for approval: a manager will review the reply in the inbox."),
    "skipped": N_("Skipped: it will not be published."),
    "bulk": N_("Done for the selected suggestions."),
}


def page(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    tr = translator(request)
    flashes = list(context.pop("flashes", []))
    done = request.query_params.get("done")
    if done in DONE:
        flashes.insert(0, ("success", tr.gettext(DONE[done])))
    labels = {
        "kind_labels": {k: tr.gettext(v) for k, v in KIND_LABELS.items()},
        "kind_hints": {k: tr.gettext(v) for k, v in KIND_HINTS.items()},
        "suggestion_kinds": {k: tr.gettext(v) for k, v in SUGGESTION_KINDS.items()},
        "suggestion_states": {k: tr.gettext(v) for k, v in SUGGESTION_STATES.items()},
        "modes": {k: tr.gettext(v) for k, v in MODES.items()},
        "pauses": {k: tr.gettext(v) for k, v in PAUSES.items()},
    }
    return render(request, name, {**labels, **context, "flashes": flashes}, status_code=status_code)
