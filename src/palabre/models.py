"""Imports every model so that the metadata (and Alembic) sees all tables."""

from palabre.automations.models import (
    Automation,
    AutomationRun,
    ChannelGuardrails,
    SentText,
    Suggestion,
)
from palabre.channels.models import Channel
from palabre.channels.oauth_models import OAuthPending
from palabre.channels.preview.models import PreviewRecord
from palabre.channels.sync_models import ChannelSync
from palabre.core.db import Base
from palabre.inbox.conversation_models import (
    Conversation,
    InboxCount,
    Message,
    MessageSend,
    Note,
    Presence,
    TriageCorrection,
)
from palabre.inbox.models import Notification
from palabre.inbox.saved_models import SavedReply, SavedReplyUse
from palabre.inbox.sla_models import SlaPolicy
from palabre.publishing.models import Delivery, Post, PostImage, PostVariant
from palabre.sources.fetch_models import SourceFetch
from palabre.sources.models import AgendaOccurrence, Source, SourceItem
from palabre.team.models import (
    ApiToken,
    AuditEntry,
    Notice,
    SignInFailure,
    User,
    UserSession,
    Workspace,
)

__all__ = [
    "AgendaOccurrence",
    "ApiToken",
    "AuditEntry",
    "Automation",
    "AutomationRun",
    "Base",
    "Channel",
    "ChannelGuardrails",
    "ChannelSync",
    "Conversation",
    "Delivery",
    "InboxCount",
    "Message",
    "MessageSend",
    "Note",
    "Notice",
    "Notification",
    "OAuthPending",
    "Post",
    "PostImage",
    "PostVariant",
    "Presence",
    "PreviewRecord",
    "SavedReply",
    "SavedReplyUse",
    "SentText",
    "SignInFailure",
    "SlaPolicy",
    "Source",
    "SourceFetch",
    "SourceItem",
    "Suggestion",
    "TriageCorrection",
    "User",
    "UserSession",
    "Workspace",
]

# Rows the worker drives, in the order a cycle visits them.
STATOR_MODELS = [Delivery, ChannelSync, SourceFetch, AutomationRun, MessageSend, SlaPolicy]
