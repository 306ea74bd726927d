from __future__ import annotations

import datetime as dt

from anvis_core.cases.situation import (
    RELEASE_WINDOW_DAYS,
    ReleaseProblem,
    Situation,
    release_problem,
)

ON = dt.date(2026, 3, 2)
RELEASE = Situation.RELEASE_NO_ADDRESS


def test_the_window_is_thirty_days_inclusive() -> None:
    last = ON + dt.timedelta(days=RELEASE_WINDOW_DAYS)
    assert release_problem(RELEASE, last, ON) is None
    assert release_problem(RELEASE, last + dt.timedelta(days=1), ON) is ReleaseProblem.TOO_FAR
    assert release_problem(RELEASE, ON, ON) is None
    assert release_problem(RELEASE, ON - dt.timedelta(days=3), ON) is None


def test_a_release_needs_its_date_and_other_situations_need_none() -> None:
    assert release_problem(RELEASE, None, ON) is ReleaseProblem.NO_DATE
    assert release_problem(Situation.ROUGH_SLEEPING, None, ON) is None
    assert release_problem("friends_family", ON + dt.timedelta(days=90), ON) is None
