"""Bulk import of the housing stock from one CSV/XLSX file (or the API's items), one row per
dwelling.

All or nothing (`anvis.common.importing`): every row is parsed and validated first; if any row is
bad nothing is written and every error is reported with its line number. Otherwise
`services.stock_upsert` writes organisations, departments, entrances and dwellings by their
natural keys in one transaction. Columns: `docs/import-stock.md`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from anvis.common.importing import (
    Cells,
    Columns,
    FirstSeen,
    ImportOutcome,
    Refused,
    RowError,
    absent_fields,
    file_line,
    sorted_errors,
)
from anvis.common.tabular import Row
from anvis.permissions import Role, user_organisation_ids

from .models import Dwelling, DwellingType, Entrance, HousingOrganisation
from .services import StockRow, stock_upsert

TYPE_ALIASES = {
    "familie": DwellingType.FAMILY,
    "familiebolig": DwellingType.FAMILY,
    "family": DwellingType.FAMILY,
    "ungdom": DwellingType.YOUTH,
    "ungdomsbolig": DwellingType.YOUTH,
    "youth": DwellingType.YOUTH,
    "aeldre": DwellingType.SENIOR,
    "ældre": DwellingType.SENIOR,
    "aeldrebolig": DwellingType.SENIOR,
    "ældrebolig": DwellingType.SENIOR,
    "senior": DwellingType.SENIOR,
    "skaev": DwellingType.SKAEV,
    "skæv": DwellingType.SKAEV,
    "skaev_bolig": DwellingType.SKAEV,
    "skæv bolig": DwellingType.SKAEV,
    "bofaellesskab": DwellingType.SHARED,
    "bofællesskab": DwellingType.SHARED,
    "shared": DwellingType.SHARED,
    "privat": DwellingType.PRIVATE,
    "private": DwellingType.PRIVATE,
}
REQUIRED_COLUMNS = [
    "cvr",
    "afdelingsnr",
    "afdeling",
    "adresse",
    "postnr",
    "by",
    "vaerelser",
    "m2",
    "husleje",
]
OPTIONAL_COLUMNS = [
    "organisation",
    "bydel",
    "byggeaar",
    "dar_opgang",
    "etage",
    "doer",
    "type",
    "aconto",
    "depositum",
    "trinfri",
    "elevator",
    "koerestol",
    "husdyr",
    "dar_bolig",
]
COLUMN_ALIASES = {
    "byggear": "byggeaar",
    "dor": "doer",
    "korestol": "koerestol",
    "vaerelse": "vaerelser",
}


COLUMNS = Columns(REQUIRED_COLUMNS, OPTIONAL_COLUMNS, COLUMN_ALIASES)

FIELD_OF_COLUMN = {
    "bydel": "district",
    "byggeaar": "build_year",
    "type": "dwelling_type",
    "aconto": "aconto",
    "depositum": "deposit",
    "trinfri": "step_free",
    "elevator": "elevator",
    "koerestol": "wheelchair",
    "husdyr": "pets_allowed",
    "dar_bolig": "dar_id",
}
"""The optional columns that update a stored department or dwelling only when the file has
them (a file with the required columns alone changes no district, a conto or feature)."""


@dataclass
class ImportResult(ImportOutcome):
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)


def _parse(row: Row, errors: list[RowError]) -> StockRow:
    p = Cells(row, errors)
    cvr = p.text("cvr", required=True)
    if cvr and not re.fullmatch(r"[0-9]{8}", cvr):
        p.err("cvr", _("must be exactly 8 digits (got '%(value)s')") % {"value": cvr})
    postal = p.text("postnr", required=True)
    if postal and not re.fullmatch(r"[0-9]{4}", postal):
        p.err("postnr", _("must be 4 digits (got '%(value)s')") % {"value": postal})
    raw_type = p.text("type").lower()
    dwelling_type = TYPE_ALIASES.get(raw_type or "familie")
    if dwelling_type is None:
        p.err(
            "type",
            _(
                "unknown dwelling type '%(value)s'; use familie, ungdom, ældre, skæv, bofællesskab or privat"
            )
            % {"value": raw_type},
        )
        dwelling_type = DwellingType.FAMILY
    build_year_raw = p.text("byggeaar")
    build_year = (
        p.integer("byggeaar", required=False, minimum=1600, maximum=2100)
        if build_year_raw
        else None
    )
    return StockRow(
        line=row.line,
        cvr=cvr,
        org_name=p.text("organisation"),
        dept_number=p.text("afdelingsnr", required=True, max_length=20),
        dept_name=p.text("afdeling", required=True),
        district=p.text("bydel", max_length=100),
        build_year=build_year,
        street=p.text("adresse", required=True),
        postal_code=postal,
        city=p.text("by", required=True, max_length=100),
        entrance_dar=p.uuid("dar_opgang"),
        floor=p.text("etage", max_length=10),
        door=p.text("doer", max_length=10),
        dwelling_type=str(dwelling_type),
        rooms=p.integer("vaerelser", required=True, minimum=1, maximum=20),
        area_m2=p.integer("m2", required=True, minimum=1, maximum=1000),
        rent=p.integer("husleje", required=True, minimum=0, maximum=100_000),
        aconto=p.integer("aconto", required=False, minimum=0, maximum=100_000),
        deposit=p.integer("depositum", required=False, minimum=0, maximum=1_000_000),
        step_free=p.boolean("trinfri"),
        elevator=p.boolean("elevator"),
        wheelchair=p.boolean("koerestol"),
        pets_allowed=p.boolean("husdyr"),
        dwelling_dar=p.uuid("dar_bolig"),
        absent=absent_fields(row, FIELD_OF_COLUMN),
    )


def import_stock(data: bytes | IO[bytes], filename: str, *, actor: Any) -> ImportResult:
    """Validate the whole file, then upsert it in one transaction, or write nothing."""
    try:
        rows = COLUMNS.read(data, filename)
    except Refused as refused:
        return ImportResult(ok=False, errors=refused.errors)
    return import_stock_rows(rows, actor=actor, source=filename)


def import_stock_rows(
    rows: list[Row], *, actor: Any, source: str, where: Callable[[int], str] = file_line
) -> ImportResult:
    """Rows already in hand (the API's items): parse, validate, upsert, or write nothing.
    ``where`` names another row in a message (a file's line, or the API's item)."""
    try:
        rows = COLUMNS.check(COLUMNS.required, COLUMNS.fold(rows))
    except Refused as refused:
        return ImportResult(ok=False, errors=refused.errors)
    errors: list[RowError] = []
    parsed = [_parse(row, errors) for row in rows]
    _check_consistency(parsed, errors, where)
    _check_dar_ids(parsed, errors, where)
    _check_rights(parsed, actor, errors)
    if errors:
        return ImportResult(ok=False, errors=sorted_errors(errors), rows=len(rows))
    try:
        created, updated = stock_upsert(actor=actor, rows=parsed, source=source)
    except IntegrityError as exc:
        message = _(
            "the file conflicts with data already in Anvis (for example a DAR id used by another dwelling); nothing was imported"
        )
        return ImportResult(
            ok=False,
            errors=[RowError(1, "", f"{message}: {exc.__class__.__name__}")],
            rows=len(parsed),
        )
    return ImportResult(ok=True, created=created, updated=updated, rows=len(parsed))


def _check_consistency(
    parsed: list[StockRow], errors: list[RowError], where: Callable[[int], str]
) -> None:
    units = FirstSeen[tuple[str, str, str, str, str, str]](
        _("the same dwelling is also in %(other)s"), where=where
    )
    dar_units = FirstSeen[uuid.UUID](
        _("is also used in %(other)s"), column="dar_bolig", where=where
    )
    departments: dict[tuple[str, str], StockRow] = {}
    entrances: dict[tuple[str, str, str, str], StockRow] = {}
    org_names: dict[str, StockRow] = {}
    for p in parsed:
        units.repeated(_dwelling_key(p), p.line, errors)
        dept = departments.setdefault((p.cvr, p.dept_number), p)
        if dept is not p:
            for column, a, b in (
                ("afdeling", dept.dept_name, p.dept_name),
                ("bydel", dept.district, p.district),
                ("byggeaar", dept.build_year, p.build_year),
            ):
                if a != b:
                    errors.append(
                        RowError(
                            p.line,
                            column,
                            _("differs from %(other)s for the same department")
                            % {"other": where(dept.line)},
                        )
                    )
        _check_entrance(p, entrances, errors, where)
        if p.org_name:
            first = org_names.setdefault(p.cvr, p)
            if first is not p and first.org_name != p.org_name:
                errors.append(
                    RowError(
                        p.line,
                        "organisation",
                        _("differs from %(other)s for the same CVR number")
                        % {"other": where(first.line)},
                    )
                )
        if p.dwelling_dar:
            dar_units.repeated(p.dwelling_dar, p.line, errors)
    known = set(
        HousingOrganisation.objects.filter(cvr__in={p.cvr for p in parsed}).values_list(
            "cvr", flat=True
        )
    )
    for p in parsed:
        if p.cvr not in known and not org_names.get(p.cvr) and p.cvr:
            errors.append(
                RowError(
                    p.line,
                    "organisation",
                    _("is required for a new organisation (CVR %(cvr)s)") % {"cvr": p.cvr},
                )
            )
            known.add(p.cvr)  # report once per CVR


def _entrance_key(p: StockRow) -> tuple[str, str, str, str]:
    return (p.cvr, p.dept_number, p.street.lower(), p.postal_code)


def _dwelling_key(p: StockRow) -> tuple[str, str, str, str, str, str]:
    return (*_entrance_key(p), p.floor.lower(), p.door.lower())


def _check_dar_ids(
    parsed: list[StockRow], errors: list[RowError], where: Callable[[int], str]
) -> None:
    """A DAR id belongs to one entrance and one dwelling: one the file gives two entrances, or
    one a stored entrance or dwelling the file does not name already has, is told on its line
    (the database would refuse the whole file without saying where)."""
    first_entrance: dict[uuid.UUID, StockRow] = {}
    for p in parsed:
        if p.entrance_dar is not None:
            first = first_entrance.setdefault(p.entrance_dar, p)
            if _entrance_key(first) != _entrance_key(p):
                errors.append(
                    RowError(
                        p.line,
                        "dar_opgang",
                        _("is also used in %(other)s") % {"other": where(first.line)},
                    )
                )
    entrance_keys = {_entrance_key(p) for p in parsed}
    for dar_id, cvr, number, street, postal in Entrance.objects.filter(
        dar_id__in=set(first_entrance)
    ).values_list(
        "dar_id", "department__organisation__cvr", "department__number", "street", "postal_code"
    ):
        p = first_entrance[dar_id]
        if (cvr, number, street.lower(), postal) not in entrance_keys:
            errors.append(
                RowError(
                    p.line, "dar_opgang", _("is already the DAR id of another entrance in Anvis")
                )
            )
    dwelling_dars = {p.dwelling_dar: p for p in parsed if p.dwelling_dar is not None}
    dwelling_keys = {_dwelling_key(p) for p in parsed}
    for dar_id, cvr, number, street, postal, floor, door in Dwelling.objects.filter(
        dar_id__in=set(dwelling_dars)
    ).values_list(
        "dar_id",
        "entrance__department__organisation__cvr",
        "entrance__department__number",
        "entrance__street",
        "entrance__postal_code",
        "floor",
        "door",
    ):
        if (cvr, number, street.lower(), postal, floor.lower(), door.lower()) not in dwelling_keys:
            errors.append(
                RowError(
                    dwelling_dars[dar_id].line,
                    "dar_bolig",
                    _("is already the DAR id of another dwelling in Anvis"),
                )
            )


def _check_entrance(
    p: StockRow,
    entrances: dict[tuple[str, str, str, str], StockRow],
    errors: list[RowError],
    where: Callable[[int], str],
) -> None:
    """The rows of one entrance give it one town and one DAR id (a row without the DAR id
    keeps the entrance's): otherwise one row's value would be dropped without a word."""
    key = _entrance_key(p)
    first = entrances.setdefault(key, p)
    if first is p:
        return
    if first.entrance_dar is None and p.entrance_dar is not None:
        entrances[key] = p  # the row that gives the DAR id speaks for the entrance's
    for column, a, b in (
        ("by", first.city, p.city),
        ("dar_opgang", first.entrance_dar, p.entrance_dar),
    ):
        if a != b and (column == "by" or (a is not None and b is not None)):
            errors.append(
                RowError(
                    p.line,
                    column,
                    _("differs from %(other)s for the same entrance")
                    % {"other": where(first.line)},
                )
            )


def _check_rights(parsed: list[StockRow], actor: Any, errors: list[RowError]) -> None:
    if actor is None or getattr(actor, "role", None) == Role.ADMIN:
        return
    own = set(
        HousingOrganisation.objects.filter(pk__in=user_organisation_ids(actor)).values_list(
            "cvr", flat=True
        )
    )
    for p in parsed:
        if p.cvr and p.cvr not in own:
            errors.append(
                RowError(
                    p.line,
                    "cvr",
                    _("you may only import your own organisations' stock (CVR %(cvr)s)")
                    % {"cvr": p.cvr},
                )
            )
