"""Filter backend that hands the user to the project's filtersets (`anvis.stock.filters` take
`user=` to scope their choices), and the vacancy list's filterset."""

from __future__ import annotations

import inspect
from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend

from anvis.core.forms import NumberFilter
from anvis.vacancies.models import OPEN_STATUSES, Vacancy, VacancyStatus


class UserFilterBackend(DjangoFilterBackend):
    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class and "user" in inspect.signature(filterset_class.__init__).parameters:
            kwargs["user"] = request.user
        return kwargs


class VacancyFilter(django_filters.FilterSet):
    """The vacancy list's filters (status as on the page: a status or `open`)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", _("Open")), *VacancyStatus.choices],
        method="filter_status",
    )
    dwelling = NumberFilter(label=_("Dwelling id"), field_name="dwelling_id")
    reported_from = django_filters.DateFilter(
        label=_("Reported from"), field_name="report_date", lookup_expr="gte"
    )
    reported_to = django_filters.DateFilter(
        label=_("Reported until"), field_name="report_date", lookup_expr="lte"
    )

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def filter_status(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if value == "open":
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)
