"""Tenancy events from one CSV/XLSX file, one row per event (housing organisation staff).

All or nothing: every row is read and checked first, then each row goes through
`services.tenancy_event_report` (the same rules as the form) inside one transaction. If any
row fails, the transaction is rolled back, nothing is reported (no one is told, no webhook is
queued) and every error is listed with its line number. Columns: docs/tenancy.md; an example
is docs/examples/tenancy-events.csv.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anvis.core.tabular import FileFormatError, Row, read_rows
from anvis.stock.importing import RowError, parse_whole_number
from anvis.vacancies.importing import parse_date

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
class ImportResult:
    ok: bool
    errors: list[RowError] = field(default_factory=list)
    events: list[TenancyEvent] = field(default_factory=list)
    rows: int = 0


@dataclass
class _Parsed:
    line: int
    lease: Any
    data: services.EventInput | None


def _parse(row: Row, user: Any, errors: list[RowError]) -> _Parsed:
    values = row.values

    def err(column: str, message: str) -> None:
        errors.append(RowError(row.line, column, message))

    def date(column: str, required: bool) -> dt.date | None:
        raw = values.get(column, "").strip()
        if not raw:
            if required:
                err(column, _("is required"))
            return None
        try:
            return parse_date(raw)
        except ValueError:
            err(column, _("must be a date like 04-03-2026 (got '%(value)s')") % {"value": raw})
            return None

    def number(column: str) -> int | None:
        raw = values.get(column, "").strip()
        if not raw:
            return None
        try:
            return parse_whole_number(raw)
        except ValueError:
            err(column, _("must be a whole number (got '%(value)s')") % {"value": raw})
            return None

    lease = None
    raw_lease = values.get("lejemaal", "").strip()
    if not raw_lease:
        err("lejemaal", _("is required"))
    elif not raw_lease.isdigit() or len(raw_lease) > 12:
        err("lejemaal", _("must be the lease number (got '%(value)s')") % {"value": raw_lease})
    else:
        lease = agreement_leases().restrict(user).filter(pk=int(raw_lease)).first()
        if lease is None:
            err("lejemaal", _("no lease of yours has the number %(value)s") % {"value": raw_lease})
    raw_kind = values.get("haendelse", "").strip().lower()
    kind = KINDS.get(raw_kind)
    if kind is None:
        err(
            "haendelse",
            _("must be one of %(choices)s (got '%(value)s')")
            % {"choices": ", ".join(sorted(k for k in KINDS if k.isascii())), "value": raw_kind},
        )
    event_date = date("dato", True)
    eviction_date = date("udsaettelsesdato", False)
    amount = number("beloeb")
    months = number("maaneder")
    raw_reason = values.get("fraflytningsaarsag", "").strip().lower()
    reason = ""
    if raw_reason:
        reason = REASONS.get(raw_reason, "")
        if not reason:
            err(
                "fraflytningsaarsag",
                _("must be one of %(choices)s (got '%(value)s')")
                % {"choices": ", ".join(sorted(REASONS)), "value": raw_reason},
            )
    note = values.get("note", "").strip()
    if len(note) > NOTE_MAX:
        err("note", _("may be at most %(n)d characters") % {"n": NOTE_MAX})
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


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            ("" if name == "__all__" else name, message)
            for name, errs in error.message_dict.items()
            for message in errs
        ]
    return [("", message) for message in error.messages]


def import_events(
    data: bytes, filename: str, *, actor: Any, today: dt.date | None = None
) -> ImportResult:
    """Read, check and report every row, or nothing."""
    try:
        headers, rows = read_rows(data, filename)
    except FileFormatError as exc:
        return ImportResult(ok=False, errors=[RowError(1, "", str(exc))])
    headers = [COLUMN_ALIASES.get(h, h) for h in headers]
    rows = [Row(r.line, {COLUMN_ALIASES.get(k, k): v for k, v in r.values.items()}) for r in rows]
    errors: list[RowError] = []
    for column in REQUIRED_COLUMNS:
        if column not in headers:
            errors.append(RowError(1, column, _("required column is missing")))
    for column in headers:
        if column and column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            errors.append(RowError(1, column, _("unknown column")))
    if errors:
        return ImportResult(ok=False, errors=errors)
    if not rows:
        return ImportResult(ok=False, errors=[RowError(2, "", _("the file has no data rows"))])
    parsed = [_parse(row, actor, errors) for row in rows]
    if errors:
        errors.sort(key=lambda e: (e.line, e.column))
        return ImportResult(ok=False, errors=errors, rows=len(rows))
    created: list[TenancyEvent] = []
    with transaction.atomic():
        for p in parsed:
            if p.lease is None or p.data is None:
                continue  # cannot happen: such rows were reported above
            try:
                with transaction.atomic():
                    created.append(
                        services.tenancy_event_report(
                            actor=actor, lease=p.lease, data=p.data, source=Source.FILE, today=today
                        )
                    )
            except PermissionDenied:
                errors.append(RowError(p.line, "haendelse", _("you may not report this event")))
            except ValidationError as exc:
                for name, message in _messages(exc):
                    errors.append(RowError(p.line, SERVICE_COLUMNS.get(name, ""), message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        return ImportResult(ok=False, errors=errors, rows=len(rows))
    return ImportResult(ok=True, events=created, rows=len(rows))
