"""Memory management for the batch commands that build many objects at once."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector switched off for a batch of work, and restored after.

    Reading a problem file or loading the demo builds hundreds of thousands of objects and
    hardly any reference cycles, so the collector would only walk them again and again: a fifth
    of `anvis match`'s reading, and about 2 s of the national demo load (11 full collections
    over a growing heap). Memory is still freed by reference counting, and the few cycles made
    meanwhile are left to the collector's next run after the batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
