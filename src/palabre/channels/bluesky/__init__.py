"""The Bluesky channel (AT Protocol), through the ``atproto`` SDK."""

from palabre.channels.bluesky.adapter import BlueskyAdapter

__all__ = ["BlueskyAdapter"]
