"""Twin departments: the k most similar departments on structural features.

Method:

1. Features per department: number of dwellings, build year, mean rent per m² a year, share of
   1–2-room dwellings, share of dwellings with 4 or more rooms, share of family dwellings.
2. Standardise every feature to a z-score over all departments compared
   ((x − mean) / population standard deviation). A feature with no spread gets z = 0; a missing
   value (no build year) is put at the mean (z = 0), so it neither attracts nor repels.
3. Distance is the Euclidean distance between z-score vectors (every feature weighs the same),
   rounded to 9 decimals.
4. The twins of a department are the k departments with the smallest distance, never the
   department itself; ties are broken by the lower department id, so the result is
   deterministic.

Deviation from twins: for each indicator, the department's value minus the median of its twins'
values (twins with suppressed or missing values are left out of that median).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from statistics import median

import numpy as np
import numpy.typing as npt

FEATURE_NAMES: tuple[str, ...] = (
    "dwellings",
    "build_year",
    "rent_per_m2",
    "share_small",
    "share_large",
    "share_family",
)


@dataclass(frozen=True)
class StructuralFeatures:
    department_id: int
    dwellings: int
    build_year: int | None
    rent_per_m2: float | None
    share_small: float
    share_large: float
    share_family: float

    def vector(self) -> list[float]:
        return [
            float(self.dwellings),
            float("nan") if self.build_year is None else float(self.build_year),
            float("nan") if self.rent_per_m2 is None else float(self.rent_per_m2),
            self.share_small,
            self.share_large,
            self.share_family,
        ]


@dataclass(frozen=True)
class Twin:
    department_id: int
    distance: float


def standardise(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Column-wise z-scores; NaN becomes 0 (the mean); a constant column becomes all 0."""
    with np.errstate(invalid="ignore"):
        mean = np.nanmean(matrix, axis=0) if matrix.size else np.zeros(matrix.shape[1])
        std = np.nanstd(matrix, axis=0) if matrix.size else np.zeros(matrix.shape[1])
    mean = np.where(np.isnan(mean), 0.0, mean)
    std = np.where(np.isnan(std) | (std == 0), 1.0, std)
    z = (matrix - mean) / std
    result: npt.NDArray[np.float64] = np.where(np.isnan(z), 0.0, z)
    return result


def find_twins(departments: Sequence[StructuralFeatures], k: int = 5) -> dict[int, list[Twin]]:
    """The k nearest departments of every department (see the module docstring).

    A k-d tree proposes the nearest candidates; distances are rounded to 9 decimals so that equal
    distances compare equal despite floating-point noise, and ordered by (distance, id). When
    the tie at the k-th place might reach beyond the proposed candidates, that department is
    decided by comparing it with every other department.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    n = len(departments)
    if n == 0:
        return {}
    ordered = sorted(departments, key=lambda d: d.department_id)
    ids = np.array([d.department_id for d in ordered], dtype=np.int64)
    z = standardise(np.array([d.vector() for d in ordered], dtype=np.float64))
    take = min(k, n - 1)
    if take == 0:
        return {int(i): [] for i in ids}
    query = min(n, take + 1 + _SLACK)
    # Imported here: scipy.spatial takes a tenth of a second, and this module is imported by
    # every process that loads the reports (the web workers among them) but runs in few.
    from scipy.spatial import cKDTree

    tree = cKDTree(z)
    raw_dist, raw_idx = tree.query(z, k=query)
    dist_all = np.round(np.asarray(raw_dist, dtype=np.float64).reshape(n, query), 9)
    idx_all = np.asarray(raw_idx, dtype=np.int64).reshape(n, query)
    out: dict[int, list[Twin]] = {}
    for i in range(n):
        keep = idx_all[i] != i
        cand = idx_all[i][keep]
        dist = dist_all[i][keep]
        order = np.lexsort((cand, dist))
        cand, dist = cand[order], dist[order]
        if query < n and dist[-1] <= dist[take - 1]:
            cand, dist = _exhaustive(z, i, take)
        out[int(ids[i])] = [
            Twin(int(ids[j]), float(d)) for j, d in zip(cand[:take], dist[:take], strict=True)
        ]
    return out


_SLACK = 8


def _exhaustive(
    z: npt.NDArray[np.float64], i: int, take: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Distances from department i to every other one, ordered by (distance, id)."""
    dist = np.round(np.sqrt(((z - z[i]) ** 2).sum(axis=1)), 9)
    dist[i] = np.inf
    order = np.lexsort((np.arange(len(z)), dist))[:take]
    return order.astype(np.int64), dist[order]


@dataclass(frozen=True)
class Deviation:
    indicator: str
    value: Decimal | None
    twins_median: Decimal | None
    twins_used: int

    @property
    def difference(self) -> Decimal | None:
        if self.value is None or self.twins_median is None:
            return None
        return self.value - self.twins_median


def deviation_from_twins(
    own: Mapping[str, Decimal | None],
    twins: Sequence[Mapping[str, Decimal | None]],
    indicators: Sequence[str],
    min_values: int = 1,
) -> list[Deviation]:
    """Per indicator: own value, median of the twins' known values, and how many twins counted.

    With fewer than `min_values` known twin values the median is withheld (None), so that a
    median never shows one or two other departments' figures."""
    result = []
    for name in indicators:
        known = [t[name] for t in twins if t.get(name) is not None]
        values = [v for v in known if v is not None]
        mid = Decimal(median(values)) if values and len(values) >= min_values else None
        result.append(Deviation(name, own.get(name), mid, len(values)))
    return result
