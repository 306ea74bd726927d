"""Agreement periods: an organisation is party to one agreement at a time.

A period runs from its first day to its last day, both included; a period without an end runs
until the agreement is terminated. The turn engine, batch matching, the ledger and the report
each look up *the* agreement an organisation is party to on a day, so two agreements of one
party must never be in force on the same day.
"""

from __future__ import annotations

import datetime as dt


def periods_overlap(
    start: dt.date, end: dt.date | None, other_start: dt.date, other_end: dt.date | None
) -> bool:
    """Do the two periods share a day? Ends are inclusive; `None` is no end."""
    return (end is None or other_start <= end) and (other_end is None or start <= other_end)
