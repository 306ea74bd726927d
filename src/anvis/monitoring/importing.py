"""Import of yearly department indicators and of the 1 December area lists (CSV/XLSX).

All or nothing (`anvis.common.importing`, as every import): every row is validated first; if any row
is bad nothing is written and every error is reported with its line number (in Danish). Columns: docs/indicators.md.
After a successful import the status snapshot is recomputed in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from anvis.audit.services import audit_record
from anvis.common.clock import local_today
from anvis.common.importing import (
    Cells,
    Columns,
    FirstSeen,
    ImportOutcome,
    Refused,
    RowError,
    absent_fields,
    sorted_errors,
)
from anvis.common.tabular import Row
from anvis.stock.models import Department
from anvis_core.composition import is_suppressed

from . import compute
from .models import VALUE_FIELDS, AreaDesignation, DepartmentIndicators, DesignationKind

# Column → model field, with the allowed range and decimal places.
VALUE_COLUMNS: dict[str, tuple[str, Decimal, Decimal, int]] = {
    "uden_for_arbejde_uddannelse": ("outside_work_education", Decimal(0), Decimal(100), 1),
    "kun_grundskole": ("basic_schooling_only", Decimal(0), Decimal(100), 1),
    "indkomst_pct_region": ("income_relative_region", Decimal(0), Decimal("999.9"), 1),
    "doemte_x_landsgennemsnit": ("convictions_relative_national", Decimal(0), Decimal("99.99"), 2),
    "ikke_vestlige": ("non_western", Decimal(0), Decimal(100), 1),
    "fraflytning": ("move_out_rate", Decimal(0), Decimal(100), 1),
    "offentlig_forsoergelse": ("public_support", Decimal(0), Decimal(100), 1),
}
COUNT_COLUMNS = {"beboere": "residents", "husstande": "households"}
INDICATOR_REQUIRED = ["cvr", "afdelingsnr", "aar"]
INDICATOR_OPTIONAL = [*COUNT_COLUMNS, *VALUE_COLUMNS]
FIELD_OF_COLUMN = {**COUNT_COLUMNS, **{c: spec[0] for c, spec in VALUE_COLUMNS.items()}}
"""The optional columns and their fields. A column the file does not have leaves a stored
row's value alone (a partial file, e.g. only move-out rates, keeps the other indicators); a
column it has is taken as it stands, so an empty or suppressed cell clears the value."""
COLUMN_ALIASES = {
    "år": "aar",
    "ar": "aar",
    "afdeling_nr": "afdelingsnr",
    "doemte": "doemte_x_landsgennemsnit",
    "domte_x_landsgennemsnit": "doemte_x_landsgennemsnit",
    "offentlig_forsorgelse": "offentlig_forsoergelse",
    "listeaar": "aar",
}
# Cells Landsbyggefonden's tables use for values withheld for discretion.
SUPPRESSED_MARKS = {"", "*", "-", "–", "diskr", "diskretioneret", "x", ".."}

KIND_ALIASES = {
    "udsat": DesignationKind.UDSAT,
    "udsat boligområde": DesignationKind.UDSAT,
    "udsat_boligomraade": DesignationKind.UDSAT,
    "parallelsamfund": DesignationKind.PARALLEL,
    "omdannelse": DesignationKind.TRANSFORMATION,
    "omdannelsesområde": DesignationKind.TRANSFORMATION,
    "omdannelsesomraade": DesignationKind.TRANSFORMATION,
    "forebyggelse": DesignationKind.PREVENTION,
    "forebyggelsesområde": DesignationKind.PREVENTION,
    "forebyggelsesomraade": DesignationKind.PREVENTION,
}
DESIGNATION_REQUIRED = ["cvr", "afdelingsnr", "aar", "type"]
INDICATOR_COLUMNS = Columns(INDICATOR_REQUIRED, INDICATOR_OPTIONAL, COLUMN_ALIASES)
DESIGNATION_COLUMNS = Columns(DESIGNATION_REQUIRED, ["afdeling", "omraade"], COLUMN_ALIASES)


@dataclass
class ImportResult(ImportOutcome):
    created: int = 0
    updated: int = 0
    suppressed: int = 0


def _departments(rows: list[Row]) -> dict[tuple[str, str], int]:
    cvrs = {r.values.get("cvr", "").strip() for r in rows}
    return {
        (cvr, number): pk
        for pk, cvr, number in Department.objects.filter(organisation__cvr__in=cvrs).values_list(
            "pk", "organisation__cvr", "number"
        )
    }


def _department(cells: Cells, known: dict[tuple[str, str], int]) -> int | None:
    cvr = cells.text("cvr", required=True)
    number = cells.text("afdelingsnr", required=True)
    if not cvr or not number:
        return None
    dept = known.get((cvr, number))
    if dept is None:
        cells.err(
            "afdelingsnr",
            _("no department %(number)s for CVR %(cvr)s in Anvis") % {"number": number, "cvr": cvr},
        )
    return dept


def _year(cells: Cells, first: int, last: int) -> int | None:
    return cells.number("aar", required=True, minimum=first, maximum=last)


MAX_COUNT = 1_000_000
"""More residents or households than any department has (and than a database integer holds
when the file has a typing error)."""


def _suppressed(cells: Cells, column: str) -> bool:
    """Whether the cell is empty or withheld for discretion: no value, and no error."""
    return cells.raw(column).lower() in SUPPRESSED_MARKS


def _count(cells: Cells, column: str) -> int | None:
    if _suppressed(cells, column):
        return None
    return cells.number(column, minimum=0, maximum=MAX_COUNT)


def _value(cells: Cells, column: str) -> Decimal | None:
    if _suppressed(cells, column):
        return None
    _field, low, high, places = VALUE_COLUMNS[column]
    return cells.decimal(column, minimum=low, maximum=high, places=places)


def import_indicators(
    data: bytes, filename: str, *, actor: Any, on_date: dt.date | None = None
) -> ImportResult:
    """Upsert one row per department and year. Under 100 residents or 50 households the row is
    stored as suppressed and its values are discarded. Columns the file does not have keep the
    stored values."""
    try:
        rows = INDICATOR_COLUMNS.read(data, filename)
    except Refused as refused:
        return ImportResult(ok=False, errors=refused.errors)
    errors: list[RowError] = []
    given = _indicator_rows(rows, errors)
    with transaction.atomic():
        existing = _stored_indicators(given)
        parsed = _merged(given, existing, errors)
        if errors:
            return ImportResult(ok=False, errors=sorted_errors(errors), rows=len(rows))
        new, changed = _upsert_indicators(parsed, existing)
        compute.recompute(on_date=local_today(on_date))
        suppressed = sum(1 for values in parsed.values() if values["suppressed"])
        audit_record(
            actor=actor,
            action="monitoring.indicators_import",
            object_type="monitoring.Import",
            object_repr=filename[:255],
            after={
                "rows": len(parsed),
                "created": new,
                "updated": changed,
                "suppressed": suppressed,
            },
        )
    return ImportResult(
        ok=True, rows=len(parsed), created=new, updated=changed, suppressed=suppressed
    )


@dataclass(frozen=True)
class _Given:
    """One row of the file: its line and the values of the columns the file has."""

    line: int
    values: dict[str, Any]


def _indicator_rows(rows: list[Row], errors: list[RowError]) -> dict[tuple[int, int], _Given]:
    """The rows' values by (department, year), only for the columns the file has; errors for
    bad cells and repeated keys."""
    known = _departments(rows)
    this_year = local_today().year
    first_lines = FirstSeen[tuple[int, int]](
        _("the same department and year are also in %(other)s")
    )
    parsed: dict[tuple[int, int], _Given] = {}
    for row in rows:
        cells = Cells(row, errors)
        dept = _department(cells, known)
        year = _year(cells, 2000, this_year)
        absent = absent_fields(row, FIELD_OF_COLUMN)
        values: dict[str, Any] = {
            f: _count(cells, c) for c, f in COUNT_COLUMNS.items() if f not in absent
        }
        values |= {
            VALUE_COLUMNS[c][0]: _value(cells, c)
            for c in VALUE_COLUMNS
            if VALUE_COLUMNS[c][0] not in absent
        }
        if dept is None or year is None or first_lines.repeated((dept, year), row.line, errors):
            continue
        parsed[(dept, year)] = _Given(row.line, values)
    return parsed


def _stored_indicators(
    given: dict[tuple[int, int], _Given],
) -> dict[tuple[int, int], DepartmentIndicators]:
    """The stored rows the file updates, locked until the import commits."""
    return {
        (i.department_id, i.year): i
        for i in DepartmentIndicators.objects.select_for_update().filter(
            department_id__in={d for d, _y in given}, year__in={y for _d, y in given}
        )
    }


def _merged(
    given: dict[tuple[int, int], _Given],
    existing: dict[tuple[int, int], DepartmentIndicators],
    errors: list[RowError],
) -> dict[tuple[int, int], dict[str, Any]]:
    """Each row's complete values: the file's columns over the stored row (or the defaults),
    then the suppression rule on the result."""
    parsed: dict[tuple[int, int], dict[str, Any]] = {}
    for key, row in given.items():
        stored = existing.get(key)
        merged: dict[str, Any] = {
            f: None if stored is None else getattr(stored, f) for f in FIELD_OF_COLUMN.values()
        }
        merged |= row.values
        residents, households = merged["residents"], merged["households"]
        hidden = is_suppressed(residents, households)
        if hidden:
            if (residents is None or households is None) and any(
                row.values.get(f) is not None for f in VALUE_FIELDS
            ):
                errors.append(
                    RowError(
                        row.line,
                        "beboere",
                        _("residents and households are required when the row has values"),
                    )
                )
                continue
            merged |= dict.fromkeys(VALUE_FIELDS)
        parsed[key] = {**merged, "suppressed": hidden}
    return parsed


def _upsert_indicators(
    parsed: dict[tuple[int, int], dict[str, Any]],
    existing: dict[tuple[int, int], DepartmentIndicators],
) -> tuple[int, int]:
    fields = ["residents", "households", "suppressed", *VALUE_FIELDS]
    new, changed = [], []
    for (dept, year), values in parsed.items():
        row_obj = existing.get((dept, year))
        if row_obj is None:
            new.append(DepartmentIndicators(department_id=dept, year=year, **values))
        else:
            for k, v in values.items():
                setattr(row_obj, k, v)
            changed.append(row_obj)
    DepartmentIndicators.objects.bulk_create(new, batch_size=2000)
    DepartmentIndicators.objects.bulk_update(changed, fields, batch_size=2000)
    return len(new), len(changed)


def import_designations(
    data: bytes, filename: str, *, actor: Any, on_date: dt.date | None = None
) -> ImportResult:
    """The file holds complete lists: for every list year in it, that year's designations are
    replaced by the file's rows."""
    try:
        rows = DESIGNATION_COLUMNS.read(data, filename)
    except Refused as refused:
        return ImportResult(ok=False, errors=refused.errors)
    errors: list[RowError] = []
    known = _departments(rows)
    this_year = local_today().year
    first_lines = FirstSeen[tuple[int, int, str]](_("the same designation is also in %(other)s"))
    parsed: dict[tuple[int, int, str], int] = {}
    for row in rows:
        cells = Cells(row, errors)
        dept = _department(cells, known)
        year = _year(cells, 2010, this_year)
        kind = cells.choice("type", KIND_ALIASES)
        if dept is None or year is None or kind is None:
            continue
        key = (dept, year, str(kind))
        if not first_lines.repeated(key, row.line, errors):
            parsed[key] = row.line
    if errors:
        return ImportResult(ok=False, errors=sorted_errors(errors), rows=len(rows))
    years = {y for _d, y, _k in parsed}
    with transaction.atomic():
        removed, _detail = AreaDesignation.objects.filter(list_year__in=years).delete()
        AreaDesignation.objects.bulk_create(
            [AreaDesignation(department_id=d, list_year=y, kind=k) for d, y, k in parsed]
        )
        compute.recompute(on_date=local_today(on_date))
        audit_record(
            actor=actor,
            action="monitoring.designations_import",
            object_type="monitoring.Import",
            object_repr=filename[:255],
            after={"rows": len(parsed), "years": sorted(years), "replaced": removed},
        )
    return ImportResult(ok=True, rows=len(parsed), created=len(parsed), updated=removed)
