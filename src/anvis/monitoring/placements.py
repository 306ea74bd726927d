"""The municipal placements the stairwell and department caps count: those that moved in within
a rolling window (`anvis_core.composition.window_start`). The placement gate, the quarterly
report, the simulator's start from the database and the demo read them here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, QuerySet

from anvis.common.clock import local_today
from anvis_core.composition import window_start

from .models import MunicipalPlacement


def placements_in_window(
    on_date: dt.date | None = None,
    window_months: int = 12,
    department_ids: list[int] | None = None,
) -> QuerySet[MunicipalPlacement]:
    """The placements that moved in within the rolling window ending on `on_date` (of every
    department or of the given ones): what the caps count (:func:`placement_counts`, the
    placement gate; the simulator's start from the database)."""
    on_date = local_today(on_date)
    placements = MunicipalPlacement.objects.filter(
        placed_on__gte=window_start(on_date, window_months), placed_on__lte=on_date
    )
    if department_ids is not None:
        placements = placements.filter(department_id__in=department_ids)
    return placements


def placement_counts(
    on_date: dt.date | None = None,
    window_months: int = 12,
    department_ids: list[int] | None = None,
) -> tuple[dict[int, int], dict[int, int]]:
    """Placements that moved in within the rolling window ending on `on_date`: counted per
    department and per entrance (stairwell), of every department or of the given ones. One
    query."""
    placements = placements_in_window(on_date, window_months, department_ids)
    rows = placements.values_list("department_id", "entrance_id").annotate(n=Count("id")).order_by()
    by_department: dict[int, int] = defaultdict(int)
    by_entrance: dict[int, int] = defaultdict(int)
    for dept, entrance, n in rows:  # a stairwell may come in rows of more than one department
        by_department[dept] += n
        by_entrance[entrance] += n
    return dict(by_department), dict(by_entrance)
