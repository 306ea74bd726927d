"""The fair-share ledger's one column spec: the page's CSV and XLSX downloads and the API's
ledger export write these columns (`anvis.common.exports`); the figures are those of the page and
of the API's JSON ledger (a test compares all of them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anvis.common.exports import Column, two_decimals

from .labels import STATUS_LABELS
from .selectors import LedgerRow, LedgerView


def ledger_columns(view: LedgerView) -> list[Column]:
    """The columns of a ledger at its level (the department column only per department)."""
    quarter = str(view.quarter)

    def q(row: LedgerRow) -> Any:
        return row.line.quarter

    def c(row: LedgerRow) -> Any:
        return row.line.cumulative

    columns = [
        Column(_("Housing organisation"), lambda r: r.organisation),
        *([Column(_("Department"), lambda r: r.label)] if view.level == "department" else []),
        Column(_("Quarter"), lambda r: quarter),
        Column(_("Eligible"), lambda r: q(r).eligible),
        Column(_("Expected"), lambda r: two_decimals(q(r).expected)),
        Column(_("Delivered"), lambda r: q(r).delivered),
        Column(_("Accepted"), lambda r: q(r).accepted),
        Column(_("Declined"), lambda r: q(r).declined),
        Column(_("Expired"), lambda r: q(r).expired),
        Column(_("Pending"), lambda r: q(r).pending),
        Column(_("Closed or cap reached"), lambda r: q(r).blocked),
        Column(_("Balance carried in"), lambda r: two_decimals(r.line.opening)),
        Column(_("Eligible (cumulative)"), lambda r: c(r).eligible),
        Column(_("Expected (cumulative)"), lambda r: two_decimals(c(r).expected)),
        Column(_("Delivered (cumulative)"), lambda r: c(r).delivered),
        Column(_("Pending (cumulative)"), lambda r: c(r).pending),
        Column(_("Balance"), lambda r: two_decimals(r.line.closing)),
        Column(_("Status"), lambda r: gettext(STATUS_LABELS[r.line.status])),
    ]
    return columns


def ledger_file_name(view: LedgerView) -> str:
    return f"fordelingsregnskab-{view.quarter}-{view.level}"
