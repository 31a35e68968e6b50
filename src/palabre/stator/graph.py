"""State graphs, checked when the class is defined.

A graph is a class whose attributes are :class:`State` objects. Every state that is not
final must have a ``handle_<state>`` class method; every transition must lead to a state
of the same graph. A handler receives the row and a context and returns the next state
(a :class:`State` or its name), or ``None`` to be tried again after ``try_interval``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar


class State:
    def __init__(
        self,
        *,
        try_interval: float = 60,
        max_backoff: float = 3600,
        side_effects: bool = False,
        final: bool = False,
    ) -> None:
        self.name = ""
        self.try_interval = try_interval
        self.max_backoff = max_backoff
        # A state whose handler talks to the outside world: its result is committed row
        # by row, and a row claimed again after a crash knows an attempt was started.
        self.side_effects = side_effects
        self.final = final
        self.targets: set[str] = set()
        self.handler: Callable[..., Any] | None = None

    def transitions_to(self, *states: State) -> None:
        for state in states:
            self.targets.add(id_name(state))

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<State {self.name}>"

    def __str__(self) -> str:
        return self.name


def id_name(state: State) -> str:
    # Names are assigned by __set_name__ only once the class body ends, so transitions
    # declared inside the body are resolved lazily by object identity.
    return f"@{id(state)}"


class StateGraph:
    states: ClassVar[dict[str, State]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        states = {k: v for k, v in vars(cls).items() if isinstance(v, State)}
        by_id = {id_name(s): s for s in states.values()}
        for name, state in states.items():
            resolved = set()
            for target in state.targets:
                if target in by_id:
                    resolved.add(by_id[target].name)
                elif target in states:
                    resolved.add(target)
                else:
                    raise TypeError(f"{cls.__name__}.{name} transitions to a foreign state")
            state.targets = resolved
            if state.final:  # no handler; transitions out are made by hand (a retry)
                continue
            handler = getattr(cls, f"handle_{name}", None)
            if handler is None:
                raise TypeError(f"{cls.__name__}.{name} has no handle_{name} and is not final")
            state.handler = handler
        cls.states = states

    @classmethod
    def active_names(cls) -> list[str]:
        return [n for n, s in cls.states.items() if not s.final]

    @classmethod
    def get(cls, name: str) -> State:
        try:
            return cls.states[name]
        except KeyError:
            raise KeyError(f"{cls.__name__} has no state {name!r}") from None

    @classmethod
    def check_transition(cls, old: str, new: str) -> None:
        if new != old and new not in cls.get(old).targets:
            raise ValueError(f"{cls.__name__}: {old} cannot go to {new}")
