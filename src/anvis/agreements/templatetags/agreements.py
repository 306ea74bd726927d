from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from anvis.common import formats
from anvis_core.quotas import LedgerStatus, Quarter

from ..labels import KIND_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def fraction(value: Any) -> str:
    return formats.number(value, 1)


@register.filter
def signed(value: Any) -> str:
    return formats.number(value, 1, signed=True)


@register.filter
def quarter_label(value: Quarter) -> str:
    return formats.quarter(value)


@register.simple_tag
def status_badge(status: LedgerStatus) -> str:
    return format_html(
        '<span class="status status--{}">{}</span>', status.value, _(STATUS_LABELS[status])
    )


@register.simple_tag
def figure_link(view: Any, row: Any, figure: str, span: str, value: Any, text: Any = None) -> str:
    """A ledger figure as a link to the vacancies it counts (the vacancy list filtered by
    `anvis.vacancies.filters.VacancyFilter`): `span` is "quarter" or "cumulative"; `row` is a
    ledger line or None for the total. Zero stays plain text."""
    shown = value if text is None else text
    if not value:
        return format_html("{}", shown)
    return format_html(
        '<a href="{}" title="{}">{}</a>',
        ledger_vacancies_url(view, row, figure, span),
        _("Show the vacancies behind this figure"),
        shown,
    )


def ledger_vacancies_url(view: Any, row: Any, figure: str, span: str) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    params: dict[str, Any] = {"status": "all", "agreement": view.agreement.pk, "figure": figure}
    if span == "quarter":
        params["quarter"] = str(view.quarter)
    else:
        params["reported_to"] = view.quarter.end.isoformat()
    if row is not None:
        params["organisation"] = row.organisation_id
        if view.level == "department":
            params["department_number"] = row.department_number
    return f"{reverse('vacancies:vacancy_list')}?{urlencode(params)}"


@register.simple_tag
def turn_label(kind: str) -> str:
    """The one name of a kind of turn (`anvis.agreements.labels.KIND_LABELS`)."""
    return str(KIND_LABELS[kind])
