"""Filtersets for the stock lists; the API uses the same ones."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import AnyBooleanFilter, CharFilter, NumberFilter
from anvis.common.widgets import FastSelect

from .models import Department, Dwelling, DwellingType, Entrance, HousingOrganisation


class OrganisationFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Search"), method="search")

    class Meta:
        model = HousingOrganisation
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(name__icontains=value) | Q(cvr__startswith=value))


class DepartmentFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Search"), method="search")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Housing organisation"),
        queryset=HousingOrganisation.objects.none(),
        widget=FastSelect,
    )
    district = CharFilter(label=_("District"), lookup_expr="iexact")

    class Meta:
        model = Department
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = HousingOrganisation.objects.restrict(user)

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(name__icontains=value) | Q(number__iexact=value))


class EntranceFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Address"), field_name="street", lookup_expr="icontains")
    department_number = CharFilter(
        label=_("Department number"), field_name="department__number", lookup_expr="iexact"
    )
    department = NumberFilter(
        label=_("Department id"), field_name="department_id", widget=forms.HiddenInput
    )

    class Meta:
        model = Entrance
        fields: list[str] = []


class DwellingFilter(django_filters.FilterSet):
    organisation = django_filters.ModelChoiceFilter(
        label=_("Housing organisation"),
        field_name="entrance__department__organisation",
        queryset=HousingOrganisation.objects.none(),
        widget=FastSelect,
    )
    department_number = CharFilter(
        label=_("Department number"),
        field_name="entrance__department__number",
        lookup_expr="iexact",
    )
    # The department's id, for links and the API; the page's form asks for the number.
    department = NumberFilter(
        label=_("Department id"), field_name="entrance__department_id", widget=forms.HiddenInput
    )
    dwelling_type = django_filters.ChoiceFilter(label=_("Type"), choices=DwellingType.choices)
    rooms = NumberFilter(label=_("Rooms"))
    max_rent = NumberFilter(label=_("Max rent (kr)"), field_name="rent", lookup_expr="lte")
    step_free = AnyBooleanFilter(label=_("Step-free"))
    wheelchair = AnyBooleanFilter(label=_("Wheelchair-accessible"))

    class Meta:
        model = Dwelling
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = HousingOrganisation.objects.restrict(user)
