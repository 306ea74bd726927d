"""The nightly refresh of the stored priorities."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from anvis.common.clock import local_today

from .. import adapters
from ..models import (
    Case,
)


def cases_recompute_priorities(*, today: dt.date | None = None, batch_size: int = 500) -> int:
    """Refresh the stored priority totals of all open cases (run nightly: waiting days grow)."""
    from django.db.models import Count

    day = local_today(today)
    changed: list[Case] = []
    qs = Case.objects.open().annotate(n_children=Count("children")).order_by("pk")
    for case in qs.iterator(chunk_size=batch_size):
        total = adapters.compute_priority(case, day, children=case.n_children).total  # type: ignore[attr-defined]
        if total != case.priority_total or case.priority_computed_on != day:
            case.priority_total, case.priority_computed_on = total, day
            changed.append(case)
    with transaction.atomic():
        Case.objects.bulk_update(
            changed, ["priority_total", "priority_computed_on"], batch_size=batch_size
        )
    return len(changed)
