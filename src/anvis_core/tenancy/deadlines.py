"""Follow-up deadlines for early warnings, in Danish working days.

An early warning opens a task for the municipality: contact the tenant within a number of
working days of the day the event was reported (not the event's own date: a demand reported a
week late still gives the caseworker the full time). Weekends, public holidays and the extra
closing days of `anvis_core.calendar` do not count. The defaults can be overridden per kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from anvis_core.calendar import add_working_days, working_days_between

from .events import RISK_KINDS, EventKind

DEFAULT_WORKING_DAYS: dict[EventKind, int] = {
    EventKind.ARREARS: 5,
    EventKind.DEMAND: 2,
    EventKind.CANCELLATION: 2,
    EventKind.EVICTION: 1,
}


def working_days_for(kind: EventKind, overrides: Mapping[str, int] | None = None) -> int | None:
    """The follow-up time for an event kind (None: the kind opens no task)."""
    if kind not in RISK_KINDS:
        return None
    days = dict(overrides or {}).get(kind.value, DEFAULT_WORKING_DAYS[kind])
    if days < 0:
        raise ValueError(f"negative follow-up time for {kind.value}")
    return days


def follow_up_deadline(
    kind: EventKind, reported_on: dt.date, overrides: Mapping[str, int] | None = None
) -> dt.date | None:
    """The last day to contact the tenant after an early warning reported on `reported_on`."""
    days = working_days_for(kind, overrides)
    if days is None:
        return None
    return add_working_days(reported_on, days)


def working_days_overdue(deadline: dt.date, today: dt.date) -> int:
    """Working days past the deadline (0 when not yet passed)."""
    return max(0, working_days_between(deadline, today))
