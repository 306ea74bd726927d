"""The Kaplan–Meier estimator against a published worked example and a hand calculation.

The table is Freireich et al.'s (1963) 6-MP group of remission times in weeks (21 patients,
12 censored), the standard worked example of Kleinbaum & Klein, *Survival Analysis: A
Self-Learning Text* (3rd ed., ch. 2, the "KM table for group 1"). The survival and Greenwood
standard errors below are the published figures (3 decimals); the log-log 95 % band is the one
R's `survfit(..., conf.type = "log-log")` prints for these data. The second test recomputes
every step by hand from the definitions, independently of the estimator's loop.
"""

from __future__ import annotations

import math

import pytest

from anvis_core.tenancy.survival import (
    Observation,
    horizon_days,
    kaplan_meier,
    log_log_band,
    z_for,
)

# (weeks, relapsed) — "+" in the book marks the censored ones.
SIX_MP = [
    (6, True), (6, True), (6, True), (6, False), (7, True), (9, False), (10, True),
    (10, False), (11, False), (13, True), (16, True), (17, False), (19, False), (20, False),
    (22, True), (23, True), (25, False), (32, False), (32, False), (34, False), (35, False),
]  # fmt: skip

# time: (at risk, events, S(t), Greenwood standard error, lower 95 %, upper 95 %)
PUBLISHED = {
    6: (21, 3, 0.857, 0.0764, 0.620, 0.952),
    7: (17, 1, 0.807, 0.0869, 0.563, 0.923),
    10: (15, 1, 0.753, 0.0963, 0.503, 0.889),
    13: (12, 1, 0.690, 0.1068, 0.432, 0.849),
    16: (11, 1, 0.627, 0.1141, 0.368, 0.805),
    22: (7, 1, 0.538, 0.1282, 0.268, 0.747),
    23: (6, 1, 0.448, 0.1346, 0.188, 0.680),
}


def test_six_mp_matches_the_published_table() -> None:
    curve = kaplan_meier(Observation(t, e) for t, e in SIX_MP)
    event_steps = {s.time: s for s in curve.steps if s.events}
    assert sorted(event_steps) == sorted(PUBLISHED)
    for time, (n, d, s, se, lower, upper) in PUBLISHED.items():
        step = event_steps[time]
        assert (step.at_risk, step.events) == (n, d)
        estimate = curve.at(time)
        assert estimate is not None
        assert estimate.survival == pytest.approx(s, abs=5e-4)
        assert estimate.std_error == pytest.approx(se, abs=5e-5)
        assert estimate.lower == pytest.approx(lower, abs=5e-4)
        assert estimate.upper == pytest.approx(upper, abs=5e-4)


def test_step_function_between_and_beyond_events() -> None:
    curve = kaplan_meier(Observation(t, e) for t, e in SIX_MP)
    before = curve.at(5)
    assert before is not None and before.survival == 1.0 and (before.lower, before.upper) == (1, 1)
    # Constant between event times, the value of the last event at or before t.
    at_20 = curve.at(20)
    assert at_20 is not None and at_20.survival == pytest.approx(0.627, abs=5e-4)
    assert at_20.at_risk == 8  # 20, 22, 23, 25, 32, 32, 34, 35
    # Censored at 35 weeks: the last value holds until then, and nobody is followed longer.
    end = curve.at(35)
    assert end is not None and end.survival == pytest.approx(0.448, abs=5e-4)
    assert curve.at(36) is None


def test_hand_calculation_of_every_step() -> None:
    """Recompute S, Greenwood and the band from the definitions with plain arithmetic."""
    durations = [t for t, _e in SIX_MP]
    s, green = 1.0, 0.0
    z = 1.959963984540054
    curve = kaplan_meier(Observation(t, e) for t, e in SIX_MP)
    for time in sorted({t for t, e in SIX_MP if e}):
        n = sum(1 for t in durations if t >= time)
        d = sum(1 for t, e in SIX_MP if t == time and e)
        s = s * (n - d) / n
        green += d / (n * (n - d))
        theta = z * math.sqrt(green) / abs(math.log(s))
        lower, upper = s ** math.exp(theta), s ** math.exp(-theta)
        estimate = curve.at(time)
        assert estimate is not None
        assert estimate.survival == pytest.approx(s, rel=1e-12)
        assert estimate.std_error == pytest.approx(s * math.sqrt(green), rel=1e-12)
        assert (estimate.lower, estimate.upper) == pytest.approx((lower, upper), rel=1e-12)


def test_all_events_gives_zero_and_no_censoring_is_the_plain_share() -> None:
    curve = kaplan_meier([Observation(10, True), Observation(20, True)])
    last = curve.at(20)
    assert last is not None and last.survival == 0.0 and (last.lower, last.upper) == (0, 0)
    beyond = curve.at(100)  # everyone has had the event: 0 from then on
    assert beyond is not None and beyond.survival == 0.0 and beyond.at_risk == 0
    # Without censoring the estimate is the share still housed.
    obs = [Observation(400, False)] * 8 + [Observation(100, True), Observation(200, True)]
    at_year = kaplan_meier(obs).at(365)
    assert at_year is not None and at_year.survival == pytest.approx(0.8)


def test_empty_and_bad_input() -> None:
    assert kaplan_meier([]).at(0) is None
    with pytest.raises(ValueError):
        Observation(-1, True)
    with pytest.raises(ValueError):
        z_for(1.5)
    assert log_log_band(1.0, 0.0, 1.96) == (1.0, 1.0)


def test_horizons_in_days() -> None:
    assert [horizon_days(m) for m in (3, 6, 12, 24)] == [91, 183, 365, 730]
