"""The mechanics both state machines share: whether a transition is allowed, and the error for
one that is not. Each machine (`offer`, `vacancy`) only declares its states and transitions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar


class TransitionNotAllowed(ValueError):
    def __init__(self, machine: str, current: str, target: str) -> None:
        super().__init__(f"{machine}: {current} → {target} is not allowed")
        self.machine = machine
        self.current = current
        self.target = target


S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True)
class StateMachine(Generic[S]):
    """A machine named ``name`` (in its error) with the targets allowed from each state."""

    name: str
    transitions: Mapping[S, frozenset[S]]

    def can(self, current: S, target: S) -> bool:
        return target in self.transitions[current]

    def check(self, current: S, target: S) -> None:
        """Raise :class:`TransitionNotAllowed` unless ``current`` may go to ``target``."""
        if not self.can(current, target):
            raise TransitionNotAllowed(self.name, current, target)
