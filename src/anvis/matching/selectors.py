"""Reads: the ranking of one vacancy with reasons, the snapshot of a batch, runs and offers.

Public API for other apps:

* ``vacancy_ranking(*, vacancy, today) -> VacancyRanking``: all waiting citizens for one
  vacancy, eligible ones ranked with the score breakdown, the others with the failed rules;
* ``offer_explanation(*, offer) -> OfferExplanation | None``: the explanation stored with an
  offer made from a ranking or a batch run;
* ``batch_snapshot(*, today, vacancy_pks=None, case_numbers=None, objective)``: the domain-form
  input of a batch run (pseudonymous ids only), as stored on :class:`MatchingRun`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet

from anvis.vacancies.adapters import Setting, load_setting, open_vacancies
from anvis.vacancies.gate import score_weights, vacancy_candidates
from anvis.vacancies.labels import reason_json, reason_text
from anvis.vacancies.models import Offer, Vacancy
from anvis.vacancies.pool import CitizenPool, load_citizens
from anvis_core.cases import bars as core_bars
from anvis_core.matching.domain_form import citizen_json, dwelling_json, policy_json
from anvis_core.matching.eligibility import RULES, Reason, Rule
from anvis_core.matching.model import Context, Dwelling
from anvis_core.matching.ranking import Candidate, Ranking
from anvis_core.matching.scoring import ScoreWeights

from .models import MatchingRun, OfferExplanation


@dataclass(frozen=True)
class CandidateRow:
    candidate: Candidate
    case_id: int
    unknown_max_rent: bool

    @property
    def case_number(self) -> str:
        return self.candidate.citizen_id


@dataclass(frozen=True)
class WhyNotRow:
    case_number: str
    case_id: int
    codes: tuple[str, ...]
    texts: tuple[str, ...]


@dataclass(eq=False)
class VacancyRanking:
    vacancy: Vacancy
    setting: Setting
    pool: CitizenPool
    ranking: Ranking
    labels: dict[tuple[str, str], str]

    @property
    def dwelling(self) -> Dwelling:
        return self.ranking.dwelling

    @property
    def context(self) -> Context:
        return self.ranking.context

    @property
    def waiting_count(self) -> int:
        return self.pool.size

    @property
    def eligible_count(self) -> int:
        return self.ranking.eligible_count

    @property
    def rejected_count(self) -> int:
        return self.waiting_count - self.eligible_count

    @property
    def binding_cap(self) -> Reason | None:
        return self.ranking.binding_cap

    @property
    def binding_cap_text(self) -> str:
        cap = self.ranking.binding_cap
        return reason_text(cap, self.labels) if cap else ""

    def candidates(self, offset: int = 0, limit: int | None = None) -> list[CandidateRow]:
        stop = None if limit is None else offset + limit
        rows = self.ranking.candidates(limit=stop)[offset:]
        return [
            CandidateRow(
                c, self.pool.case_ids[c.citizen_id], c.citizen_id in self.pool.unknown_max_rent
            )
            for c in rows
        ]

    def rejected_ids(self, code: str | None = None) -> list[str]:
        """Case numbers of the citizens who are not eligible (in table order); with ``code``,
        only those for whom that rule failed."""
        failed = self.ranking.failed
        if code is not None:
            rows = [r for r, rule in enumerate(self.ranking.rules) if rule.code == code]
            mask = failed[rows].any(axis=0) if rows else np.zeros(failed.shape[1], dtype=bool)
        else:
            mask = failed.any(axis=0)
        ids = self.ranking.table.ids
        return [ids[i] for i in np.flatnonzero(mask).tolist()]

    def failure_counts(self) -> list[tuple[str, int]]:
        """Per rule (in rule order), how many waiting citizens it excludes; rules that exclude
        nobody are left out."""
        counts = self.ranking.failed.sum(axis=1)
        return [
            (rule.code, int(n))
            for rule, n in zip(self.ranking.rules, counts.tolist(), strict=True)
            if n
        ]

    def why_not(self, case_number: str) -> WhyNotRow:
        reasons = self.ranking.why_not(case_number)
        return WhyNotRow(
            case_number=case_number,
            case_id=self.pool.case_ids[case_number],
            codes=tuple(r.code for r in reasons),
            texts=tuple(reason_text(r, self.labels) for r in reasons),
        )

    def candidate_for(self, case_number: str) -> Candidate | None:
        """The candidate row of one citizen (``None`` if not eligible or not waiting)."""
        i = self.ranking.table.position.get(case_number)
        if i is None:
            return None
        hits = np.flatnonzero(self.ranking.order == i)
        if hits.size == 0:
            return None
        k = int(hits[0])
        return self.ranking.candidates(limit=k + 1)[k]

    def explanation(self, case_number: str) -> dict[str, Any] | None:
        """What is stored with an offer to this citizen (``None`` if not eligible)."""
        return ranking_explanation(self.ranking, case_number, self.context)


def ranking_explanation(
    ranking: Ranking, case_number: str, context: Context
) -> dict[str, Any] | None:
    i = ranking.table.position.get(case_number)
    if i is None:
        return None
    hits = np.flatnonzero(ranking.order == i)
    if hits.size == 0:
        return None
    k = int(hits[0])
    rows = ranking.candidates(limit=k + 2)
    c = rows[k]
    nxt = rows[k + 1].citizen_id if k + 1 < len(rows) else ""
    s = c.score
    caps = [
        {"level": level, "unit": unit, "max": cap.max, "placed": cap.placed}
        for level, unit, cap in context.caps.for_dwelling(ranking.dwelling)
    ]
    return {
        "rank": c.rank,
        "eligible_count": ranking.eligible_count,
        "waiting_count": ranking.table.size,
        "score": {
            "priority": s.priority,
            "wished_department": s.wished_department,
            "wished_district": s.wished_district,
            "preferred_floor": s.preferred_floor,
            "fit": s.fit,
            "void": s.void,
            "total": s.total,
        },
        "lead_over_next": c.lead_over_next,
        "next_case_number": nxt,
        "binding_cap": reason_json(ranking.binding_cap),
        "caps": caps,
    }


def vacancy_ranking(
    *, vacancy: Vacancy, today: dt.date, rules: Sequence[Rule] = RULES
) -> VacancyRanking:
    """Rank every waiting citizen for ``vacancy`` on ``today`` (about ten queries), through the
    gate's rules (`anvis.vacancies.gate.vacancy_candidates`)."""
    c = vacancy_candidates(vacancy=vacancy, day=today, rules=rules)
    return VacancyRanking(vacancy, c.setting, c.pool, c.ranking, c.labels)


def offer_explanation(*, offer: Offer) -> OfferExplanation | None:
    return OfferExplanation.objects.filter(offer=offer).select_related("run").first()


def run_list() -> QuerySet[MatchingRun]:
    return (
        MatchingRun.objects.select_related("created_by")
        .defer("snapshot")
        .order_by("-created_at", "-pk")
    )


# --- the batch snapshot (domain form) -----------------------------------------------------------


def weights_json(w: ScoreWeights) -> dict[str, Any]:
    return {name: getattr(w, name) for name in ScoreWeights.__dataclass_fields__}


@dataclass
class BatchInput:
    snapshot: dict[str, Any]
    vacancies: list[Vacancy]
    pool: CitizenPool


def batch_snapshot(
    *,
    today: dt.date,
    objective: str,
    vacancy_pks: Sequence[int] | None = None,
    case_numbers: Sequence[str] | None = None,
) -> BatchInput:
    """The input of a batch run in the engine's documented domain form. In a batch the legal
    bar is read for both kinds of designated area (the strictest reading). A citizen's unknown
    maximum rent stays unknown (``null``): each dwelling carries the ceiling terms of the
    version that judged it, and the rules judge such a citizen by those, as the candidate page
    does (`anvis_core.matching.eligibility.max_rent_for`)."""
    vacancies = list(open_vacancies(pks=vacancy_pks))
    setting = load_setting(today=today, vacancies=vacancies)
    pool = load_citizens(today=today, bar_kinds=tuple(core_bars.AreaKind), numbers=case_numbers)
    ctx = setting.context
    caps: dict[str, dict[str, dict[str, int]]] = {}
    for level in ("entrance", "department", "organisation"):
        units = getattr(ctx.caps, level)
        if units:
            caps[level] = {
                unit: {"max": cap.max, "min": cap.min, "placed": cap.placed}
                for unit, cap in sorted(units.items())
            }
    snapshot = {
        "form": "domain",
        "objective": objective,
        "as_of": today.isoformat(),
        "policy": policy_json(ctx.policy),
        "weights": weights_json(score_weights()),
        "citizens": [citizen_json(c) for c in pool.citizens],
        "dwellings": [dwelling_json(d) for d in setting.dwellings],
        "caps": caps,
        "closed_departments": sorted(ctx.closed_departments),
    }
    return BatchInput(snapshot=snapshot, vacancies=vacancies, pool=pool)
