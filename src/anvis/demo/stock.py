"""A deterministic housing stock for a fictional municipality (Aalborg's size) or the nation.

Aalborg scale: 20 organisations, about 250 departments, about 30,000 dwellings. National scale:
560 organisations, 7,000 departments, about 590,000 dwellings. Rents follow about 899 kr per m²
a year, cheaper in older and dearer in newer buildings, with a department-level spread, so that
roughly 8 % of family dwellings rent for under 3,500 kr a month (domain.md § 4).

Rows are written with explicit ids: PostgreSQL through COPY, SQLite through executemany, so the
national scale loads in well under a minute.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Any

from anvis.demo.bulk import reset_sequences, write_rows
from anvis.demo.context import DemoContext, weighted
from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation
from anvis.stock.services import DWELLING_FIELDS

ORG_PREFIXES = [
    "Limfjordens",
    "Nordkystens",
    "Vesterå",
    "Østerbro",
    "Skovbakkens",
    "Fjordbyens",
    "Himmelbjerg",
    "Engparkens",
    "Lindholm",
    "Rørdals",
    "Klarup",
    "Vestbyens",
    "Sønderbro",
    "Kildeparkens",
    "Hasle",
    "Gugvej",
    "Egebakkens",
    "Mølleparkens",
    "Strandvejens",
    "Bakkebyens",
]
ORG_SUFFIXES = ["Boligselskab", "Boligforening", "Bolig", "Almene Boliger", "Boligkontor"]
DISTRICTS = [
    "Aalborg Centrum",
    "Aalborg Øst",
    "Aalborg Vest",
    "Vejgaard",
    "Nørresundby",
    "Hasseris",
    "Gug",
    "Svenstrup",
    "Vodskov",
    "Nibe",
    "Hals",
    "Storvorde",
    "Klarup",
    "Sulsted",
    "Skalborg",
]
CITY_BY_DISTRICT = {
    "Nørresundby": ("9400", "Nørresundby"),
    "Svenstrup": ("9230", "Svenstrup J"),
    "Vodskov": ("9310", "Vodskov"),
    "Nibe": ("9240", "Nibe"),
    "Hals": ("9370", "Hals"),
    "Storvorde": ("9280", "Storvorde"),
    "Klarup": ("9270", "Klarup"),
    "Sulsted": ("9381", "Sulsted"),
    "Aalborg Øst": ("9220", "Aalborg Øst"),
    "Gug": ("9210", "Aalborg SØ"),
    "Vejgaard": ("9000", "Aalborg"),
    "Skalborg": ("9200", "Aalborg SV"),
    "Aalborg Vest": ("9200", "Aalborg SV"),
}
STREETS = [
    "Kastetvej",
    "Hobrovej",
    "Sohngårdsholmsvej",
    "Østerbrogade",
    "Vesterbro",
    "Lindholmsvej",
    "Tornhøjvej",
    "Fyrkildevej",
    "Humlebakken",
    "Solsortevej",
    "Anemonevej",
    "Borgergade",
    "Kildevej",
    "Skolevangen",
    "Mølleparkvej",
    "Egevej",
    "Bøgevej",
    "Rughaven",
    "Hvedemarken",
    "Byggeriets Allé",
    "Fjordparken",
    "Strandvejen",
    "Engvej",
    "Haslevej",
    "Rosenvængets Allé",
    "Toftevej",
    "Grønlandsvej",
    "Kollegievej",
    "Elmevej",
    "Havrevej",
]
DEPT_NAMES = [
    "Parken",
    "Haven",
    "Bakken",
    "Gården",
    "Vænget",
    "Toften",
    "Engen",
    "Lunden",
    "Høj",
    "Have",
    "Park",
    "Kvarteret",
    "Husene",
    "Stien",
    "Byen",
]
NATIONAL_CITIES = [
    ("1000", "København K"),
    ("2300", "København S"),
    ("2400", "København NV"),
    ("2650", "Hvidovre"),
    ("2620", "Albertslund"),
    ("2630", "Taastrup"),
    ("4000", "Roskilde"),
    ("5000", "Odense C"),
    ("5220", "Odense SØ"),
    ("6000", "Kolding"),
    ("6700", "Esbjerg"),
    ("7100", "Vejle"),
    ("7400", "Herning"),
    ("8000", "Aarhus C"),
    ("8210", "Aarhus V"),
    ("8220", "Brabrand"),
    ("8700", "Horsens"),
    ("8900", "Randers C"),
    ("9000", "Aalborg"),
    ("9800", "Hjørring"),
]
FLOORS = ["st", "1", "2", "3", "4"]
DOORS = ["tv", "th", "mf"]

# (rooms, share) for family dwellings and the mean area per room count.
FAMILY_ROOMS = [(1, 0.075), (2, 0.315), (3, 0.36), (4, 0.20), (5, 0.05)]
AREA_BY_ROOMS = {1: 42, 2: 62, 3: 80, 4: 98, 5: 116}
BASE_RATE = 899  # kr per m² a year (LBF 2023)


def _year(rng: random.Random) -> int:
    low, high = weighted(
        rng,
        [
            ((1930, 1959), 0.12),
            ((1960, 1979), 0.40),
            ((1980, 1999), 0.25),
            ((2000, 2015), 0.15),
            ((2016, 2024), 0.08),
        ],
    )
    return rng.randint(low, high)


def _age_factor(year: int) -> float:
    if year < 1960:
        return 0.86
    if year < 1980:
        return 0.90
    if year < 2000:
        return 1.02
    if year < 2016:
        return 1.18
    return 1.30


@dataclass
class _Rows:
    """The generated rows and the running numbers between departments."""

    orgs: list[tuple[Any, ...]]
    depts: list[tuple[Any, ...]] = field(default_factory=list)
    entrances: list[tuple[Any, ...]] = field(default_factory=list)
    dwellings: list[tuple[Any, ...]] = field(default_factory=list)
    street_counter: dict[tuple[str, str], int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Building:
    """What every dwelling of one department shares."""

    kind: str
    year: int
    floors: int
    doors: int
    elevator: bool
    pets: bool
    rate: float


def generate(ctx: DemoContext) -> dict[str, list[tuple[Any, ...]]]:
    rng = ctx.rng_for("stock")
    if ctx.national:
        n_orgs, n_depts, mean_size = 560, 7000, 89
    else:
        n_orgs, n_depts, mean_size = 20, 250, 120
    rows = _Rows(orgs=_organisations(rng, n_orgs))
    # Organisation sizes are skewed: a few large, many small.
    org_weights = [1.0 / (k + 3) ** 0.9 for k in range(n_orgs)]
    total_w = sum(org_weights)
    dept_no_by_org: dict[int, int] = {}
    for d in range(n_depts):
        org_id = 1 + _pick_index(rng, org_weights, total_w) if d >= n_orgs else d + 1
        dept_no_by_org[org_id] = dept_no_by_org.get(org_id, 0) + 1
        _department(rng, ctx, rows, d + 1, org_id, str(dept_no_by_org[org_id]), mean_size)
    return {
        "orgs": rows.orgs,
        "depts": rows.depts,
        "entrances": rows.entrances,
        "dwellings": rows.dwellings,
    }


def _organisations(rng: random.Random, n_orgs: int) -> list[tuple[Any, ...]]:
    orgs: list[tuple[Any, ...]] = []
    for i in range(n_orgs):
        prefix = ORG_PREFIXES[i % len(ORG_PREFIXES)]
        suffix = ORG_SUFFIXES[(i // len(ORG_PREFIXES)) % len(ORG_SUFFIXES)]
        number = "" if i < len(ORG_PREFIXES) * len(ORG_SUFFIXES) else f" {i}"
        name = f"{prefix} {suffix}{number}"
        orgs.append(
            (
                i + 1,
                name,
                f"{30000000 + i * 7919:08d}",
                rng.choice(["EG Bolig", "Unik Bolig", ""]),
                "",
            )
        )
    return orgs


def _department(
    rng: random.Random,
    ctx: DemoContext,
    rows: _Rows,
    dept_id: int,
    org_id: int,
    number: str,
    mean_size: int,
) -> None:
    """One department with its entrances and dwellings."""
    kind = weighted(
        rng,
        [
            ("family", 0.80),
            ("youth", 0.08),
            ("senior", 0.07),
            ("skaev", 0.03),
            ("shared", 0.02),
        ],
    )
    year = _year(rng)
    if ctx.national:
        postal, city = NATIONAL_CITIES[(dept_id - 1) % len(NATIONAL_CITIES)]
        district = city
    else:
        district = DISTRICTS[int(rng.random() ** 1.3 * len(DISTRICTS))]
        postal, city = CITY_BY_DISTRICT.get(district, ("9000", "Aalborg"))
    stem = rng.choice(STREETS).split()[0].removesuffix("vej").removesuffix("gade")
    name = f"{stem}{rng.choice(DEPT_NAMES).lower()}"
    rows.depts.append((dept_id, org_id, number, name.capitalize(), district, postal, year))
    if kind == "skaev":
        size = rng.randint(4, 12)
    elif kind == "shared":
        size = rng.randint(6, 16)
    else:
        size = max(8, int(rng.lognormvariate(math.log(mean_size) - 0.32, 0.8)))
    rate = BASE_RATE * _age_factor(year) * rng.uniform(0.88, 1.12)
    pets = rng.random() < 0.5
    floors = (
        1
        if kind in {"skaev", "shared"}
        else (rng.choice([3, 4, 4, 5]) if year < 1990 else rng.choice([3, 4, 5]))
    )
    doors = 2 if kind != "youth" else 3
    elevator = year >= 1990 or kind == "senior" or (floors >= 5 and rng.random() < 0.3)
    building = _Building(kind, year, floors, doors, elevator, pets, rate)
    remaining = size
    while remaining > 0:
        street = rng.choice(STREETS)
        key = (street, postal)
        rows.street_counter[key] = rows.street_counter.get(key, 0) + 1
        entrance_id = len(rows.entrances) + 1
        address = f"{street} {rows.street_counter[key]}"
        rows.entrances.append((entrance_id, dept_id, address, postal, city, None))
        count = min(floors * doors, remaining)
        remaining -= count
        for unit in range(count):
            rows.dwellings.append(
                _dwelling(rng, building, entrance_id, unit, len(rows.dwellings) + 1)
            )


def _dwelling(
    rng: random.Random, b: _Building, entrance_id: int, unit: int, dwelling_id: int
) -> tuple[Any, ...]:
    floor = FLOORS[unit // b.doors] if b.floors > 1 else ""
    door = DOORS[unit % b.doors] if b.floors > 1 else str(unit + 1)
    rooms, area, dtype = _unit(rng, b.kind)
    rent = int(round(area * b.rate / 12 / 5) * 5)
    if b.kind == "skaev":
        rent = rng.randint(2300, 3300)
    ground = floor in {"", "st"}
    step_free = ground or b.elevator
    wheelchair = step_free and (b.year >= 2000 or b.kind == "senior") and rng.random() < 0.5
    aconto = int(round(area * rng.uniform(7, 11) / 10) * 10)
    deposit = rent * 3
    return (
        dwelling_id,
        entrance_id,
        floor,
        door,
        dtype,
        rooms,
        area,
        rent,
        aconto,
        deposit,
        step_free,
        b.elevator,
        wheelchair,
        b.pets,
        None,
    )


def _pick_index(rng: random.Random, weights: list[float], total: float) -> int:
    roll = rng.random() * total
    acc = 0.0
    for index, weight in enumerate(weights):
        acc += weight
        if roll < acc:
            return index
    return len(weights) - 1


def _unit(rng: random.Random, kind: str) -> tuple[int, int, str]:
    if kind == "youth":
        rooms = 1 if rng.random() < 0.7 else 2
        return rooms, rng.randint(24, 38) + (14 if rooms == 2 else 0), "youth"
    if kind == "senior":
        rooms = 2 if rng.random() < 0.6 else 3
        return rooms, int(AREA_BY_ROOMS[rooms] * rng.uniform(0.85, 1.0)), "senior"
    if kind == "skaev":
        return 1, rng.randint(28, 40), "skaev"
    if kind == "shared":
        return 1, rng.randint(22, 34), "shared"
    rooms = weighted(rng, FAMILY_ROOMS)
    return rooms, max(22 + 10 * rooms, int(rng.gauss(AREA_BY_ROOMS[rooms], 8))), "family"


TABLES = [
    ("orgs", HousingOrganisation, ["id", "name", "cvr", "admin_system", "contact_email"]),
    (
        "depts",
        Department,
        ["id", "organisation_id", "number", "name", "district", "postal_code", "build_year"],
    ),
    ("entrances", Entrance, ["id", "department_id", "street", "postal_code", "city", "dar_id"]),
    (
        "dwellings",
        Dwelling,
        ["id", "entrance_id", "floor", "door", *DWELLING_FIELDS],
    ),
]


def load(ctx: DemoContext) -> None:
    data = generate(ctx)
    for key, model, columns in TABLES:
        write_rows(model, columns, data[key])
    reset_sequences([model for _key, model, _cols in TABLES])
    # The rows as written, for the loaders after this one that need the whole stock.
    ctx.data["stock"] = data
    family = [row for row in data["dwellings"] if row[4] == "family"]
    cheap = sum(1 for row in family if row[7] < 3500)
    ctx.log(
        f"  stock: {len(data['orgs'])} organisations, {len(data['depts'])} departments, "
        f"{len(data['entrances'])} entrances, {len(data['dwellings'])} dwellings; "
        f"{cheap / max(1, len(family)):.1%} of family dwellings under 3,500 kr"
    )
