"""Words the inbox pages show for statuses, categories, urgencies and message states."""

from __future__ import annotations

from palabre.core.i18n import N_

STATUS = {
    "new": N_("New"),
    "open": N_("In progress"),
    "waiting": N_("Waiting for them"),
    "closed": N_("Closed"),
}
STATUS_FILTERS = {
    "todo": N_("To handle"),
    **STATUS,
    "all": N_("All"),
}
CATEGORY = {
    "question": N_("Question"),
    "complaint": N_("Complaint"),
    "praise": N_("Praise"),
    "suggestion": N_("Suggestion"),
    "incident": N_("Incident"),
    "spam": N_("Spam"),
    "other": N_("Other"),
}
URGENCY = {"urgent": N_("Urgent"), "normal": N_("Normal"), "low": N_("Low")}
MESSAGE_STATE = {
    "proposed": N_("Proposed, awaiting a manager"),
    "rejected": N_("Sent back"),
    "sending": N_("Sending…"),
    "sent": N_("Sent"),
    "failed": N_("Not sent"),
}
KIND = {
    "mention": N_("mentioned the account"),
    "reply": N_("replied"),
    "quote": N_("quoted a post"),
    "direct_message": N_("private message"),
}
DONE = {
    "replied": N_("Your reply is on its way."),
    "proposed": N_("Your reply is proposed; a manager will review it."),
    "assigned": N_("Assignment saved."),
    "status": N_("Status changed."),
    "noted": N_("Note added."),
    "triaged": N_("Triage corrected."),
    "approved": N_("Approved: the reply is on its way."),
    "rejected": N_("The proposal was sent back with your comment."),
    "retried": N_("The reply will be tried again in a moment."),
}
