"""What the agreement services share: field lists, percentages and the last judged day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Max

from anvis.audit.services import acting_user

from ..models import (
    AgreementVersion,
    AllocationAgreement,
    TurnRecord,
)

CENT = Decimal("0.01")

AGREEMENT_FIELDS = (
    "municipality",
    "title",
    "signed_on",
    "period_start",
    "period_end",
    "renegotiation_date",
    "notes",
)
VERSION_TERMS = tuple(f for f in AgreementVersion.TERM_FIELDS if f != "valid_from")
FORUM_FIELDS = ("kind", "name", "members", "meeting_frequency")
HANDHELD_FIELDS = (
    "organisation",
    "case_reference",
    "rooms",
    "max_rent",
    "need",
    "district_wishes",
    "requested_on",
)


def _pct(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT)


def _last_judged(agreement: AllocationAgreement, **filters: Any) -> dt.date | None:
    value: dt.date | None = TurnRecord.objects.filter(agreement=agreement, **filters).aggregate(
        last=Max("report_date")
    )["last"]
    return value


def first_change_day(agreement: AllocationAgreement, **filters: Any) -> dt.date | None:
    """The first day a change of terms may be valid from: the day after the last report date
    the agreement has judged (None: nothing judged yet). The services refuse an earlier date and
    the new-version form is filled in with it."""
    last = _last_judged(agreement, **filters)
    return last + dt.timedelta(days=1) if last is not None else None


# --- agreements ---------------------------------------------------------------------------------


_user = acting_user
