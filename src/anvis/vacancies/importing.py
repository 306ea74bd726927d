"""Bulk report of vacancies from one CSV/XLSX file, one row per vacancy (organisation staff).

All or nothing: every row is read and checked first, then each row goes through
`services.vacancy_report` (the agreement, the quota engine and the one-open-vacancy rule decide as
for the form) inside one transaction. If any row fails, the transaction is rolled back, nothing is
reported (and no one is notified) and every error is listed with its line number. Columns:
`docs/flow.md` ("Bulk report by file"); an example is `docs/examples/vacancies-report.csv`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
from anvis.common.tabular import Row
from anvis.stock.models import Dwelling

from . import services
from .limits import MAX_MONTHLY_RENT, MAX_REMARKS
from .models import Vacancy

REQUIRED_COLUMNS = ["opsigelsesdato", "ledig_fra"]
KEY_COLUMNS = ["cvr", "afdelingsnr", "adresse", "etage", "doer"]
OPTIONAL_COLUMNS = [*KEY_COLUMNS, "dar_bolig", "husleje", "bemaerkninger"]
COLUMN_ALIASES = {
    "dor": "doer",
    "bemaerkning": "bemaerkninger",
    "opsagt": "opsigelsesdato",
    "ledig_pr": "ledig_fra",
    "dar_id": "dar_bolig",
}


@dataclass
class BulkResult(ImportOutcome):
    vacancies: list[Vacancy] = field(default_factory=list)


@dataclass
class _Parsed:
    line: int
    dwelling: Dwelling | None
    notice_date: dt.date | None
    available_from: dt.date | None
    rent: int | None
    remarks: str


def _dwellings(user: Any) -> Any:
    return Dwelling.objects.restrict(user).select_related("entrance__department__organisation")


def _find_dwelling(cells: Cells, user: Any) -> Dwelling | None:
    err = cells.err
    if cells.raw("dar_bolig"):
        dar_id = cells.uuid("dar_bolig")
        if dar_id is None:
            return None
        found = _dwellings(user).filter(dar_id=dar_id).first()
        if found is None:
            err("dar_bolig", _("no dwelling of yours has this DAR id"))
        return found
    key = {column: cells.raw(column) for column in KEY_COLUMNS}
    missing = [c for c in ("cvr", "afdelingsnr", "adresse") if not key[c]]
    if missing:
        err(
            "",
            _(
                "give the dwelling's DAR id, or CVR, department number and address (missing: %(cols)s)"
            )
            % {"cols": ", ".join(missing)},
        )
        return None
    matches = list(
        _dwellings(user).filter(
            entrance__department__organisation__cvr=key["cvr"],
            entrance__department__number=key["afdelingsnr"],
            entrance__street__iexact=key["adresse"],
            floor__iexact=key["etage"],
            door__iexact=key["doer"],
        )[:2]
    )
    if not matches:
        err(
            "",
            _(
                "no dwelling of yours at CVR %(cvr)s, department %(dept)s, %(address)s, "
                "floor '%(floor)s', door '%(door)s'"
            )
            % {
                "cvr": key["cvr"],
                "dept": key["afdelingsnr"],
                "address": key["adresse"],
                "floor": key["etage"],
                "door": key["doer"],
            },
        )
        return None
    if len(matches) > 1:
        err("", _("the address matches more than one dwelling; give the DAR id"))
        return None
    return matches[0]


def _parse(row: Row, user: Any, errors: list[RowError]) -> _Parsed:
    cells = Cells(row, errors)
    err = cells.err
    notice_date = cells.date("opsigelsesdato")
    available_from = cells.date("ledig_fra")
    rent = cells.number("husleje")
    if rent is not None and not 0 <= rent <= MAX_MONTHLY_RENT:
        err(
            "husleje",
            _("must be between 0 and %(max)d kr (got %(value)d)")
            % {"max": MAX_MONTHLY_RENT, "value": rent},
        )
        rent = None
    remarks = cells.text("bemaerkninger", max_length=MAX_REMARKS)
    return _Parsed(
        line=row.line,
        dwelling=_find_dwelling(cells, user),
        notice_date=notice_date,
        available_from=available_from,
        rent=rent,
        remarks=remarks,
    )


def _dwelling_key(headers: Sequence[str]) -> list[RowError]:
    if "dar_bolig" in headers or all(c in headers for c in ("cvr", "afdelingsnr", "adresse")):
        return []
    message = _("the file needs the column dar_bolig, or cvr, afdelingsnr and adresse")
    return [RowError(1, "", message)]


COLUMNS = Columns(REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_ALIASES, rule=_dwelling_key)
SERVICE_COLUMNS = {
    "notice_date": "opsigelsesdato",
    "available_from": "ledig_fra",
    "rent_at_letting": "husleje",
    "remarks": "bemaerkninger",
}


def report_vacancies(
    data: bytes, filename: str, *, actor: Any, report_date: dt.date | None = None
) -> BulkResult:
    """Read, check and report every row, or nothing."""
    try:
        rows = COLUMNS.read(data, filename)
    except Refused as refused:
        return BulkResult(ok=False, errors=refused.errors)
    errors: list[RowError] = []
    parsed = [_parse(row, actor, errors) for row in rows]
    first_lines = FirstSeen[int](_("the same dwelling is also in %(other)s"))
    for p in parsed:
        if p.dwelling is not None:
            first_lines.repeated(p.dwelling.pk, p.line, errors)
    if errors:
        return BulkResult(ok=False, errors=sorted_errors(errors), rows=len(rows))
    created, errors = each_row(
        (
            (
                p.line,
                lambda p=p: services.vacancy_report(
                    actor=actor,
                    dwelling=p.dwelling,
                    notice_date=p.notice_date,
                    available_from=p.available_from,
                    rent_at_letting=p.rent,
                    remarks=p.remarks,
                    report_date=report_date,
                ),
            )
            for p in parsed
            # rows without these were reported above
            if p.dwelling is not None and p.notice_date is not None and p.available_from is not None
        ),
        SERVICE_COLUMNS,
    )
    if errors:
        return BulkResult(ok=False, errors=errors, rows=len(rows))
    return BulkResult(ok=True, vacancies=created, rows=len(rows))
