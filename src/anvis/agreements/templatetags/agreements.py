from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from anvis_core.quotas import LedgerStatus, Quarter

register = template.Library()

STATUS_LABELS = {
    LedgerStatus.GREEN: gettext_noop("On share"),
    LedgerStatus.YELLOW: gettext_noop("Behind"),
    LedgerStatus.RED: gettext_noop("Far behind"),
    LedgerStatus.GREY: gettext_noop("No figures"),
}


def _decimal_text(value: Fraction | int, signed: bool = False) -> str:
    text = f"{float(value):+.1f}" if signed else f"{float(value):.1f}"
    if text in {"+0.0", "-0.0"}:
        text = "0.0"
    return text.replace(".", ",")


@register.filter
def fraction(value: Any) -> str:
    return _decimal_text(value)


@register.filter
def signed(value: Any) -> str:
    return _decimal_text(value, signed=True)


@register.filter
def quarter_label(value: Quarter) -> str:
    return _("%(number)s. quarter %(year)s") % {"number": value.number, "year": value.year}


@register.simple_tag
def status_badge(status: LedgerStatus) -> str:
    return format_html(
        '<span class="status status--{}">{}</span>', status.value, _(STATUS_LABELS[status])
    )
