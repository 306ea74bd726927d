"""The error both state machines raise for a transition they do not allow."""

from __future__ import annotations


class TransitionNotAllowed(ValueError):
    def __init__(self, machine: str, current: str, target: str) -> None:
        super().__init__(f"{machine}: {current} → {target} is not allowed")
        self.machine = machine
        self.current = current
        self.target = target
