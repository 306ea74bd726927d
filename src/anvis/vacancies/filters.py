"""The vacancy list's one filterset: the page (`vacancies:vacancy_list`), the API list
(`/api/v1/vacancies/`) and the vacancy export read the query string through it.

Filters take what people know: the housing organisation by name (a choice), the department by
its number, the quarter as on the ledger (`2026-Q4`), and `figure`, which picks the vacancies a
figure of the fair-share ledger counts (`anvis.agreements.figures`)."""

from __future__ import annotations

import re
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from anvis.agreements.figures import figure_choices, figure_q
from anvis.agreements.models import AllocationAgreement
from anvis.common.forms import CharFilter, DateFilter, NumberFilter
from anvis.stock.filters import OrganisationChoiceFilter, UserFilterSet
from anvis_core.quotas import Quarter

from .choices import OPEN_STATUSES, VacancyStatus
from .models import Vacancy

OPEN = "open"
ALL = "all"
#: Offered vacancies whose citizen has said yes: the lease is to be registered.
LEASE_DUE = "lease_due"
#: Offered vacancies whose citizen has not answered yet.
ANSWER_DUE = "answer_due"


#: A quarter as the pages write it (`formats.quarter`: "4. kvartal 2026") or as "Q4 2026".
WRITTEN_QUARTER = re.compile(r"(?:([1-4])\.?\s*kvartal|q([1-4]))\s+(\d{4})", re.IGNORECASE)


class QuarterField(forms.CharField):
    """A quarter typed as on the ledger (2026-Q4) or as the pages write it (4. kvartal 2026)."""

    def to_python(self, value: Any) -> Quarter | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        written = WRITTEN_QUARTER.fullmatch(text)
        if written:
            text = f"{written[3]}-Q{written[1] or written[2]}"
        try:
            quarter = Quarter.parse(text)
            if not 1 <= quarter.number <= 4 or not 1900 <= quarter.year <= 2200:
                raise ValueError
        except ValueError:
            raise forms.ValidationError(
                _("Write the quarter as YYYY-Qn, e.g. 2026-Q1."), code="invalid"
            ) from None
        return quarter


class QuarterFilter(django_filters.Filter):
    field_class = QuarterField

    def filter(self, qs: QuerySet[Any], value: Quarter | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return qs.filter(report_date__range=(value.start, value.end))


class VacancyFilter(UserFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (OPEN, pgettext_lazy("vacancies", "Open")),
            (ALL, _("All")),
            (ANSWER_DUE, _("Awaiting the citizen's answer")),
            (LEASE_DUE, _("Lease to register")),
            *VacancyStatus.choices,
        ],
        method="filter_status",
        empty_label=None,
    )
    organisation = OrganisationChoiceFilter()
    department_number = CharFilter(
        label=_("Department number"),
        field_name="dwelling__entrance__department__number",
        lookup_expr="iexact",
    )
    dwelling = NumberFilter(
        label=_("Dwelling id"), field_name="dwelling_id", widget=forms.HiddenInput
    )
    quarter = QuarterFilter(
        label=_("Quarter reported"), help_text=_("E.g. 2026-Q4 or 4. kvartal 2026.")
    )
    reported_from = DateFilter(
        label=_("Reported from"), field_name="report_date", lookup_expr="gte"
    )
    reported_to = DateFilter(label=_("Reported until"), field_name="report_date", lookup_expr="lte")
    agreement = django_filters.ModelChoiceFilter(
        label=_("Agreement"),
        field_name="turn_record__agreement",
        queryset=AllocationAgreement.objects.none(),
    )
    figure = django_filters.ChoiceFilter(
        label=_("Counted in the ledger as"), choices=figure_choices, method="filter_figure"
    )

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def __init__(self, data: Any = None, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(data, *args, user=user, **kwargs)
        self.filters["agreement"].queryset = AllocationAgreement.objects.restrict(user)

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == ALL:
            return queryset
        if value == LEASE_DUE:
            return queryset.awaiting_lease()  # type: ignore[attr-defined,no-any-return]
        if value == ANSWER_DUE:
            return queryset.awaiting_answer()  # type: ignore[attr-defined,no-any-return]
        return queryset.filter(status=value)

    def filter_figure(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(figure_q(value, prefix="turn_record__"))


def vacancy_filter(*, user: Any, data: Any) -> VacancyFilter:
    """The vacancy list as the page reads its query (`data`): the user's own rows
    (`selectors.vacancy_list`) through the one filterset. The overview's work lists count
    with it too (`vacancies.nav`), so a card says what the page it opens lists."""
    from .selectors import vacancy_list

    return VacancyFilter(data, queryset=vacancy_list(user=user), user=user)
