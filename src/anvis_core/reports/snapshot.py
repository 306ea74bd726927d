"""The report's input: a plain, JSON-serialisable snapshot of the figures' source rows.

The snapshot holds no names, CPR numbers or database ids of citizens: a citizen is a running
number inside the snapshot, ages are bands, and dates are ISO strings. Its SHA-256 over the
canonical JSON (sorted keys, no whitespace) identifies the inputs a report was made from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from anvis_core.quotas import LedgerRecord, Outcome, Quarter

SNAPSHOT_FORMAT = 1
#: The selected quarter and the quarters before it shown for comparison.
COMPARISON_QUARTERS = 4


def canonical_json(snapshot: dict[str, Any]) -> str:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()


def quarters_for(quarter: Quarter, n: int = COMPARISON_QUARTERS) -> list[Quarter]:
    """`quarter` and the n-1 quarters before it, oldest first."""
    out = [quarter]
    while len(out) < n:
        out.insert(0, out[0].previous())
    return out


def d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(frozen=True)
class VacancyRow:
    organisation: str
    report_date: dt.date
    accepted_on: dt.date | None  # the municipality accepted (answer date)
    first_offer_on: dt.date | None
    lease_signed_on: dt.date | None
    move_in_on: dt.date | None
    rent: int


@dataclass(frozen=True)
class CaseRow:
    citizen: int
    opened_on: dt.date
    waiting_since: dt.date
    closed_on: dt.date | None
    housed_on: dt.date | None
    situation: str
    age_band: str
    sex: str
    max_rent: int | None
    by_budget: bool = False
    """The gate judges the case on a housing budget (rent + a conto − the estimated housing
    benefit, `anvis_core.cases.economy.household_can_pay`), not on a maximum rent: the supply
    gap counts it on its own row. Snapshots made before 8 December 2026 lack it (False, and
    their supply gap has no such row: `Snapshot.tells_budget`)."""


@dataclass(frozen=True)
class Snapshot:
    quarter: Quarter
    quarters: list[Quarter]
    as_of: dt.date
    raw: dict[str, Any]

    @classmethod
    def load(cls, raw: dict[str, Any]) -> Snapshot:
        if raw.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"unknown snapshot format {raw.get('format')!r}")
        quarter = Quarter.parse(raw["quarter"])
        return cls(quarter, quarters_for(quarter), dt.date.fromisoformat(raw["as_of"]), raw)

    @property
    def organisations(self) -> dict[str, str]:
        return dict(self.raw.get("organisations", {}))

    def ledger_groups(self) -> list[tuple[LedgerRecord, int]]:
        """Turn records are stored grouped: [organisation, first day of the report date's
        quarter, eligible, municipal, share, outcome, number of records, handed back]. Snapshots
        made before hand-backs were told apart have no last column (none handed back)."""
        return self._turn_groups(self.raw.get("turns", []))

    def trend_groups(self) -> list[tuple[LedgerRecord, int]]:
        """The turn records of each of the report's quarters as that quarter's own report read
        them (the agreement in force at its end), grouped as `ledger_groups`. Snapshots made
        before 8 December 2026 have none: the report's agreement's own turns."""
        if "trend_turns" not in self.raw:
            return self.ledger_groups()
        return self._turn_groups(self.raw["trend_turns"])

    @staticmethod
    def _turn_groups(rows: list[list[Any]]) -> list[tuple[LedgerRecord, int]]:
        return [
            (
                LedgerRecord(
                    int(o),
                    0,
                    dt.date.fromisoformat(day),
                    bool(e),
                    bool(m),
                    Fraction(s),
                    Outcome(x),
                    handed_back=bool(back[0]) if back else False,
                ),
                int(n),
            )
            for o, day, e, m, s, x, n, *back in rows
        ]

    def placement_groups(self) -> list[tuple[dt.date, dt.date | None, str, int]]:
        """Placements are stored grouped: [moved in, moved out, outcome, number]."""
        return [
            (dt.date.fromisoformat(placed), d(moved_out), str(outcome), int(n))
            for placed, moved_out, outcome, n in self.raw.get("placements", [])
        ]

    def vacancies(self) -> list[VacancyRow]:
        return [
            VacancyRow(str(o), dt.date.fromisoformat(r), d(a), d(f), d(s), d(m), int(rent))
            for o, r, a, f, s, m, rent in self.raw.get("vacancies", [])
        ]

    @property
    def tells_budget(self) -> bool:
        """Whether the case rows record `CaseRow.by_budget` (snapshots made before 8 December
        2026 do not, so they cannot say how many households were judged on a budget)."""
        return any(len(row) > 9 for row in self.raw.get("cases", []))

    def cases(self) -> list[CaseRow]:
        return [
            CaseRow(
                int(c),
                dt.date.fromisoformat(op),
                dt.date.fromisoformat(ws),
                d(cl),
                d(ho),
                str(sit),
                str(band),
                str(sex),
                None if rent is None else int(rent),
                bool(more and more[0]),
            )
            for c, op, ws, cl, ho, sit, band, sex, rent, *more in self.raw.get("cases", [])
        ]
