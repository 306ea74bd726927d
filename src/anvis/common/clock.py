"""Which day it is: the one home of a service's optional ``today`` (a test, a batch job or a
simulation passes the day it means; otherwise it is today in the installation's time zone)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_today(today: dt.date | None = None) -> dt.date:
    """`today` when given, otherwise today's date in the installation's time zone."""
    return today or timezone.localdate()


def local_day(moment: dt.datetime) -> dt.date:
    """The day a moment falls on in the installation's time zone (a naive moment: its own
    date): what a page shows for it (`anvis.common.formats.date`) and what a file writes."""
    return timezone.localdate(moment) if timezone.is_aware(moment) else moment.date()
