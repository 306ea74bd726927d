"""Which day it is: the one home of a service's optional ``today`` (a test, a batch job or a
simulation passes the day it means; otherwise it is today in the installation's time zone)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_today(today: dt.date | None = None) -> dt.date:
    """`today` when given, otherwise today's date in the installation's time zone."""
    return today or timezone.localdate()
