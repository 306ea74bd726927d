"""The simulated citizens of one replication: the initial list and every newcomer over the
horizon, drawn up front from the citizens' stream (see :mod:`.replication`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from .engine import CompiledModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass
class Citizens:
    group: IntArray
    arrival: FloatArray
    max_rent: FloatArray
    rooms: IntArray
    accessible: NDArray[np.bool_]
    exit_time: FloatArray
    n_initial: int


def _initial_draws(
    model: CompiledModel, rng: np.random.Generator
) -> tuple[list[Any], list[Any], list[Any], list[Any], list[Any]]:
    s = model.scenario
    groups: list[Any] = []
    arrival: list[Any] = []
    max_rent: list[Any] = []
    rooms: list[Any] = []
    acc: list[Any] = []
    gindex = {g.name: i for i, g in enumerate(s.groups)}
    if s.initial_citizens is not None:
        for c in s.initial_citizens:
            groups.append(np.array([gindex[c.group]]))
            arrival.append(np.array([-c.waiting_days]))
            max_rent.append(np.array([c.max_rent]))
            rooms.append(np.array([c.rooms_needed]))
            acc.append(np.array([c.needs_accessible]))
    else:
        for gi, g in enumerate(s.groups):
            if g.initial == 0:
                continue
            groups.append(np.full(g.initial, gi))
            arrival.append(-g.initial_waiting_days.sample(rng, g.initial))
            max_rent.append(g.max_rent.sample(rng, g.initial))
            rooms.append(g.rooms_needed.sample(rng, g.initial))
            acc.append(rng.random(g.initial) < g.accessible_probability)
    return groups, arrival, max_rent, rooms, acc


def draw_citizens(model: CompiledModel, rng: np.random.Generator) -> Citizens:
    """The initial list and every newcomer over the horizon, with their exit times."""
    s = model.scenario
    horizon = s.horizon_days
    groups, arrival, max_rent, rooms, acc = _initial_draws(model, rng)
    n_initial = int(sum(len(a) for a in arrival))
    for gi, g in enumerate(s.groups):
        count = int(rng.poisson(model.group_rate_per_day[gi] * horizon))
        groups.append(np.full(count, gi))
        arrival.append(np.sort(rng.uniform(0.0, horizon, count)))
        max_rent.append(g.max_rent.sample(rng, count))
        rooms.append(g.rooms_needed.sample(rng, count))
        acc.append(rng.random(count) < g.accessible_probability)
    group = np.concatenate(groups).astype(np.int64) if groups else np.zeros(0, np.int64)
    arr = np.concatenate(arrival).astype(np.float64)
    exit_rate = model.group_exit_per_day[group]
    delay = np.full(len(group), np.inf)
    positive = exit_rate > 0
    delay[positive] = rng.exponential(1.0 / exit_rate[positive])
    return Citizens(
        group=group,
        arrival=arr,
        max_rent=np.concatenate(max_rent).astype(np.float64),
        rooms=np.maximum(0, np.rint(np.concatenate(rooms))).astype(np.int64),
        accessible=np.concatenate(acc).astype(np.bool_),
        exit_time=np.maximum(arr, 0.0) + delay,
        n_initial=n_initial,
    )


def padded(cit: Citizens, extra: int) -> Citizens:
    """Room for `extra` more spells (returns to the list) after the drawn citizens."""

    def pad(a: NDArray[Any], fill: Any) -> NDArray[Any]:
        return np.concatenate([a, np.full(extra, fill, dtype=a.dtype)])

    return Citizens(
        pad(cit.group, 0),
        pad(cit.arrival, np.inf),
        pad(cit.max_rent, 0.0),
        pad(cit.rooms, 0),
        pad(cit.accessible, False),
        pad(cit.exit_time, np.inf),
        cit.n_initial,
    )
