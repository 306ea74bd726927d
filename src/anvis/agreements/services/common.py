"""What the agreement services share: field lists, percentages and the last judged day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection
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


def hold_terms(agreement: AllocationAgreement) -> None:
    """Hold the agreement's terms for the rest of the transaction: a share lock on its row.
    Vacancies judged at the same time do not wait for each other, but a change of terms (a new
    or corrected version, a department step, the agreement's period or parties), which locks the
    row for update, waits until the judgement has committed, and then sees its record among the
    days already judged (`first_change_day`). SQLite has no row locks; it lets one transaction
    write at a time."""
    if connection.vendor != "postgresql":
        return
    assert AllocationAgreement._meta.db_table == "agreements_allocationagreement"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM agreements_allocationagreement WHERE id = %s FOR SHARE", [agreement.pk]
        )


# --- agreements ---------------------------------------------------------------------------------


_user = acting_user
