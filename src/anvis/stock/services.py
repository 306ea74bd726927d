"""Writes to the housing stock: the bulk upsert behind the file import and the API.

Rows arrive parsed and validated (`anvis.stock.importing`); here organisations, departments,
entrances and dwellings are upserted by their natural keys in one transaction with one audit row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from anvis.audit.services import audit_record
from anvis.common.db import refresh_table_statistics, tracking_writes

from .models import Department, Dwelling, Entrance, HousingOrganisation

Counts = dict[str, int]

DWELLING_FIELDS = [
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


@dataclass
class StockRow:
    """One dwelling with its organisation, department and entrance, as a file line gives it."""

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
    absent: frozenset[str] = frozenset()
    """Model fields whose column the file does not have: a stored department or dwelling keeps
    its value (a new one gets the default). An empty cell in a column the file has clears it."""

    def dwelling_values(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in DWELLING_FIELDS if name != "dar_id"}
        return {**values, "dar_id": self.dwelling_dar}

    def given(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` without the fields the file has no column for."""
        return {k: v for k, v in values.items() if k not in self.absent}


def stock_upsert(*, actor: Any, rows: list[StockRow], source: str) -> tuple[Counts, Counts]:
    """Upsert the rows in one transaction with one audit row; returns what was created and
    updated per level. Raises IntegrityError when the rows clash with stored data."""
    created: Counts = {}
    updated: Counts = {}
    with tracking_writes() as written, transaction.atomic():
        orgs = _organisations(rows, created, updated)
        depts = _departments(rows, orgs, created, updated)
        entrances = _entrances(rows, orgs, depts, created, updated)
        _dwellings(rows, orgs, depts, entrances, created, updated)
        audit_record(
            actor=actor,
            action="stock.import",
            object_type="stock.Import",
            object_repr=source[:255],
            after={"rows": len(rows), "created": created, "updated": updated},
        )
    # A large import leaves the planner's statistics stale (it would take the filled tables for
    # nearly empty ones and scan them whole) until autovacuum gets to them; refreshed now by
    # autovacuum's own measure, as after the demo load.
    refresh_table_statistics(written)
    return created, updated


def _organisations(
    rows: list[StockRow], created: Counts, updated: Counts
) -> dict[str, HousingOrganisation]:
    created["organisations"] = updated["organisations"] = 0
    orgs = {
        o.cvr: o
        for o in HousingOrganisation.objects.select_for_update().filter(
            cvr__in={p.cvr for p in rows}
        )
    }
    for p in rows:
        org = orgs.get(p.cvr)
        if org is None:
            orgs[p.cvr] = HousingOrganisation.objects.create(cvr=p.cvr, name=p.org_name)
            created["organisations"] += 1
        elif p.org_name and org.name != p.org_name:
            org.name = p.org_name
            org.save(update_fields=["name"])
            updated["organisations"] += 1
    return orgs


def _stored_departments(org_ids: set[int]) -> dict[tuple[int, str], Department]:
    return {
        (d.organisation_id, d.number): d
        for d in Department.objects.filter(organisation_id__in=org_ids)
    }


def _departments(
    rows: list[StockRow], orgs: dict[str, HousingOrganisation], created: Counts, updated: Counts
) -> dict[tuple[int, str], Department]:
    org_ids = {o.pk for o in orgs.values()}
    depts = _stored_departments(org_ids)
    new_depts: dict[tuple[int, str], Department] = {}
    changed_depts: dict[int, Department] = {}
    for p in rows:
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
            continue
        values = p.given(values)
        if (
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
    return _stored_departments(org_ids)


def _stored_entrances(dept_ids: set[int]) -> dict[tuple[int, str, str], Entrance]:
    return {
        (e.department_id, e.street.lower(), e.postal_code): e
        for e in Entrance.objects.filter(department_id__in=dept_ids)
    }


def _entrances(
    rows: list[StockRow],
    orgs: dict[str, HousingOrganisation],
    depts: dict[tuple[int, str], Department],
    created: Counts,
    updated: Counts,
) -> dict[tuple[int, str, str], Entrance]:
    dept_ids = {d.pk for d in depts.values()}
    entrances = _stored_entrances(dept_ids)
    new_entrances: dict[tuple[int, str, str], Entrance] = {}
    changed_entrances: dict[int, Entrance] = {}
    for p in rows:
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
    return _stored_entrances(dept_ids)


def _dwellings(
    rows: list[StockRow],
    orgs: dict[str, HousingOrganisation],
    depts: dict[tuple[int, str], Department],
    entrances: dict[tuple[int, str, str], Entrance],
    created: Counts,
    updated: Counts,
) -> None:
    dwellings = {
        (d.entrance_id, d.floor.lower(), d.door.lower()): d
        for d in Dwelling.objects.filter(entrance_id__in={e.pk for e in entrances.values()})
    }
    new_dwellings: list[Dwelling] = []
    changed: list[Dwelling] = []
    for p in rows:
        dept = depts[(orgs[p.cvr].pk, p.dept_number)]
        entrance = entrances[(dept.pk, p.street.lower(), p.postal_code)]
        values = p.dwelling_values()
        existing = dwellings.get((entrance.pk, p.floor.lower(), p.door.lower()))
        if existing is None:
            new_dwellings.append(Dwelling(entrance=entrance, floor=p.floor, door=p.door, **values))
            continue
        values = p.given(values)
        if any(getattr(existing, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(existing, k, v)
            changed.append(existing)
    Dwelling.objects.bulk_create(new_dwellings, batch_size=2000)
    Dwelling.objects.bulk_update(changed, DWELLING_FIELDS, batch_size=2000)
    created["dwellings"] = len(new_dwellings)
    updated["dwellings"] = len(changed)
