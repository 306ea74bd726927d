"""The Kaplan–Meier estimator with Greenwood's variance and log-log confidence bands.

Each tenancy is observed from move-in for a duration (whole days) that ends either in an
event (the home was lost) or in censoring (still living there on the day of the figures, or
ended in a way that is not a loss: see `events.is_loss`). At each distinct event time t_i with
n_i tenancies at risk (duration ≥ t_i) and d_i events:

    S(t) = Π_{t_i ≤ t} (1 − d_i / n_i)
    Var[S(t)] = S(t)² Σ_{t_i ≤ t} d_i / (n_i (n_i − d_i))            (Greenwood)

Tenancies censored at t_i are counted as at risk at t_i (events before censoring at ties).
The confidence band is the log-log ("exponential Greenwood") band, which stays inside [0, 1]:

    v(t) = Σ d_i / (n_i (n_i − d_i)) / (log S(t))²
    lower = S(t) ^ exp(+z √v),  upper = S(t) ^ exp(−z √v)

with z the standard normal quantile of the level (1.96 for 95 %). Before the first event
S = 1 and the band is [1, 1]; once S = 0 the band is [0, 0] (and stays so). Beyond the longest
observation, when that one is censored, the estimate is undefined (None): nobody is followed
that long.

References: Kaplan & Meier (1958); Greenwood (1926); Kalbfleisch & Prentice (1980), The
Statistical Analysis of Failure Time Data, for the log-log band. The tests reproduce the worked
example of Freireich et al.'s 6-MP remission data (Kleinbaum & Klein, Survival Analysis,
3rd ed., ch. 2).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import NormalDist

#: Horizons of the retention figures in months, and the days they are measured in.
RETENTION_MONTHS = (3, 6, 12, 24)
DAYS_PER_MONTH = 365.25 / 12


def horizon_days(months: int) -> int:
    """3 → 91, 6 → 183, 12 → 365, 24 → 730 days."""
    return round(months * DAYS_PER_MONTH)


@dataclass(frozen=True)
class Observation:
    duration: int  # days from move-in to the event or censoring
    event: bool  # True: the home was lost at `duration`; False: censored

    def __post_init__(self) -> None:
        if self.duration < 0:
            raise ValueError("a duration cannot be negative")


@dataclass(frozen=True)
class Step:
    time: int
    at_risk: int
    events: int
    censored: int
    survival: float
    greenwood: float  # Σ d/(n(n−d)) up to and including this time (inf once S = 0)


@dataclass(frozen=True)
class Estimate:
    survival: float
    lower: float
    upper: float
    std_error: float
    at_risk: int  # tenancies still followed at the time (duration ≥ t)
    events: int  # events up to and including the time


@dataclass(frozen=True)
class Curve:
    steps: tuple[Step, ...]
    n: int
    longest: int | None  # the longest duration observed (None when empty)
    durations: tuple[int, ...]
    z: float

    def at(self, t: int) -> Estimate | None:
        """S(t) with its band; None when no tenancy is followed as long as t (once every
        tenancy has had its event, S stays 0 beyond the last one)."""
        if self.longest is None:
            return None
        if t > self.longest and not (self.steps and self.steps[-1].survival == 0.0):
            return None
        survival, green, events = 1.0, 0.0, 0
        for step in self.steps:
            if step.time > t:
                break
            survival, green = step.survival, step.greenwood
            events += step.events
        at_risk = sum(1 for d in self.durations if d >= t)
        lower, upper = log_log_band(survival, green, self.z)
        std_error = survival * math.sqrt(green) if math.isfinite(green) else 0.0
        return Estimate(survival, lower, upper, std_error, at_risk, events)


def log_log_band(survival: float, greenwood: float, z: float) -> tuple[float, float]:
    if survival >= 1.0 or greenwood == 0.0:
        return survival, survival
    if survival <= 0.0 or not math.isfinite(greenwood):
        return 0.0, 0.0
    log_s = math.log(survival)
    spread = z * math.sqrt(greenwood / (log_s * log_s))
    return survival ** math.exp(spread), survival ** math.exp(-spread)


def z_for(level: float) -> float:
    if not 0 < level < 1:
        raise ValueError("the confidence level must be between 0 and 1")
    return NormalDist().inv_cdf(0.5 + level / 2)


def kaplan_meier(observations: Iterable[Observation], level: float = 0.95) -> Curve:
    obs = list(observations)
    events = Counter(o.duration for o in obs if o.event)
    censored = Counter(o.duration for o in obs if not o.event)
    durations = tuple(sorted(o.duration for o in obs))
    steps: list[Step] = []
    survival, green = 1.0, 0.0
    at_risk = len(obs)
    for time in sorted(set(events) | set(censored)):
        d, c = events[time], censored[time]
        if d:
            survival *= 1 - d / at_risk
            green = math.inf if d == at_risk else green + d / (at_risk * (at_risk - d))
        steps.append(Step(time, at_risk, d, c, survival, green))
        at_risk -= d + c
    return Curve(
        steps=tuple(steps),
        n=len(obs),
        longest=durations[-1] if durations else None,
        durations=durations,
        z=z_for(level),
    )
