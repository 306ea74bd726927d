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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from anvis.audit.services import audit_record
from anvis.common.importing import (
    Columns,
    ImportOutcome,
    Refused,
    RowError,
    absent_fields,
    parse_decimal,
    parse_whole_number,
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


def _department(row: Row, known: dict[tuple[str, str], int], errors: list[RowError]) -> int | None:
    cvr = row.values.get("cvr", "").strip()
    number = row.values.get("afdelingsnr", "").strip()
    if not cvr:
        errors.append(RowError(row.line, "cvr", _("is required")))
        return None
    if not number:
        errors.append(RowError(row.line, "afdelingsnr", _("is required")))
        return None
    dept = known.get((cvr, number))
    if dept is None:
        errors.append(
            RowError(
                row.line,
                "afdelingsnr",
                _("no department %(number)s for CVR %(cvr)s in Anvis")
                % {"number": number, "cvr": cvr},
            )
        )
    return dept


def _year(row: Row, errors: list[RowError], low: int, high: int) -> int | None:
    raw = row.values.get("aar", "").strip()
    if not raw:
        errors.append(RowError(row.line, "aar", _("is required")))
        return None
    try:
        value = parse_whole_number(raw)
    except ValueError:
        errors.append(
            RowError(row.line, "aar", _("must be a year (got '%(value)s')") % {"value": raw})
        )
        return None
    if not low <= value <= high:
        errors.append(
            RowError(
                row.line,
                "aar",
                _("must be between %(low)d and %(high)d (got %(value)d)")
                % {"low": low, "high": high, "value": value},
            )
        )
        return None
    return value


MAX_COUNT = 1_000_000
"""More residents or households than any department has (and than a database integer holds
when the file has a typing error)."""


def _count(row: Row, column: str, errors: list[RowError]) -> int | None:
    raw = row.values.get(column, "").strip()
    if raw.lower() in SUPPRESSED_MARKS:
        return None
    try:
        value = parse_whole_number(raw)
    except ValueError:
        errors.append(
            RowError(
                row.line, column, _("must be a whole number (got '%(value)s')") % {"value": raw}
            )
        )
        return None
    if value < 0:
        errors.append(
            RowError(row.line, column, _("may not be negative (got %(value)d)") % {"value": value})
        )
        return None
    if value > MAX_COUNT:
        errors.append(
            RowError(
                row.line,
                column,
                _("may be at most %(max)s (got %(value)s)") % {"max": MAX_COUNT, "value": raw},
            )
        )
        return None
    return value


def _value(row: Row, column: str, errors: list[RowError]) -> Decimal | None:
    raw = row.values.get(column, "").strip()
    if raw.lower() in SUPPRESSED_MARKS:
        return None
    _field, low, high, places = VALUE_COLUMNS[column]
    try:
        value = parse_decimal(raw)
    except ValueError:
        errors.append(
            RowError(
                row.line,
                column,
                _("must be a number such as 40,1 (got '%(value)s')") % {"value": raw},
            )
        )
        return None
    if not low <= value <= high:
        errors.append(
            RowError(
                row.line,
                column,
                _("must be between %(low)s and %(high)s (got %(value)s)")
                % {"low": low, "high": high, "value": raw},
            )
        )
        return None
    if -value.as_tuple().exponent > places:  # type: ignore[operator]
        errors.append(
            RowError(
                row.line,
                column,
                ngettext(
                    "may have at most %(n)d decimal (got '%(value)s')",
                    "may have at most %(n)d decimals (got '%(value)s')",
                    places,
                )
                % {"n": places, "value": raw},
            )
        )
        return None
    return value


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
        compute.recompute(on_date=on_date or timezone.localdate())
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
    this_year = timezone.localdate().year
    parsed: dict[tuple[int, int], _Given] = {}
    for row in rows:
        dept = _department(row, known, errors)
        year = _year(row, errors, 2000, this_year)
        absent = absent_fields(row, FIELD_OF_COLUMN)
        values: dict[str, Any] = {
            f: _count(row, c, errors) for c, f in COUNT_COLUMNS.items() if f not in absent
        }
        values |= {
            VALUE_COLUMNS[c][0]: _value(row, c, errors)
            for c in VALUE_COLUMNS
            if VALUE_COLUMNS[c][0] not in absent
        }
        if dept is None or year is None:
            continue
        if (dept, year) in parsed:
            errors.append(
                RowError(
                    row.line,
                    "",
                    _("the same department and year are also on line %(other)d")
                    % {"other": parsed[(dept, year)].line},
                )
            )
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
    this_year = timezone.localdate().year
    parsed: dict[tuple[int, int, str], int] = {}
    for row in rows:
        dept = _department(row, known, errors)
        year = _year(row, errors, 2010, this_year)
        raw_kind = row.values.get("type", "").strip().lower()
        kind = KIND_ALIASES.get(raw_kind)
        if kind is None:
            errors.append(
                RowError(
                    row.line,
                    "type",
                    _(
                        "unknown kind '%(value)s'; use udsat, parallelsamfund, omdannelse "
                        "or forebyggelse"
                    )
                    % {"value": raw_kind},
                )
            )
        if dept is None or year is None or kind is None:
            continue
        key = (dept, year, str(kind))
        if key in parsed:
            errors.append(
                RowError(
                    row.line,
                    "",
                    _("the same designation is also on line %(other)d") % {"other": parsed[key]},
                )
            )
            continue
        parsed[key] = row.line
    if errors:
        return ImportResult(ok=False, errors=sorted_errors(errors), rows=len(rows))
    years = {y for _d, y, _k in parsed}
    with transaction.atomic():
        removed, _detail = AreaDesignation.objects.filter(list_year__in=years).delete()
        AreaDesignation.objects.bulk_create(
            [AreaDesignation(department_id=d, list_year=y, kind=k) for d, y, k in parsed]
        )
        compute.recompute(on_date=on_date or timezone.localdate())
        audit_record(
            actor=actor,
            action="monitoring.designations_import",
            object_type="monitoring.Import",
            object_repr=filename[:255],
            after={"rows": len(parsed), "years": sorted(years), "replaced": removed},
        )
    return ImportResult(ok=True, rows=len(parsed), created=len(parsed), updated=removed)
