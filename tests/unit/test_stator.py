"""The state-graph checks made at class definition, and the retry timing."""

from __future__ import annotations

from typing import Any

import pytest

from palabre.publishing.states import DeliveryStates
from palabre.stator import State, StateGraph
from palabre.stator.handling import MAX_ATTEMPTS, backoff


def test_a_well_formed_graph_knows_its_states_and_transitions() -> None:
    class Job(StateGraph):
        waiting = State(try_interval=5)
        done = State(final=True)
        waiting.transitions_to(done)

        @classmethod
        def handle_waiting(cls, row: Any, ctx: Any) -> str:
            return "done"

    assert Job.active_names() == ["waiting"]
    assert Job.get("waiting").targets == {"done"}
    Job.check_transition("waiting", "done")
    with pytest.raises(ValueError, match="cannot go"):
        Job.check_transition("done", "waiting")


def test_a_non_final_state_without_handler_is_refused_at_definition() -> None:
    with pytest.raises(TypeError, match="handle_waiting"):

        class Broken(StateGraph):
            waiting = State()
            done = State(final=True)
            waiting.transitions_to(done)


def test_a_transition_to_another_graphs_state_is_refused_at_definition() -> None:
    elsewhere = State(final=True)
    with pytest.raises(TypeError, match="foreign state"):

        class Broken(StateGraph):
            waiting = State()
            waiting.transitions_to(elsewhere)

            @classmethod
            def handle_waiting(cls, row: Any, ctx: Any) -> None:
                return None


def test_delivery_graph_allows_only_the_documented_moves() -> None:
    assert DeliveryStates.get("scheduled").targets == {"publishing", "cancelled", "failed"}
    # back to scheduled only when the token died: nothing was sent, the delivery waits
    assert DeliveryStates.get("publishing").targets == {"published", "failed", "scheduled"}
    assert DeliveryStates.get("publishing").side_effects
    with pytest.raises(ValueError):
        DeliveryStates.check_transition("published", "publishing")  # never published twice


def test_backoff_doubles_and_is_capped() -> None:
    state = State(try_interval=10, max_backoff=100)
    delays = [backoff(state, n) for n in range(1, 8)]
    assert delays[:4] == [10, 20, 40, 80]
    assert delays[4:] == [100, 100, 100]
    assert delays == sorted(delays)
    assert backoff(state, MAX_ATTEMPTS * 10) == 100  # no overflow for large attempts


def test_retry_after_from_the_network_is_honoured_even_beyond_the_cap() -> None:
    state = State(try_interval=10, max_backoff=100)
    assert backoff(state, 1, retry_after=45) == 45  # longer than our own delay wins
    assert backoff(state, 3, retry_after=5) == 40  # shorter: ours stands
    assert backoff(state, 9, retry_after=600) == 600  # the network's word beats our cap
