"""The one exception the simulator raises for bad scenario input."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario parameter is missing, unknown or out of range.

    `parameter` is the dotted path of the offending parameter (``groups[2].arrivals_per_year``)
    so that a form or the command line can point at it.
    """

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        self.message = message
        super().__init__(f"{parameter}: {message}" if parameter else message)
