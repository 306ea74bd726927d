"""Addresses of the vacancies app's pages that other parts of the system link to (hand-off
notifications, e-mails), built in one place with the pages' own query parameters."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import reverse


def statement_url(organisation_id: int, month: dt.date) -> str:
    """One organisation's monthly statement page for the month of `month`."""
    query = urlencode({"organisation": organisation_id, "month": f"{month:%Y-%m}"})
    return f"{reverse('vacancies:statement')}?{query}"
