"""The fair-share ledger's one column spec: the page's CSV and XLSX downloads and the API's
ledger export write these columns (`anvis.common.exports`); the figures are those of the page and
of the API's JSON ledger (a test compares all of them).

Every count of the ledger is a column, for the quarter and cumulative, under the name the
vacancy list's `figure` filter gives it (`anvis.agreements.figures`): the page's breakdowns
(extra, let by the organisation, handed back, closed or cap reached) and the API's figures
(ordinary, withdrawn, extra) are never missing from a download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from anvis.common.exports import Column, two_decimals
from anvis_core.quotas import LedgerFigures

from .figures import FIGURES
from .labels import STATUS_LABELS
from .selectors import LedgerRow, LedgerView

LEDGER_COUNTS = (
    "eligible",
    "delivered",
    "accepted",
    "declined",
    "expired",
    "pending",
    "extra",
    "withdrawn",
    "handed_back",
    "ordinary",
    "blocked",
)
"""The ledger's counts in the order of the files, each a `LedgerFigures` attribute and a
figure of `anvis.agreements.figures` (its header)."""


def _figure_columns(span: Callable[[LedgerRow], LedgerFigures], cumulative: bool) -> list[Column]:
    def header(label: Any) -> Any:
        return format_lazy(_("{figure} (cumulative)"), figure=label) if cumulative else label

    def count(name: str) -> Column:
        return Column(header(FIGURES[name][1]), lambda r: getattr(span(r), name))

    counts = [count(name) for name in LEDGER_COUNTS]
    expected = Column(header(_("Expected")), lambda r: two_decimals(span(r).expected))
    return [counts[0], expected, *counts[1:]]


def ledger_columns(view: LedgerView) -> list[Column]:
    """The columns of a ledger at its level (the department column only per department)."""
    quarter = str(view.quarter)
    return [
        Column(_("Housing organisation"), lambda r: r.organisation),
        *([Column(_("Department"), lambda r: r.label)] if view.level == "department" else []),
        Column(_("Quarter"), lambda r: quarter),
        *_figure_columns(lambda r: r.line.quarter, cumulative=False),
        Column(_("Balance carried in"), lambda r: two_decimals(r.line.opening)),
        *_figure_columns(lambda r: r.line.cumulative, cumulative=True),
        Column(_("Balance"), lambda r: two_decimals(r.line.closing)),
        Column(_("Status"), lambda r: gettext(STATUS_LABELS[r.line.status])),
    ]


def ledger_file_name(view: LedgerView) -> str:
    return f"fordelingsregnskab-{view.quarter}-{view.level}"
