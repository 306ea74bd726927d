"""Tenancy events from one CSV/XLSX file, one row per event (housing organisation staff).

All or nothing (`anvis.common.importing`): every row is read and checked first, then each row goes through
`services.tenancy_event_report` (the same rules as the form) inside one transaction. If any
row fails, the transaction is rolled back, nothing is reported (no one is told, no webhook is
queued) and every error is listed with its line number. Columns: docs/tenancy.md; an example
is docs/examples/tenancy-events.csv.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from anvis.common.importing import (
    Cells,
    Columns,
    FirstSeen,
    ImportOutcome,
    Refused,
    RowError,
    each_row,
    sorted_errors,
)
from anvis.common.numbers import digits
from anvis.common.tabular import Row

from . import services
from .models import NOTE_MAX, Source, TenancyEvent
from .selectors import agreement_leases

REQUIRED_COLUMNS = ["lejemaal", "haendelse", "dato"]
OPTIONAL_COLUMNS = ["beloeb", "maaneder", "udsaettelsesdato", "fraflytningsaarsag", "note"]
COLUMN_ALIASES = {"lejemål": "lejemaal", "hændelse": "haendelse", "beløb": "beloeb"}

#: The file's words for the organisation's events and the reasons for moving out.
KINDS = {
    "restance": "arrears",
    "paakrav": "demand",
    "påkrav": "demand",
    "advarsel": "warning",
    "opsigelse": "cancellation",
    "ophaevelse": "cancellation",
    "udsaettelse": "eviction",
    "fraflytning": "move_out",
    "loest": "resolved",
    "løst": "resolved",
}
REASONS = {
    "eget_oenske": "own_wish",
    "bytte": "transfer",
    "anden_bolig": "transfer",
    "institution": "institution",
    "doedsfald": "death",
    "udsaettelse": "eviction",
    "ukendt": "unknown",
}
COLUMNS = Columns(REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_ALIASES)
SERVICE_COLUMNS = {
    "kind": "haendelse",
    "event_date": "dato",
    "amount": "beloeb",
    "months": "maaneder",
    "eviction_date": "udsaettelsesdato",
    "move_out_reason": "fraflytningsaarsag",
    "note": "note",
}


@dataclass
class ImportResult(ImportOutcome):
    events: list[TenancyEvent] = field(default_factory=list)


@dataclass
class _Parsed:
    line: int
    lease: Any
    data: services.EventInput | None


def _parse(row: Row, user: Any, errors: list[RowError]) -> _Parsed:
    cells = Cells(row, errors)
    err = cells.err

    lease = None
    raw_lease = cells.raw("lejemaal")
    number = digits(raw_lease, max_digits=12)
    if not raw_lease:
        err("lejemaal", _("is required"))
    elif number is None:
        err("lejemaal", _("must be the lease number (got '%(value)s')") % {"value": raw_lease})
    else:
        lease = agreement_leases().restrict(user).filter(pk=number).first()
        if lease is None:
            err("lejemaal", _("no lease of yours has the number %(value)s") % {"value": raw_lease})
    kind = cells.choice("haendelse", KINDS)
    event_date = cells.date("dato")
    eviction_date = cells.date("udsaettelsesdato", required=False)
    amount = cells.number("beloeb")
    months = cells.number("maaneder")
    reason = cells.choice("fraflytningsaarsag", REASONS, required=False) or ""
    note = cells.text("note", max_length=NOTE_MAX)
    data = None
    if kind is not None and event_date is not None:
        data = services.EventInput(
            kind=kind,
            event_date=event_date,
            note=note,
            amount=amount,
            months=months,
            eviction_date=eviction_date,
            move_out_reason=reason,
        )
    return _Parsed(row.line, lease, data)


def import_events(
    data: bytes, filename: str, *, actor: Any, today: dt.date | None = None
) -> ImportResult:
    """Read, check and report every row, or nothing."""
    try:
        rows = COLUMNS.read(data, filename)
    except Refused as refused:
        return ImportResult(ok=False, errors=refused.errors)
    errors: list[RowError] = []
    parsed = [_parse(row, actor, errors) for row in rows]
    # A row given twice (its note aside) would report the event twice.
    events = FirstSeen[tuple[Any, ...]](_("the same event is also in %(other)s"))
    for p in parsed:
        if p.lease is not None and p.data is not None:
            e = p.data
            key = (p.lease.pk, e.kind, e.event_date, e.amount, e.months, e.eviction_date)
            events.repeated((*key, e.move_out_reason), p.line, errors)
    if errors:
        return ImportResult(ok=False, errors=sorted_errors(errors), rows=len(rows))
    created, errors = each_row(
        (
            (
                p.line,
                lambda p=p: services.tenancy_event_report(
                    actor=actor, lease=p.lease, data=p.data, source=Source.FILE, today=today
                ),
            )
            for p in parsed
            if p.lease is not None and p.data is not None  # other rows were reported above
        ),
        SERVICE_COLUMNS,
        forbidden=("haendelse", _("you may not report this event")),
    )
    if errors:
        return ImportResult(ok=False, errors=errors, rows=len(rows))
    return ImportResult(ok=True, events=created, rows=len(rows))
