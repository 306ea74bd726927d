"""Bulk import of the housing stock from one CSV/XLSX file, one row per dwelling.

All or nothing: every row is validated first; if any row is bad nothing is written and every
error is reported with its line number. Otherwise organisations, departments, entrances and
dwellings are upserted by their natural keys in one transaction. Columns: `docs/import-stock.md`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from anvis.audit.services import audit_record
from anvis.core.db import ANALYZE_THRESHOLD, refresh_statistics
from anvis.core.tabular import FileFormatError, Row, read_rows
from anvis.permissions import Role, user_organisation_ids

from .models import Department, Dwelling, DwellingType, Entrance, HousingOrganisation

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
TRUE_WORDS = {"ja", "j", "1", "x", "sand", "true", "yes", "y"}
FALSE_WORDS = {"nej", "n", "0", "", "falsk", "false", "no"}

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


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Line %(line)d, column '%(column)s': %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    ok: bool
    errors: list[RowError] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    rows: int = 0


@dataclass
class _Parsed:
    line: int
    cvr: str
    org_name: str
    dept_number: str
    dept_name: str
    district: str
    build_year: int | None
    street: str
    postal_code: str
    city: str
    entrance_dar: uuid.UUID | None
    floor: str
    door: str
    dwelling_type: str
    rooms: int
    area_m2: int
    rent: int
    aconto: int
    deposit: int
    step_free: bool
    elevator: bool
    wheelchair: bool
    pets_allowed: bool
    dwelling_dar: uuid.UUID | None


_NUMBER = re.compile(r"^-?\d+$")


def parse_whole_number(text: str) -> int:
    """Whole kroner or counts as Danes write them: 3450, 3.450, 3 450, 3450,00."""
    cleaned = text.replace(" ", "").replace("\u00a0", "").replace("kr", "")
    if "," in cleaned:
        whole, _sep, frac = cleaned.partition(",")
        if frac.strip("0"):
            raise ValueError("fraction")
        cleaned = whole
    cleaned = cleaned.replace(".", "")
    if not _NUMBER.match(cleaned):
        raise ValueError("not a number")
    return int(cleaned)


class _RowParser:
    def __init__(self, row: Row, errors: list[RowError]):
        self.row = row
        self.errors = errors

    def err(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row.line, column, message))

    def text(self, column: str, required: bool = False, max_length: int = 200) -> str:
        value = self.row.values.get(column, "").strip()
        if required and not value:
            self.err(column, _("is required"))
        elif len(value) > max_length:
            self.err(column, _("may be at most %(n)d characters") % {"n": max_length})
        return value

    def integer(
        self,
        column: str,
        *,
        required: bool,
        minimum: int | None = None,
        maximum: int | None = None,
        default: int = 0,
    ) -> int:
        raw = self.row.values.get(column, "").strip()
        if not raw:
            if required:
                self.err(column, _("is required"))
            return default
        try:
            value = parse_whole_number(raw)
        except ValueError:
            self.err(column, _("must be a whole number (got '%(value)s')") % {"value": raw})
            return default
        if minimum is not None and value < minimum:
            self.err(
                column,
                _("must be at least %(min)d (got %(value)d)") % {"min": minimum, "value": value},
            )
        if maximum is not None and value > maximum:
            self.err(
                column,
                _("must be at most %(max)d (got %(value)d)") % {"max": maximum, "value": value},
            )
        return value

    def boolean(self, column: str) -> bool:
        raw = self.row.values.get(column, "").strip().lower()
        if raw in TRUE_WORDS:
            return True
        if raw in FALSE_WORDS:
            return False
        self.err(column, _("must be 'ja' or 'nej' (got '%(value)s')") % {"value": raw})
        return False

    def uuid(self, column: str) -> uuid.UUID | None:
        raw = self.row.values.get(column, "").strip()
        if not raw:
            return None
        try:
            return uuid.UUID(raw)
        except ValueError:
            self.err(column, _("must be a DAR id (UUID) (got '%(value)s')") % {"value": raw})
            return None


def _parse(row: Row, errors: list[RowError]) -> _Parsed:
    p = _RowParser(row, errors)
    cvr = p.text("cvr", required=True)
    if cvr and not re.fullmatch(r"\d{8}", cvr):
        p.err("cvr", _("must be exactly 8 digits (got '%(value)s')") % {"value": cvr})
    postal = p.text("postnr", required=True)
    if postal and not re.fullmatch(r"\d{4}", postal):
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
    return _Parsed(
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
    )


def import_stock(data: bytes, filename: str, *, actor: Any) -> ImportResult:
    """Validate the whole file, then upsert it in one transaction, or write nothing."""
    try:
        headers, rows = read_rows(data, filename)
    except FileFormatError as exc:
        return ImportResult(ok=False, errors=[RowError(1, "", str(exc))])
    return import_stock_rows(headers, rows, actor=actor, source=filename)


def import_stock_rows(
    headers: list[str], rows: list[Row], *, actor: Any, source: str
) -> ImportResult:
    """Parse, validate and upsert rows of the stock (from a file, or from the API's items,
    which come here as rows directly): every row is checked first; nothing is written unless
    all are good. `source` names the file (or the API) in the audit trail."""
    headers = [COLUMN_ALIASES.get(h, h) for h in headers]
    rows = [Row(r.line, {COLUMN_ALIASES.get(k, k): v for k, v in r.values.items()}) for r in rows]
    errors: list[RowError] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    unknown = [h for h in headers if h and h not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    for column in missing:
        errors.append(RowError(1, column, _("required column is missing")))
    for column in unknown:
        errors.append(RowError(1, column, _("unknown column")))
    if errors:
        return ImportResult(ok=False, errors=errors)
    if not rows:
        return ImportResult(ok=False, errors=[RowError(2, "", _("the file has no data rows"))])

    parsed = [_parse(row, errors) for row in rows]
    _check_consistency(parsed, errors)
    _check_rights(parsed, actor, errors)
    if errors:
        errors.sort(key=lambda e: (e.line, e.column))
        return ImportResult(ok=False, errors=errors, rows=len(rows))
    try:
        with transaction.atomic():
            created, updated = _upsert(parsed)
            audit_record(
                actor=actor,
                action="stock.import",
                object_type="stock.Import",
                object_repr=source[:255],
                after={"rows": len(parsed), "created": created, "updated": updated},
            )
    except IntegrityError as exc:
        message = _(
            "the file conflicts with data already in Anvis (for example a DAR id used by another dwelling); nothing was imported"
        )
        return ImportResult(
            ok=False,
            errors=[RowError(1, "", f"{message}: {exc.__class__.__name__}")],
            rows=len(parsed),
        )
    if sum(created.values()) + sum(updated.values()) >= ANALYZE_THRESHOLD:
        refresh_statistics(HousingOrganisation, Department, Entrance, Dwelling)
    return ImportResult(ok=True, created=created, updated=updated, rows=len(parsed))


def _check_consistency(parsed: list[_Parsed], errors: list[RowError]) -> None:
    seen_units: dict[tuple[str, str, str, str, str, str], int] = {}
    departments: dict[tuple[str, str], _Parsed] = {}
    org_names: dict[str, _Parsed] = {}
    dar_units: dict[uuid.UUID, int] = {}
    for p in parsed:
        key = (
            p.cvr,
            p.dept_number,
            p.street.lower(),
            p.postal_code,
            p.floor.lower(),
            p.door.lower(),
        )
        if key in seen_units:
            errors.append(
                RowError(
                    p.line,
                    "",
                    _("the same dwelling is also on line %(other)d") % {"other": seen_units[key]},
                )
            )
        else:
            seen_units[key] = p.line
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
                            _("differs from line %(other)d for the same department")
                            % {"other": dept.line},
                        )
                    )
        if p.org_name:
            first = org_names.setdefault(p.cvr, p)
            if first is not p and first.org_name != p.org_name:
                errors.append(
                    RowError(
                        p.line,
                        "organisation",
                        _("differs from line %(other)d for the same CVR number")
                        % {"other": first.line},
                    )
                )
        if p.dwelling_dar:
            if p.dwelling_dar in dar_units:
                errors.append(
                    RowError(
                        p.line,
                        "dar_bolig",
                        _("is also used on line %(other)d") % {"other": dar_units[p.dwelling_dar]},
                    )
                )
            dar_units.setdefault(p.dwelling_dar, p.line)
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


def _check_rights(parsed: list[_Parsed], actor: Any, errors: list[RowError]) -> None:
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


def _upsert(parsed: list[_Parsed]) -> tuple[dict[str, int], dict[str, int]]:
    created = {"organisations": 0, "departments": 0, "entrances": 0, "dwellings": 0}
    updated = dict.fromkeys(created, 0)

    orgs = {
        o.cvr: o
        for o in HousingOrganisation.objects.select_for_update().filter(
            cvr__in={p.cvr for p in parsed}
        )
    }
    for p in parsed:
        org = orgs.get(p.cvr)
        if org is None:
            orgs[p.cvr] = HousingOrganisation.objects.create(cvr=p.cvr, name=p.org_name)
            created["organisations"] += 1
        elif p.org_name and org.name != p.org_name:
            org.name = p.org_name
            org.save(update_fields=["name"])
            updated["organisations"] += 1

    org_ids = {o.pk for o in orgs.values()}
    depts = {
        (d.organisation_id, d.number): d
        for d in Department.objects.filter(organisation_id__in=org_ids)
    }
    new_depts: dict[tuple[int, str], Department] = {}
    changed_depts: dict[int, Department] = {}
    for p in parsed:
        key = (orgs[p.cvr].pk, p.dept_number)
        dept = depts.get(key) or new_depts.get(key)
        values = {
            "name": p.dept_name,
            "district": p.district,
            "build_year": p.build_year,
            "postal_code": p.postal_code,
        }
        if dept is None:
            new_depts[key] = Department(organisation_id=key[0], number=p.dept_number, **values)
        elif (
            dept.pk
            and key not in new_depts
            and (
                any(getattr(dept, k) != v for k, v in values.items() if k != "postal_code")
                or not dept.postal_code
            )
        ):
            for k, v in values.items():
                if k == "postal_code" and dept.postal_code:
                    continue
                setattr(dept, k, v)
            changed_depts[dept.pk] = dept
    Department.objects.bulk_create(new_depts.values())
    Department.objects.bulk_update(
        changed_depts.values(), ["name", "district", "build_year", "postal_code"]
    )
    created["departments"] = len(new_depts)
    updated["departments"] = len(changed_depts)
    depts = {
        (d.organisation_id, d.number): d
        for d in Department.objects.filter(organisation_id__in=org_ids)
    }

    dept_ids = {d.pk for d in depts.values()}
    entrances = {
        (e.department_id, e.street.lower(), e.postal_code): e
        for e in Entrance.objects.filter(department_id__in=dept_ids)
    }
    new_entrances: dict[tuple[int, str, str], Entrance] = {}
    changed_entrances: dict[int, Entrance] = {}
    for p in parsed:
        dept = depts[(orgs[p.cvr].pk, p.dept_number)]
        key = (dept.pk, p.street.lower(), p.postal_code)
        entrance = entrances.get(key)
        if entrance is None:
            if key not in new_entrances:
                new_entrances[key] = Entrance(
                    department=dept,
                    street=p.street,
                    postal_code=p.postal_code,
                    city=p.city,
                    dar_id=p.entrance_dar,
                )
        elif entrance.city != p.city or (p.entrance_dar and entrance.dar_id != p.entrance_dar):
            entrance.city = p.city
            entrance.dar_id = p.entrance_dar or entrance.dar_id
            changed_entrances[entrance.pk] = entrance
    Entrance.objects.bulk_create(new_entrances.values())
    Entrance.objects.bulk_update(changed_entrances.values(), ["city", "dar_id"])
    created["entrances"] = len(new_entrances)
    updated["entrances"] = len(changed_entrances)
    entrances = {
        (e.department_id, e.street.lower(), e.postal_code): e
        for e in Entrance.objects.filter(department_id__in=dept_ids)
    }

    fields = [
        "dwelling_type",
        "rooms",
        "area_m2",
        "rent",
        "aconto",
        "deposit",
        "step_free",
        "elevator",
        "wheelchair",
        "pets_allowed",
        "dar_id",
    ]
    entrance_ids = {e.pk for e in entrances.values()}
    dwellings = {
        (d.entrance_id, d.floor.lower(), d.door.lower()): d
        for d in Dwelling.objects.filter(entrance_id__in=entrance_ids)
    }
    new_dwellings: list[Dwelling] = []
    changed: list[Dwelling] = []
    for p in parsed:
        dept = depts[(orgs[p.cvr].pk, p.dept_number)]
        entrance = entrances[(dept.pk, p.street.lower(), p.postal_code)]
        values = {
            "dwelling_type": p.dwelling_type,
            "rooms": p.rooms,
            "area_m2": p.area_m2,
            "rent": p.rent,
            "aconto": p.aconto,
            "deposit": p.deposit,
            "step_free": p.step_free,
            "elevator": p.elevator,
            "wheelchair": p.wheelchair,
            "pets_allowed": p.pets_allowed,
            "dar_id": p.dwelling_dar,
        }
        existing = dwellings.get((entrance.pk, p.floor.lower(), p.door.lower()))
        if existing is None:
            new_dwellings.append(Dwelling(entrance=entrance, floor=p.floor, door=p.door, **values))
        elif any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            changed.append(existing)
    Dwelling.objects.bulk_create(new_dwellings, batch_size=2000)
    Dwelling.objects.bulk_update(changed, fields, batch_size=2000)
    created["dwellings"] = len(new_dwellings)
    updated["dwellings"] = len(changed)
    return created, updated
