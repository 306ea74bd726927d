"""Reads of the housing stock: what a user may see, with the figures the list pages show.

Every read starts from the model's `restrict(user)` (an organisation sees only its own stock);
the figures are counted for one page of rows, never over the whole stock.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import Length

from .models import Department, Dwelling, DwellingType, Entrance, HousingOrganisation

CHEAP_RENT = 3500  # kr a month: the agreement's rent target for the figures on the pages


def organisations(user: Any) -> QuerySet[HousingOrganisation]:
    return (
        HousingOrganisation.objects.restrict(user)
        .order_by("name")
        .annotate(department_count=Count("departments", distinct=True))
    )


def readable_organisation_ids(user: Any, organisations: Iterable[HousingOrganisation]) -> set[int]:
    """Which of these organisations' pages the user may open (an organisation's staff: only
    their own), so that a page listing organisations links only to those."""
    ids = [o.pk for o in organisations]
    return set(
        HousingOrganisation.objects.restrict(user).filter(pk__in=ids).values_list("pk", flat=True)
    )


def organisation_departments(org: HousingOrganisation) -> QuerySet[Department]:
    return org.departments.annotate(
        dwelling_count=Count("entrances__dwellings"),
        entrance_count=Count("entrances", distinct=True),
    ).order_by(Length("number"), "number")


def _dwelling_figures(rows: list[Any], group: str, **figures: Any) -> dict[int, dict[str, Any]]:
    """The page's rows' dwelling figures in one query: the dwellings grouped by ``group`` (the
    path from a dwelling to the row), ``n`` counted and ``figures`` aggregated per row."""
    return {
        row[group]: row
        for row in Dwelling.objects.filter(**{f"{group}__in": [r.pk for r in rows]})
        .values(group)
        .annotate(n=Count("id"), **figures)
        .order_by()
    }


def with_dwelling_counts(organisations: Iterable[HousingOrganisation]) -> None:
    """Set `dwelling_count` on each organisation of a page (one query)."""
    _set_dwelling_counts(organisations, "entrance__department__organisation")


def _set_dwelling_counts(rows: Iterable[Any], group: str) -> None:
    page = list(rows)
    figures = _dwelling_figures(page, group)
    for row in page:
        row.dwelling_count = figures.get(row.pk, {}).get("n", 0)


def departments(user: Any) -> QuerySet[Department]:
    return (
        Department.objects.restrict(user)
        .select_related("organisation")
        .order_by("organisation__name", Length("number"), "number")
    )


def with_dwelling_figures(departments: Iterable[Department]) -> None:
    """Set `dwelling_count` and `min_rent` on each department of a page (one query)."""
    page = list(departments)
    figures = _dwelling_figures(page, "entrance__department", min_rent=Min("rent"))
    for dept in page:
        row = figures.get(dept.pk, {})
        dept.dwelling_count = row.get("n", 0)  # type: ignore[attr-defined]
        dept.min_rent = row.get("min_rent")  # type: ignore[attr-defined]


def department_entrances(dept: Department) -> QuerySet[Entrance]:
    return dept.entrances.annotate(
        dwelling_count=Count("dwellings"),
        cheap_count=Count("dwellings", filter=Q(dwellings__rent__lt=CHEAP_RENT)),
    ).order_by("street")


def department_stats(dept: Department) -> dict[str, int]:
    return Dwelling.objects.filter(entrance__department=dept).aggregate(
        n=Count("id"),
        cheap=Count("id", filter=Q(rent__lt=CHEAP_RENT)),
        family=Count("id", filter=Q(dwelling_type=DwellingType.FAMILY)),
    )


def entrances(user: Any) -> QuerySet[Entrance]:
    return (
        Entrance.objects.restrict(user)
        .select_related("department", "department__organisation")
        .order_by("street", "pk")
    )


def with_entrance_counts(entrances: Iterable[Entrance]) -> None:
    """Set `dwelling_count` on each entrance of a page (one query)."""
    _set_dwelling_counts(entrances, "entrance")


def dwellings(user: Any) -> QuerySet[Dwelling]:
    return (
        Dwelling.objects.restrict(user)
        .select_related("entrance", "entrance__department", "entrance__department__organisation")
        # Stairwell by stairwell, then floor and door: served by the unique index on
        # (entrance, floor, door), so a page of the national stock needs no sort of all rows.
        .order_by("entrance_id", "floor", "door")
    )
