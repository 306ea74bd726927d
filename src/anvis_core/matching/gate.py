"""The one gate: may this citizen be offered this dwelling today?

Every path that places a citizen (the offer dialogue, "Giv tilbud" on the ranked list, offers
made from a stored batch run, the API) calls :func:`check_offer` inside the write's
transaction, and the vacancy report asks :func:`dwelling_findings` whether the municipality can
use the vacancy at all. The answer lists every failed rule of
:data:`anvis_core.matching.eligibility.RULES` as a :class:`Finding` with its
:class:`~anvis_core.matching.eligibility.Severity`:

* ``block`` findings stop the offer, always (legal bars, the case's state in the flow);
* ``agreement`` findings stop it unless the allocation lead overrides them with a written
  reason;
* ``soft`` findings stop it unless the person making the offer confirms having considered them.

:func:`refusals` applies that policy; the caller records what was overridden or confirmed.
Pages list the findings; they never recompute them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from anvis_core.matching.eligibility import RULES, Reason, Rule, Severity, fail_matrix
from anvis_core.matching.model import Citizen, Context, Dwelling
from anvis_core.matching.table import CitizenTable


@dataclass(frozen=True)
class Finding:
    """One failed rule: its reason (code, text, params) and what it means for an offer."""

    reason: Reason
    severity: Severity

    @property
    def code(self) -> str:
        return self.reason.code


@dataclass(frozen=True)
class Findings:
    """Every failed rule for one citizen and one dwelling, in rule order."""

    items: tuple[Finding, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.items)

    def of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.items if f.severity is severity)

    @property
    def blocks(self) -> tuple[Finding, ...]:
        return self.of(Severity.BLOCK)

    @property
    def overridable(self) -> tuple[Finding, ...]:
        return self.of(Severity.AGREEMENT)

    @property
    def soft(self) -> tuple[Finding, ...]:
        return self.of(Severity.SOFT)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.items)

    @property
    def blocked(self) -> bool:
        """Nobody can make this offer."""
        return bool(self.blocks)


def findings_from(reasons: Sequence[Reason], rules: Sequence[Rule] = RULES) -> Findings:
    """Findings for reasons already computed (for example by a ranking's failed matrix)."""
    severity = {r.code: r.severity for r in rules}
    return Findings(tuple(Finding(r, severity[r.code]) for r in reasons))


def check_offer(
    citizen: Citizen,
    dwelling: Dwelling,
    context: Context,
    rules: Sequence[Rule] = RULES,
    table: CitizenTable | None = None,
) -> Findings:
    """Every rule the offer of ``dwelling`` to ``citizen`` breaks on ``context.as_of``
    (``table``: the citizen's one-row table, when the caller holds it already)."""
    table = table if table is not None else CitizenTable.build([citizen])
    failed = fail_matrix(table, dwelling, context, rules)[:, 0]
    return Findings(
        tuple(
            Finding(rules[r].reason(citizen, dwelling, context), rules[r].severity)
            for r in failed.nonzero()[0].tolist()
        )
    )


_NOBODY = Citizen(id="", priority=0.0, max_rent=0)
_NOBODY_TABLE = CitizenTable.build([_NOBODY])


def dwelling_findings(
    dwelling: Dwelling, context: Context, rules: Sequence[Rule] = RULES
) -> Findings:
    """The rules that fail for the dwelling whoever the citizen is (a closed department, a
    reached cap, rent over the ceiling): when one of these holds on the report day the
    municipality cannot use the vacancy."""
    only = [r for r in rules if r.dwelling_only]
    return check_offer(_NOBODY, dwelling, context, only, _NOBODY_TABLE)


UNUSABLE_CODES = frozenset({"department_closed", "cap_reached"})
"""Dwelling rules that, on the report day, make a vacancy no municipal turn: the ledger counts
it as blocked ("lukket/loft nået", :func:`anvis_core.quotas.judge_turn`). Rent over the ceiling
is not among them: it makes the vacancy not eligible at all."""


def unusable_findings(
    dwelling: Dwelling, context: Context, rules: Sequence[Rule] = RULES
) -> tuple[Finding, ...]:
    """Why the municipality cannot use a reported vacancy on ``context.as_of`` (its department
    closed, a cap of its stairwell or department reached); empty when it can. The vacancy report
    and the simulator both ask this."""
    return tuple(f for f in dwelling_findings(dwelling, context, rules) if f.code in UNUSABLE_CODES)


def refusals(
    findings: Findings,
    *,
    may_override: bool,
    override_reason: str,
    soft_confirmed: bool,
    considered: Collection[str] | None = None,
) -> tuple[Finding, ...]:
    """The findings that stop the offer under the override policy (empty: it may be made).

    ``may_override``: the person is the allocation lead; ``override_reason``: the written
    reason (blank: no override); ``soft_confirmed``: the person ticked that the soft findings
    were considered. ``considered``: the rule codes the person was shown when confirming
    (``None``: whatever the findings are now); a reason or a tick covers only those, so a
    finding that arose after the confirmation stops the offer until it has been seen."""

    def seen(f: Finding) -> bool:
        return considered is None or f.code in considered

    out: list[Finding] = list(findings.blocks)
    overriding = may_override and bool(override_reason.strip())
    out.extend(f for f in findings.overridable if not (overriding and seen(f)))
    out.extend(f for f in findings.soft if not (soft_confirmed and seen(f)))
    order = {id(f): i for i, f in enumerate(findings.items)}
    return tuple(sorted(out, key=lambda f: order[id(f)]))
