"""Search forms of the audit trail and the personal-data access log."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from anvis.audit.models import AuditEvent, PersonalDataAccess
from anvis.cases.models import Case
from anvis.cases.selectors import citizen_find_by_cpr
from anvis.common.forms import CharFilter, DateFilter


class AuditEventFilter(django_filters.FilterSet):
    actor = CharFilter(label=_("Who"), field_name="actor_label", lookup_expr="icontains")
    action = CharFilter(label=_("Action"), lookup_expr="icontains")
    object_type = CharFilter(label=_("Object type"), lookup_expr="icontains")
    object = CharFilter(label=_("Object"), method="search_object")
    date_from = DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    date_to = DateFilter(label=_("To"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def search_object(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(object_id=value) | Q(object_repr__icontains=value))


PRIVATE_TERMS = ("user", "what", "subject")
"""The access log's search terms, any of which a person may type a CPR number into: posted,
never in the address (the dates are)."""


class PersonalDataAccessFilter(django_filters.FilterSet):
    user = CharFilter(label=_("Who"), field_name="user_label", lookup_expr="icontains")
    what = CharFilter(label=_("What"), lookup_expr="icontains")
    subject = CharFilter(label=_("Citizen or case"), method="search_subject")
    date_from = DateFilter(label=_("From"), field_name="at", lookup_expr="date__gte")
    date_to = DateFilter(label=_("To"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = PersonalDataAccess
        fields: list[str] = []

    def search_subject(self, queryset, name, value):  # type: ignore[no-untyped-def]
        """By the citizen's id or reference (B-…), as the reads are recorded, by a case number
        (S-…): the reads of that case's citizen, or by the citizen's CPR number (the term is
        posted and kept out of the address: `PRIVATE_TERMS`)."""
        value = value.strip()
        citizens = [
            str(pk)
            for pk in Case.objects.filter(number__iexact=value).values_list("citizen_id", flat=True)
        ]
        by_cpr = citizen_find_by_cpr(cpr=value)
        if by_cpr is not None:
            citizens.append(str(by_cpr.pk))
        return queryset.filter(
            Q(subject_id=value)
            | Q(subject_ref__iexact=value)
            | Q(subject_type="citizen", subject_id__in=citizens)
        )
