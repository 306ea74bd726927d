"""The case list filters (situation, status, priority, age band, needs)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anvis.common.fields import lookup_hash
from anvis.common.forms import CharFilter, NumberFilter
from anvis_core.cases.dates import add_years
from anvis_core.cases.household import YOUNG_AGES
from anvis_core.cpr import CprError, parse_cpr

from .models import Case, CaseStatus, HouseholdChild, Situation
from .search import case_search_q

AGE_BANDS = [
    ("18-24", _("18–24 (young)"), *YOUNG_AGES),
    ("25-29", _("25–29"), 25, 29),
    ("30-39", _("30–39"), 30, 39),
    ("40-49", _("40–49"), 40, 49),
    ("50-59", _("50–59"), 50, 59),
    ("60+", _("60 and over"), 60, None),
]
NEEDS = [
    ("step_free", _("Step-free access")),
    ("elevator", _("Elevator")),
    ("wheelchair", _("Wheelchair-accessible")),
    ("ground_floor", _("Ground floor")),
    ("children", _("Children in the household")),
    ("deposit_loan", _("Deposit loan")),
    ("urgent", _("Urgent")),
]


def age_band_q(code: str, today: dt.date) -> Q:
    for value, _label, low, high in AGE_BANDS:
        if value == code:
            # age >= low  <=>  born on or before today - low years
            q = Q(citizen__birth_date__lte=add_years(today, -low))
            if high is not None:
                # age <= high  <=>  born after today - (high + 1) years
                q &= Q(citizen__birth_date__gt=add_years(today, -(high + 1)))
            return q
    return Q()


class CaseFilter(django_filters.FilterSet):
    q = CharFilter(label=_("Case number, name or CPR number"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CaseStatus.choices)
    situation = django_filters.ChoiceFilter(label=_("Situation"), choices=Situation.choices)
    min_priority = NumberFilter(
        label=_("Priority at least"), field_name="priority_total", lookup_expr="gte"
    )
    age_band = django_filters.ChoiceFilter(
        label=_("Age"),
        choices=[(c, label) for c, label, _lo, _hi in AGE_BANDS],
        method="filter_age",
    )
    needs = django_filters.MultipleChoiceFilter(
        label=_("Needs"), choices=NEEDS, method="filter_needs"
    )
    parked = django_filters.ChoiceFilter(
        label=_("Parked"),
        choices=[("yes", _("Parked")), ("no", _("Not parked"))],
        method="filter_parked",
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        value = value.strip()
        try:
            digits = parse_cpr(value).digits
        except CprError:
            pass
        else:  # a CPR number: found by its keyed hash, never by decrypting
            return queryset.filter(citizen__cpr_hash=lookup_hash(digits))
        # A name or case number by the suggestions' rule (`case_search_q`), or the reference.
        return queryset.filter(case_search_q(value) | Q(citizen__reference__iexact=value))

    def filter_age(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(age_band_q(value, timezone.localdate()))

    def filter_needs(self, queryset, name, values):  # type: ignore[no-untyped-def]
        fields = {
            "step_free": "needs_step_free",
            "elevator": "needs_elevator",
            "wheelchair": "needs_wheelchair",
            "ground_floor": "needs_ground_floor",
            "deposit_loan": "deposit_loan_needed",
            "urgent": "urgent",
        }
        for value in values:
            if value == "children":
                queryset = queryset.filter(pk__in=HouseholdChild.objects.values("case_id"))
            elif value in fields:
                queryset = queryset.filter(**{fields[value]: True})
        return queryset

    def filter_parked(self, queryset, name, value):  # type: ignore[no-untyped-def]
        today = timezone.localdate()
        if value == "yes":
            return queryset.filter(parked_until__gte=today)
        return queryset.filter(Q(parked_until__isnull=True) | Q(parked_until__lt=today))
