"""Palabre: self-hosted community management that keeps conversations human."""

__version__ = "0.1.0"
