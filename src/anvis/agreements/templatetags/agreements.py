from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from anvis.core import formats
from anvis_core.quotas import LedgerStatus, Quarter

from ..explain import KIND_LABELS

register = template.Library()

STATUS_LABELS = {
    LedgerStatus.GREEN: gettext_noop("On share"),
    LedgerStatus.YELLOW: gettext_noop("Behind"),
    LedgerStatus.RED: gettext_noop("Far behind"),
    LedgerStatus.GREY: gettext_noop("No figures"),
}


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
def turn_label(kind: str) -> str:
    """The one name of a kind of turn (`anvis.agreements.explain.KIND_LABELS`)."""
    return str(KIND_LABELS[kind])
