"""Ranking the waiting citizens for one vacancy, with reasons for everyone.

``rank_vacancy`` evaluates every rule over all citizens at once and sorts the eligible ones by
weight (ties: higher priority first, then the order of the table). Explanations are built on
demand from the stored rule outcomes, so ranking stays fast however many citizens wait.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from anvis_core.matching.eligibility import RULES, CapReached, Reason, Rule, fail_matrix
from anvis_core.matching.model import Context, Dwelling
from anvis_core.matching.scoring import ScoreArrays, ScoreBreakdown, ScoreWeights, score_arrays
from anvis_core.matching.table import CitizenTable


@dataclass(frozen=True)
class Candidate:
    rank: int
    citizen_id: str
    score: ScoreBreakdown
    lead_over_next: float | None
    """How many points ahead of the next candidate (``None`` for the last one)."""


@dataclass(frozen=True)
class Rejection:
    citizen_id: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, eq=False)
class Ranking:
    dwelling: Dwelling
    context: Context
    table: CitizenTable
    rules: tuple[Rule, ...]
    failed: NDArray[np.bool_]
    """``failed[r, i]``: rule ``r`` fails for citizen ``i``."""
    order: NDArray[np.int64]
    """Table positions of the eligible citizens, best first."""
    scores: ScoreArrays
    """Score components, aligned with ``order``."""
    binding_cap: Reason | None

    @property
    def eligible_count(self) -> int:
        return int(self.order.size)

    def candidates(self, limit: int | None = None) -> list[Candidate]:
        """The eligible citizens, best first, each with the score breakdown."""
        n = self.order.size if limit is None else min(limit, self.order.size)
        s = self.scores
        total = s.total
        out: list[Candidate] = []
        for k in range(n):
            i = int(self.order[k])
            lead = float(round(total[k] - total[k + 1], 9)) if k + 1 < total.size else None
            out.append(
                Candidate(
                    rank=k + 1,
                    citizen_id=self.table.ids[i],
                    score=ScoreBreakdown(
                        priority=float(self.table.priority[i]),
                        wished_department=bool(s.wished_department[k]),
                        wished_district=bool(s.wished_district[k]),
                        preferred_floor=bool(s.preferred_floor[k]),
                        fit=float(s.fit[k]),
                        void=s.void,
                        total=float(total[k]),
                    ),
                    lead_over_next=lead,
                )
            )
        return out

    def why_not(self, citizen_id: str) -> tuple[Reason, ...]:
        """The failed rules for one citizen (empty if the citizen is eligible)."""
        i = self.table.position[citizen_id]
        c = self.table.citizens[i]
        return tuple(
            self.rules[r].reason(c, self.dwelling, self.context)
            for r in np.flatnonzero(self.failed[:, i]).tolist()
        )

    def rejections(self) -> list[Rejection]:
        """Every citizen who is not eligible, in table order, with the failed rules."""
        bad = np.flatnonzero(self.failed.any(axis=0))
        return [Rejection(self.table.ids[i], self.why_not(self.table.ids[i])) for i in bad.tolist()]

    def failed_codes(self, citizen_id: str) -> list[str]:
        i = self.table.position[citizen_id]
        return [self.rules[r].code for r in np.flatnonzero(self.failed[:, i]).tolist()]


def rank_vacancy(
    dwelling: Dwelling,
    table: CitizenTable,
    context: Context,
    weights: ScoreWeights | None = None,
    rules: Sequence[Rule] = RULES,
) -> Ranking:
    """Rank all waiting citizens in ``table`` for ``dwelling``.

    The result holds the eligible citizens in order with their scores, the failed rules of
    every other citizen, and the binding cap (the first of entrance, department and
    organisation whose cap is reached), if any.
    """
    w = weights if weights is not None else ScoreWeights()
    rs = tuple(rules)
    failed = fail_matrix(table, dwelling, context, rs)
    eligible = np.flatnonzero(~failed.any(axis=0))
    sa = score_arrays(table, dwelling, context, w, eligible)
    pri = table.priority[eligible]
    perm = np.lexsort((eligible, -pri, -sa.total))
    order = eligible[perm]
    scores = ScoreArrays(
        sa.wished_department[perm],
        sa.wished_district[perm],
        sa.preferred_floor[perm],
        sa.fit[perm],
        sa.void,
        sa.total[perm],
    )
    binding = CapReached().binding(dwelling, context)
    return Ranking(dwelling, context, table, rs, failed, order, scores, binding)
