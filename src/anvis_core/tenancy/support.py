"""Support tied to the tenancy: is there support, how long after move-in did it start, and did
a CTI course miss a phase end?

* **Without support**: no support plan (or only cancelled ones) and no support started.
* **Gap**: days from move-in to the start of support (negative when it started before the
  move-in, which is what Housing First aims for). A start more than `LATE_AFTER_DAYS` days
  after the move-in, or no start yet when that many days have passed, is flagged as late.
* **Missed CTI phase end**: CTI runs nine months in three phases (`anvis_core.cases.support`).
  A phase end is missed when the support was paused on that day (the phase could not be
  completed with the tenant), and the last phase end is missed when the course is still
  running after it (the hand-over to ordinary support did not happen).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from anvis_core.cases.support import SupportMethod, cti_phases

#: Support that starts more than this many days after the move-in is flagged as late.
LATE_AFTER_DAYS = 14


@dataclass(frozen=True)
class SupportFlags:
    without_support: bool
    gap_days: int | None  # support start − move-in; None when support has not started
    late: bool
    missed_cti_phase_ends: tuple[int, ...]

    @property
    def flagged(self) -> bool:
        return self.without_support or self.late or bool(self.missed_cti_phase_ends)


def missed_cti_phase_ends(
    start: dt.date,
    pauses: Iterable[tuple[dt.date, dt.date | None]],
    ended_on: dt.date | None,
    today: dt.date,
) -> tuple[int, ...]:
    """The CTI phases (1–3) whose end has passed and was missed (see the module text)."""
    periods = list(pauses)
    missed = []
    for phase in cti_phases(start):
        if phase.end >= today:
            break
        paused = any(p <= phase.end and (r is None or phase.end < r) for p, r in periods)
        overrun = phase.number == 3 and (ended_on is None or ended_on > phase.end)
        if paused or overrun:
            missed.append(phase.number)
    return tuple(missed)


def support_flags(
    *,
    move_in: dt.date,
    method: SupportMethod | None,
    support_start: dt.date | None,
    ended_on: dt.date | None = None,
    pauses: Iterable[tuple[dt.date, dt.date | None]] = (),
    today: dt.date,
) -> SupportFlags:
    if method is None and support_start is None:
        return SupportFlags(True, None, False, ())
    gap = (support_start - move_in).days if support_start is not None else None
    late = (today - move_in).days > LATE_AFTER_DAYS if gap is None else gap > LATE_AFTER_DAYS
    missed: tuple[int, ...] = ()
    if method is SupportMethod.CTI and support_start is not None:
        missed = missed_cti_phase_ends(support_start, pauses, ended_on, today)
    return SupportFlags(False, gap, late, missed)
