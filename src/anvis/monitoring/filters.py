"""Filterset for the monitoring department list."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import CharFilter
from anvis.stock.filters import OrganisationChoiceFilter, UserFilterSet
from anvis.stock.models import Department

from .compute import designations_on
from .models import DesignationKind, Status
from .selectors import with_status


class MonitoringDepartmentFilter(UserFilterSet):
    q = CharFilter(label=_("Search"), method="search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, method="with_status"
    )
    organisation = OrganisationChoiceFilter()
    designation = django_filters.ChoiceFilter(
        label=_("On the latest list as"), choices=DesignationKind.choices, method="designated"
    )

    class Meta:
        model = Department
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(name__icontains=value) | Q(number__iexact=value))

    def with_status(self, queryset, name, value):  # type: ignore[no-untyped-def]
        if not value:
            return queryset
        return queryset.filter(with_status(timezone.localdate(), list(value)))

    def designated(self, queryset, name, value):  # type: ignore[no-untyped-def]
        list_year = designations_on(timezone.localdate())[0]
        if list_year is None:
            return queryset.none()
        return queryset.filter(
            area_designations__kind=value, area_designations__list_year=list_year
        ).distinct()
