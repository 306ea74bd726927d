"""Filtersets for the stock lists; the API uses the same ones."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.common.forms import AnyBooleanFilter, CharFilter, NumberFilter
from anvis.common.search import spellings
from anvis.common.widgets import FastSelect

from .models import Department, Dwelling, DwellingType, Entrance, HousingOrganisation
from .search import department_search_q


class OrganisationChoiceFilter(django_filters.ModelChoiceFilter):
    """The housing organisation, a choice among those the user may see (the filterset is a
    `UserFilterSet`, which fills the choices)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Housing organisation"))
        kwargs.setdefault("queryset", HousingOrganisation.objects.none())
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)


class UserFilterSet(django_filters.FilterSet):
    """A filterset for one user (`user=`): its organisation choices offer the housing
    organisations the user may see."""

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            if isinstance(filter_, OrganisationChoiceFilter):
                filter_.queryset = HousingOrganisation.objects.restrict(user)


class OrganisationFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Search"), method="search")

    class Meta:
        model = HousingOrganisation
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        # In any case, æ, ø and å too (`spellings`: SQLite's LIKE folds A-Z only).
        q = Q(cvr__startswith=value)
        for form in spellings(value):
            q |= Q(name__icontains=form)
        return queryset.filter(q)


class DepartmentFilter(UserFilterSet):
    q = CharFilter(label=_("Search"), method="search")
    organisation = OrganisationChoiceFilter()
    district = CharFilter(label=_("District"), lookup_expr="iexact")

    class Meta:
        model = Department
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        # The suggestions' rule (`department_search_q`): every word, in any case.
        return queryset.filter(department_search_q(value))


class EntranceFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Address"), method="search")
    department_number = CharFilter(
        label=_("Department number"), field_name="department__number", lookup_expr="iexact"
    )
    department = NumberFilter(
        label=_("Department id"), field_name="department_id", widget=forms.HiddenInput
    )

    class Meta:
        model = Entrance
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        # Part of the address, in any case, æ, ø and å too (`spellings`).
        q = Q()
        for form in spellings(value):
            q |= Q(street__icontains=form)
        return queryset.filter(q)


class DwellingFilter(UserFilterSet):
    organisation = OrganisationChoiceFilter(field_name="entrance__department__organisation")
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
