from palabre.channels.mastodon.adapter import MastodonAdapter

__all__ = ["MastodonAdapter"]
