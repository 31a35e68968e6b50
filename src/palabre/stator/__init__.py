"""Persisted state machines: background work stored as rows with a state and a lease."""

from palabre.stator.graph import State, StateGraph
from palabre.stator.handling import HandlerContext, TransientError
from palabre.stator.models import StatorMixin
from palabre.stator.runner import StatorRunner

__all__ = ["HandlerContext", "State", "StateGraph", "StatorMixin", "StatorRunner", "TransientError"]
