"""The one placement gate, on the database side.

:func:`offer_check` reads a case and a vacancy as the engine's plain objects
(`anvis.vacancies.adapters`) and asks `anvis_core.matching.gate.check_offer`; :func:`offer_enforce`
applies the override policy and raises the Danish refusal. The offer service calls it inside its
transaction after locking the rows, so the manual offer dialogue, "Giv tilbud" on the ranked
list, offers from a batch run and the API all get the same answer. Pages that list findings call
:func:`offer_check` too; none of them recomputes a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anvis.cases.models import Case
from anvis.monitoring.selectors import department_status_map
from anvis.permissions import Role, user_has_role
from anvis_core.matching.eligibility import RULES, Rule, Severity, affordability
from anvis_core.matching.gate import (
    Finding,
    Findings,
    check_offer,
    dwelling_findings,
    findings_from,
    refusals,
    unusable_findings,
)
from anvis_core.matching.ranking import Ranking, rank_vacancy
from anvis_core.matching.scoring import ScoreWeights

from .adapters import Setting, area_kind, load_citizen, load_setting
from .labels import describe
from .models import Vacancy
from .pool import CitizenPool, load_citizens

SEVERITY_LABELS = {
    Severity.BLOCK: gettext_lazy("Not allowed"),
    Severity.AGREEMENT: gettext_lazy("Needs the allocation lead's written reason"),
    Severity.SOFT: gettext_lazy("Needs your confirmation"),
}

OVERRIDE_ROLES = frozenset({Role.ALLOCATION_LEAD})
"""Only the allocation lead may override the agreement's caps, closures and terms."""


def score_weights() -> ScoreWeights:
    """The score weights (``ANVIS_MATCHING_WEIGHTS`` in settings, else the documented
    defaults)."""
    return getattr(settings, "ANVIS_MATCHING_WEIGHTS", None) or ScoreWeights()


def may_override(user: Any) -> bool:
    return user_has_role(user, OVERRIDE_ROLES)


def unit_labels(vacancies: Iterable[Vacancy]) -> dict[tuple[str, str], str]:
    """Display names of the units the reasons refer to."""
    out: dict[tuple[str, str], str] = {}
    for v in vacancies:
        entrance = v.dwelling.entrance
        department = entrance.department
        out[("department", str(department.pk))] = f"{department.number} {department.name}"
        out[("entrance", str(entrance.pk))] = entrance.street
        out[("organisation", str(v.organisation_id))] = v.organisation.name
    return out


@dataclass(frozen=True)
class GateResult:
    """The gate's answer for one case and one vacancy, with the texts to show."""

    findings: Findings
    labels: Mapping[tuple[str, str], str]
    affordability: Mapping[str, Any] | None = None
    """Rent, a conto, the estimated housing benefit (skønnet boligstøtte), the net amount and
    what the household can pay, when the case is judged that way (shown even without a
    finding)."""

    def text(self, finding: Finding) -> str:
        return describe(finding.code, finding.reason.params, self.labels)

    def rows(self) -> list[dict[str, Any]]:
        """Each finding as shown on a page: code, severity, its label and the text."""
        return [
            {
                "code": f.code,
                "severity": f.severity.value,
                "severity_label": SEVERITY_LABELS[f.severity],
                "text": self.text(f),
            }
            for f in self.findings
        ]

    def stored(self) -> list[dict[str, Any]]:
        """The findings as stored on an offer (code, severity and params; text made when
        shown)."""
        return [
            {"code": f.code, "severity": f.severity.value, "params": dict(f.reason.params)}
            for f in self.findings
        ]


def _setting(vacancy: Vacancy, day: dt.date) -> Setting:
    return load_setting(today=day, vacancies=[vacancy])


@dataclass(eq=False)
class VacancyCandidates:
    """Every waiting citizen judged for one vacancy by the gate's rules: the ranking (eligible
    citizens best first, the failed rules of everyone else) and the severity per rule."""

    vacancy: Vacancy
    setting: Setting
    pool: CitizenPool
    ranking: Ranking
    labels: dict[tuple[str, str], str]

    def findings(self, case_number: str) -> Findings:
        return findings_from(self.ranking.why_not(case_number), self.ranking.rules)

    def _severity_masks(self) -> dict[Severity, np.ndarray]:
        failed = self.ranking.failed
        out = {}
        for severity in Severity:
            rows = [k for k, r in enumerate(self.ranking.rules) if r.severity is severity]
            out[severity] = (
                failed[rows].any(axis=0) if rows else np.zeros(failed.shape[1], dtype=bool)
            )
        return out

    def split(self) -> CandidateSplit:
        """The waiting citizens in four groups by the worst rule they fail (case numbers):
        eligible (best first), only soft findings, agreement findings (no block), blocked
        (the others highest priority first)."""
        masks = self._severity_masks()
        table = self.ranking.table

        def ids(mask: np.ndarray) -> list[str]:
            rows = np.flatnonzero(mask)
            rows = rows[np.lexsort((rows, -table.priority[rows]))]
            return [table.ids[i] for i in rows.tolist()]

        block, agreement, soft = (
            masks[Severity.BLOCK],
            masks[Severity.AGREEMENT],
            masks[Severity.SOFT],
        )
        return CandidateSplit(
            eligible=[table.ids[i] for i in self.ranking.order.tolist()],
            soft=ids(soft & ~agreement & ~block),
            agreement=ids(agreement & ~block),
            blocked=ids(block),
        )


@dataclass(frozen=True)
class CandidateSplit:
    eligible: list[str]
    soft: list[str]
    agreement: list[str]
    blocked: list[str]


def vacancy_candidates(
    *, vacancy: Vacancy, day: dt.date, rules: Sequence[Rule] = RULES
) -> VacancyCandidates:
    """Rank every waiting citizen for ``vacancy`` on ``day`` (about ten queries): the
    candidate page, the offer dialogue and the vacancy's acceptance check read this."""
    setting = _setting(vacancy, day)
    status = setting.statuses.get(vacancy.dwelling.entrance.department_id)
    kind = area_kind(status.designations) if status else None
    pool = load_citizens(today=day, bar_kinds=(kind,) if kind else ())
    ranking = rank_vacancy(
        setting.dwellings[0], pool.table, setting.context, score_weights(), rules
    )
    return VacancyCandidates(vacancy, setting, pool, ranking, unit_labels([vacancy]))


def offer_check(*, case: Case, vacancy: Vacancy, day: dt.date) -> GateResult:
    """Every rule an offer of ``vacancy`` to ``case`` breaks on ``day``."""
    setting = _setting(vacancy, day)
    status = setting.statuses.get(vacancy.dwelling.entrance.department_id)
    kind = area_kind(status.designations) if status else None
    citizen = load_citizen(case=case, today=day, bar_kinds=(kind,) if kind else ())
    dwelling = setting.dwellings[0]
    findings = check_offer(citizen, dwelling, setting.context)
    return GateResult(
        findings, unit_labels([vacancy]), affordability(citizen, dwelling, setting.context)
    )


def vacancy_blocks(*, vacancy: Vacancy, day: dt.date) -> GateResult:
    """What stops the municipality from using the vacancy at all on ``day``, whoever the
    citizen (a closed department, a reached stairwell or department cap, rent over the
    ceiling)."""
    setting = _setting(vacancy, day)
    return GateResult(
        dwelling_findings(setting.dwellings[0], setting.context), unit_labels([vacancy])
    )


def vacancy_unusable(*, vacancy: Vacancy, day: dt.date) -> tuple[Finding, ...]:
    """Why the municipality cannot use the reported vacancy on ``day`` (a closed department, a
    reached stairwell or department cap): the core's ``unusable_findings``, which the simulator
    asks too; the turn engine records such a vacancy as blocked."""
    setting = _setting(vacancy, day)
    return unusable_findings(setting.dwellings[0], setting.context)


@dataclass(frozen=True)
class Usability:
    """What the allocation lead sees before accepting a vacancy: who could get it."""

    eligible: int
    conditional: int
    blocks: list[str]
    """Texts of the rules that stop any offer (a closed department, a reached cap)."""

    @property
    def nobody(self) -> bool:
        return self.eligible + self.conditional == 0


def usability(*, vacancy: Vacancy, day: dt.date) -> Usability:
    """How many waiting citizens may get ``vacancy`` on ``day``, by the gate's rules."""
    candidates = vacancy_candidates(vacancy=vacancy, day=day)
    split = candidates.split()
    blocks = GateResult(
        dwelling_findings(candidates.ranking.dwelling, candidates.ranking.context),
        candidates.labels,
    )
    return Usability(
        eligible=len(split.eligible),
        conditional=len(split.soft) + len(split.agreement),
        blocks=[blocks.text(f) for f in blocks.findings],
    )


def stored_texts(
    findings: Iterable[Mapping[str, Any]], labels: Mapping[tuple[str, str], str]
) -> list[str]:
    """The texts of findings stored on an offer."""
    return [describe(f.get("code", ""), f.get("params", {}), labels) for f in findings]


_HOW = {
    Severity.AGREEMENT: gettext_lazy(
        "Only the allocation lead can override this, with a written reason."
    ),
    Severity.SOFT: gettext_lazy("Confirm that you have considered this to make the offer."),
}


def refusal_error(result: GateResult, stopping: Iterable[Finding]) -> ValidationError:
    """The Danish refusal: one message per finding that stops the offer (code = rule)."""
    errors = []
    for f in stopping:
        text = result.text(f)
        how = _HOW.get(f.severity)
        errors.append(ValidationError(f"{text} {how}" if how else text, code=f.code))
    error = ValidationError(errors)
    error.code = "offer_refused"  # the API's problem code; each message keeps its rule's code
    return error


@dataclass(frozen=True)
class GateDecision:
    result: GateResult
    override_reason: str
    """Blank when nothing was overridden."""


def offer_enforce(
    *,
    actor: Any,
    case: Case,
    vacancy: Vacancy,
    day: dt.date,
    override_reason: str = "",
    soft_confirmed: bool = False,
    considered: Collection[str] | None = None,
) -> GateDecision:
    """Check the offer and refuse it (``ValidationError``) unless the policy lets it through:
    no ``block`` finding; ``agreement`` findings only with the allocation lead's written reason;
    ``soft`` findings only when confirmed; with ``considered`` (the rule codes the person was
    shown when confirming), only the findings among them."""
    result = offer_check(case=case, vacancy=vacancy, day=day)
    reason = override_reason.strip()
    stopping = refusals(
        result.findings,
        may_override=may_override(actor),
        override_reason=reason,
        soft_confirmed=soft_confirmed,
        considered=considered,
    )
    if stopping:
        raise refusal_error(result, stopping)
    used = reason if result.findings.overridable else ""
    return GateDecision(result=result, override_reason=used)


def lease_notes(*, vacancy: Vacancy, offered_on: dt.date, day: dt.date) -> list[str]:
    """At the lease, what has changed about the dwelling itself since the lawful offer made on
    ``offered_on``: its department closed by composition monitoring, or put on an area list.
    The lease goes ahead — the rules govern the offer (the anvisning), not the lease — but the
    page says so. Nothing about the citizen is listed (the organisation registers leases)."""
    department_id = vacancy.dwelling.entrance.department_id
    now = department_status_map(day, [department_id]).get(department_id)
    then = department_status_map(offered_on, [department_id]).get(department_id)
    if now is None:
        return []
    label = unit_labels([vacancy])[("department", str(department_id))]
    changes = []
    if now.closed and not (then and then.closed):
        changes.append(
            _("the department %(department)s has been closed to municipal placements.")
            % {"department": label}
        )
    if now.designations and not (then and then.designations):
        changes.append(
            _("the department %(department)s has been put on an area list.") % {"department": label}
        )
    return [
        _("Since the offer %(change)s The lease goes ahead, because the offer was lawful.")
        % {"change": change}
        for change in changes
    ]
