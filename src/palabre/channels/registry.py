"""Finds adapters: built-in and outside ones alike, through the ``palabre.channels``
entry-point group."""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib.metadata import entry_points

from palabre.channels.base import ChannelAdapter

log = logging.getLogger(__name__)
GROUP = "palabre.channels"


class UnknownChannelKind(KeyError):
    pass


@lru_cache
def adapters() -> dict[str, type[ChannelAdapter]]:
    found: dict[str, type[ChannelAdapter]] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except Exception:
            log.exception("channel adapter %s could not be loaded", ep.name)
            continue
        if not (isinstance(cls, type) and issubclass(cls, ChannelAdapter)):
            log.error("entry point %s is not a ChannelAdapter", ep.name)
            continue
        found[ep.name] = cls
    return found


def get_adapter_class(kind: str) -> type[ChannelAdapter]:
    try:
        return adapters()[kind]
    except KeyError:
        raise UnknownChannelKind(kind) from None
