"""Bulk report of vacancies from one CSV/XLSX file, one row per vacancy (organisation staff).

All or nothing: every row is read and checked first, then each row goes through
`services.vacancy_report` (the agreement, the quota engine and the one-open-vacancy rule decide as
for the form) inside one transaction. If any row fails, the transaction is rolled back, nothing is
reported (and no one is notified) and every error is listed with its line number. Columns:
`docs/flow.md` ("Bulk report by file"); an example is `docs/examples/vacancies-report.csv`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from anvis.core.tabular import FileFormatError, Row, read_rows
from anvis.stock.importing import RowError, parse_whole_number
from anvis.stock.models import Dwelling

from . import services
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
DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d")
MAX_REMARKS = 2000


@dataclass
class BulkResult:
    ok: bool
    errors: list[RowError] = field(default_factory=list)
    vacancies: list[Vacancy] = field(default_factory=list)
    rows: int = 0


@dataclass
class _Parsed:
    line: int
    dwelling: Dwelling | None
    notice_date: dt.date | None
    available_from: dt.date | None
    rent: int | None
    remarks: str


def parse_date(text: str) -> dt.date:
    """A date as Danes write it (4-3-2026, 04.03.2026, 4/3/2026) or ISO (2026-03-04, also with
    a time, as spreadsheets store dates)."""
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", value):
        value = value[:10]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _dwellings(user: Any) -> Any:
    return Dwelling.objects.restrict(user).select_related("entrance__department__organisation")


def _find_dwelling(row: Row, user: Any, err: Any) -> Dwelling | None:
    values = row.values
    dar = values.get("dar_bolig", "").strip()
    if dar:
        try:
            dar_id = uuid.UUID(dar)
        except ValueError:
            err("dar_bolig", _("must be a DAR id (UUID) (got '%(value)s')") % {"value": dar})
            return None
        found = _dwellings(user).filter(dar_id=dar_id).first()
        if found is None:
            err("dar_bolig", _("no dwelling of yours has this DAR id"))
        return found
    missing = [c for c in ("cvr", "afdelingsnr", "adresse") if not values.get(c, "").strip()]
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
            entrance__department__organisation__cvr=values["cvr"].strip(),
            entrance__department__number=values["afdelingsnr"].strip(),
            entrance__street__iexact=values["adresse"].strip(),
            floor__iexact=values.get("etage", "").strip(),
            door__iexact=values.get("doer", "").strip(),
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
                "cvr": values["cvr"].strip(),
                "dept": values["afdelingsnr"].strip(),
                "address": values["adresse"].strip(),
                "floor": values.get("etage", "").strip(),
                "door": values.get("doer", "").strip(),
            },
        )
        return None
    if len(matches) > 1:
        err("", _("the address matches more than one dwelling; give the DAR id"))
        return None
    return matches[0]


def _parse(row: Row, user: Any, errors: list[RowError]) -> _Parsed:
    def err(column: str, message: str) -> None:
        errors.append(RowError(row.line, column, message))

    def date(column: str) -> dt.date | None:
        raw = row.values.get(column, "").strip()
        if not raw:
            err(column, _("is required"))
            return None
        try:
            return parse_date(raw)
        except ValueError:
            err(column, _("must be a date like 04-03-2026 (got '%(value)s')") % {"value": raw})
            return None

    notice_date = date("opsigelsesdato")
    available_from = date("ledig_fra")
    rent: int | None = None
    raw_rent = row.values.get("husleje", "").strip()
    if raw_rent:
        try:
            rent = parse_whole_number(raw_rent)
        except ValueError:
            err("husleje", _("must be a whole number (got '%(value)s')") % {"value": raw_rent})
        else:
            if not 0 <= rent <= 100_000:
                err(
                    "husleje",
                    _("must be between 0 and 100000 kr (got %(value)d)") % {"value": rent},
                )
                rent = None
    remarks = row.values.get("bemaerkninger", "").strip()
    if len(remarks) > MAX_REMARKS:
        err("bemaerkninger", _("may be at most %(n)d characters") % {"n": MAX_REMARKS})
    return _Parsed(
        line=row.line,
        dwelling=_find_dwelling(row, user, err),
        notice_date=notice_date,
        available_from=available_from,
        rent=rent,
        remarks=remarks,
    )


def _messages(error: ValidationError) -> list[tuple[str, str]]:
    if hasattr(error, "error_dict"):
        return [
            ("" if name == "__all__" else name, message)
            for name, errs in error.message_dict.items()
            for message in errs
        ]
    return [("", message) for message in error.messages]


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
        headers, rows = read_rows(data, filename)
    except FileFormatError as exc:
        return BulkResult(ok=False, errors=[RowError(1, "", str(exc))])
    headers = [COLUMN_ALIASES.get(h, h) for h in headers]
    rows = [Row(r.line, {COLUMN_ALIASES.get(k, k): v for k, v in r.values.items()}) for r in rows]
    errors: list[RowError] = []
    for column in REQUIRED_COLUMNS:
        if column not in headers:
            errors.append(RowError(1, column, _("required column is missing")))
    if "dar_bolig" not in headers and not all(
        c in headers for c in ("cvr", "afdelingsnr", "adresse")
    ):
        errors.append(
            RowError(
                1, "", _("the file needs the column dar_bolig, or cvr, afdelingsnr and adresse")
            )
        )
    for column in headers:
        if column and column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            errors.append(RowError(1, column, _("unknown column")))
    if errors:
        return BulkResult(ok=False, errors=errors)
    if not rows:
        return BulkResult(ok=False, errors=[RowError(2, "", _("the file has no data rows"))])

    parsed = [_parse(row, actor, errors) for row in rows]
    seen: dict[int, int] = {}
    for p in parsed:
        if p.dwelling is None:
            continue
        if p.dwelling.pk in seen:
            errors.append(
                RowError(
                    p.line,
                    "",
                    _("the same dwelling is also on line %(other)d")
                    % {"other": seen[p.dwelling.pk]},
                )
            )
        seen.setdefault(p.dwelling.pk, p.line)
    if errors:
        errors.sort(key=lambda e: (e.line, e.column))
        return BulkResult(ok=False, errors=errors, rows=len(rows))

    created: list[Vacancy] = []
    with transaction.atomic():
        for p in parsed:
            if p.dwelling is None or p.notice_date is None or p.available_from is None:
                continue  # cannot happen: such rows were reported above
            try:
                with transaction.atomic():
                    created.append(
                        services.vacancy_report(
                            actor=actor,
                            dwelling=p.dwelling,
                            notice_date=p.notice_date,
                            available_from=p.available_from,
                            rent_at_letting=p.rent,
                            remarks=p.remarks,
                            report_date=report_date,
                        )
                    )
            except ValidationError as exc:
                for name, message in _messages(exc):
                    errors.append(RowError(p.line, SERVICE_COLUMNS.get(name, ""), message))
        if errors:
            transaction.set_rollback(True)
    if errors:
        return BulkResult(ok=False, errors=errors, rows=len(rows))
    return BulkResult(ok=True, vacancies=created, rows=len(rows))
