"""Filterset for the monitoring department list."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import CharFilter
from anvis.common.widgets import FastSelect
from anvis.stock.models import Department, HousingOrganisation

from .compute import designations_on
from .models import DesignationKind, Status


class MonitoringDepartmentFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Search"), method="search")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Status.choices, field_name="monitoring_status__status"
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Housing organisation"),
        queryset=HousingOrganisation.objects.none(),
        widget=FastSelect,
    )
    designation = django_filters.ChoiceFilter(
        label=_("On the latest list as"), choices=DesignationKind.choices, method="designated"
    )

    class Meta:
        model = Department
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = HousingOrganisation.objects.restrict(user)

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(name__icontains=value) | Q(number__iexact=value))

    def designated(self, queryset, name, value):  # type: ignore[no-untyped-def]
        list_year = designations_on(timezone.localdate())[0]
        if list_year is None:
            return queryset.none()
        return queryset.filter(
            area_designations__kind=value, area_designations__list_year=list_year
        ).distinct()
