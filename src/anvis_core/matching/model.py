"""The domain form of the matching problem: citizens, dwellings, caps and policy.

Plain frozen dataclasses; the Django side converts its models into these. Money is in whole
kroner per month (``daily_rent`` is kroner per day and only feeds the void-rent weight).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from anvis_core.cases.household import AGE_BANDS, PERSONS_PER_ROOM, AgeBand
from anvis_core.rent_ceiling import CeilingTerms

__all__ = ["AGE_BANDS", "AgeBand"]

NEEDS: tuple[str, ...] = ("step_free", "elevator", "wheelchair", "ground_floor")
"""Accessibility needs a citizen may have and features a dwelling may offer."""

MAX_FLOOR = 63
"""Floors are numbered 0 (ground floor) to 63."""


@dataclass(frozen=True)
class Citizen:
    """A waiting citizen as the matching engine sees them.

    ``priority`` is the published priority score, computed elsewhere. ``barred_until`` is the
    date until which the citizen may not be placed in a designated area (``None``: no bar).

    The case's state in the flow: ``waiting`` (False when the case is not waiting for a
    dwelling), ``paused_until`` (the last day of a pause), ``has_active_offer`` and
    ``declined_units`` (the dwellings, :attr:`Dwelling.unit`, the citizen has declined or let
    expire, or the organisation rejected them for). ``housed_since`` is the move-in day of a
    tenancy the citizen got through the agreement and that is not recorded as ended (``None``:
    no such tenancy). Ranking pools hold waiting citizens only, so
    these matter when one citizen is checked for one dwelling (the offer gate).

    ``max_rent`` is ``None`` when the citizen's maximum rent is not known (no income recorded
    and no override): such a citizen may get a dwelling up to the ceiling of the terms that
    judge that dwelling (`anvis_core.matching.eligibility.max_rent_for`), so the same citizen
    is judged by each vacancy's own ceiling, in one ranking and in a batch alike.
    """

    id: str
    priority: float
    max_rent: int | None
    household_persons: int = 1
    min_rooms: int = 1
    needs: frozenset[str] = frozenset()
    pets: bool = False
    barred_until: date | None = None
    excluded_districts: frozenset[str] = frozenset()
    excluded_departments: frozenset[str] = frozenset()
    wished_districts: frozenset[str] = frozenset()
    wished_departments: frozenset[str] = frozenset()
    preferred_floors: frozenset[int] = frozenset()
    age_band: AgeBand = "older"
    waiting: bool = True
    paused_until: date | None = None
    has_active_offer: bool = False
    declined_units: frozenset[str] = frozenset()
    housed_since: date | None = None
    can_pay: int | None = None
    """What the household can pay a month for housing (rent and a conto, after the housing
    benefit), from its income; ``None`` when unknown or when the caseworker set the maximum rent
    by hand (then ``max_rent`` is judged against the rent, as before)."""
    benefit_income: int | None = None
    """The household income a year as boligstøtte counts it; ``None`` when not recorded (then
    ``max_rent`` is judged against the rent)."""
    children: int = 0
    pensioner: bool = False
    """A folkepensionist lives in the household: the benefit is boligydelse."""
    disability_pension: bool = False

    @property
    def affordability_estimated(self) -> bool:
        """Affordability is judged on rent + a conto − the estimated housing benefit."""
        return self.can_pay is not None and self.benefit_income is not None

    def __post_init__(self) -> None:
        unknown = self.needs - set(NEEDS)
        if unknown:
            raise ValueError(f"citizen {self.id!r}: unknown need {sorted(unknown)[0]!r}")
        if self.age_band not in AGE_BANDS:
            raise ValueError(f"citizen {self.id!r}: unknown age band {self.age_band!r}")
        bad = [f for f in self.preferred_floors if not 0 <= f <= MAX_FLOOR]
        if bad:
            raise ValueError(f"citizen {self.id!r}: floor {bad[0]} outside 0..{MAX_FLOOR}")
        if (
            self.household_persons < 1
            or self.min_rooms < 0
            or (self.max_rent is not None and self.max_rent < 0)
        ):
            raise ValueError(f"citizen {self.id!r}: household, rooms and rent must be positive")


@dataclass(frozen=True)
class Dwelling:
    """A vacant dwelling. ``entrance_id`` is the stairwell (opgang).

    ``designated_area``: the dwelling's department lies in a designated area (citizens with a
    bar may not be placed there). ``age_group``: the dwelling or its entrance is reserved for
    young or for older citizens (separation), ``None`` if not flagged. ``available_since`` and
    ``daily_rent`` give the void rent accrued while the dwelling is held. ``unit`` is the
    physical dwelling (``id`` is the vacancy, a dwelling can be vacant many times); empty means
    the same as ``id``.
    """

    id: str
    rent: int
    rooms: int
    district: str
    department_id: str
    entrance_id: str
    organisation_id: str
    floor: int = 0
    features: frozenset[str] = frozenset()
    pets_allowed: bool = False
    designated_area: bool = False
    age_group: AgeBand | None = None
    available_since: date | None = None
    daily_rent: float = 0.0
    unit: str = ""
    aconto: int = 0
    """A conto (heating, water) per month, for an agreement that judges the gross rent."""
    area_m2: int = 0
    """The dwelling's area (the housing benefit counts a limited area per person); 0: unknown."""
    ceiling: CeilingTerms | None = None
    """The rent-ceiling terms of the agreement version that judged the vacancy (its turn): an
    accepted vacancy keeps being judged by the terms it was accepted under, as its deadlines,
    void rent and guarantees are. ``None``: the context's policy."""
    agreement_in_force: bool | None = None
    """Whether an allocation agreement is in force for the dwelling's organisation on the day
    (rule ``no_agreement``): a batch holds vacancies of organisations under different agreements,
    or under none. ``None``: the context's policy (:attr:`Policy.agreement_in_force`)."""

    @property
    def unit_id(self) -> str:
        return self.unit or self.id

    def __post_init__(self) -> None:
        unknown = self.features - set(NEEDS)
        if unknown:
            raise ValueError(f"dwelling {self.id!r}: unknown feature {sorted(unknown)[0]!r}")
        if self.age_group is not None and self.age_group not in AGE_BANDS:
            raise ValueError(f"dwelling {self.id!r}: unknown age group {self.age_group!r}")
        if not 0 <= self.floor <= MAX_FLOOR:
            raise ValueError(f"dwelling {self.id!r}: floor {self.floor} outside 0..{MAX_FLOOR}")

    def void_days(self, as_of: date) -> int:
        if self.available_since is None:
            return 0
        return max(0, (as_of - self.available_since).days)


@dataclass(frozen=True)
class CapState:
    """A cap on new placements in a window: at most ``max`` (and, for organisations, at least
    ``min``), of which ``placed`` have already been made."""

    max: int
    placed: int = 0
    min: int = 0

    @property
    def remaining(self) -> int:
        return max(0, self.max - self.placed)

    @property
    def reached(self) -> bool:
        return self.placed >= self.max


CapLevel = Literal["entrance", "department", "organisation"]
CAP_LEVELS: tuple[CapLevel, ...] = ("entrance", "department", "organisation")


def _frozen(m: Mapping[str, CapState]) -> Mapping[str, CapState]:
    return MappingProxyType(dict(m))


@dataclass(frozen=True)
class Caps:
    """Caps per entrance (stairwell), department and organisation, keyed by their ids. A unit
    without an entry has no cap."""

    entrance: Mapping[str, CapState] = field(default_factory=dict)
    department: Mapping[str, CapState] = field(default_factory=dict)
    organisation: Mapping[str, CapState] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for level in CAP_LEVELS:
            object.__setattr__(self, level, _frozen(getattr(self, level)))

    def for_dwelling(self, d: Dwelling) -> list[tuple[CapLevel, str, CapState]]:
        """The caps that apply to a dwelling, from the smallest unit to the largest."""
        out: list[tuple[CapLevel, str, CapState]] = []
        units: tuple[tuple[CapLevel, str, Mapping[str, CapState]], ...] = (
            ("entrance", d.entrance_id, self.entrance),
            ("department", d.department_id, self.department),
            ("organisation", d.organisation_id, self.organisation),
        )
        for level, key, caps in units:
            cap = caps.get(key)
            if cap is not None:
                out.append((level, key, cap))
        return out


@dataclass(frozen=True)
class Policy:
    """Agreement parameters used by the eligibility rules."""

    rent_ceiling: int = 5000
    persons_per_room: int = PERSONS_PER_ROOM
    ceiling_basis: str = "net"
    """``net`` or ``gross`` (rent + a conto), see `anvis_core.rent_ceiling`."""
    ceiling_comparison: str = "at_most"
    """``at_most`` or ``below``."""
    agreement_in_force: bool = True
    """False when no agreement is in force for the dwelling's organisation on the day: the
    values above are then defaults, not terms anyone agreed to (rule ``no_agreement``)."""


@dataclass(frozen=True)
class Context:
    """Everything besides the citizen and the dwelling that eligibility depends on."""

    as_of: date
    policy: Policy = Policy()
    caps: Caps = Caps()
    closed_departments: frozenset[str] = frozenset()
    """Departments closed to new placements by composition monitoring."""
