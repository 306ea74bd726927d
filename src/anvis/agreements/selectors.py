"""Reads for the agreements pages: plain data, restricted to what the user may see."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.db.models import BooleanField, Case, Count, Field, Max, Min, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from anvis.common import formats as fmt
from anvis.permissions import OrgScopedQuerySet, sees_all_organisations, user_organisation_ids
from anvis.stock.models import Department, HousingOrganisation
from anvis_core.quotas import LedgerLine, LedgerRecord, Outcome, Quarter, compute_ledger
from anvis_core.quotas.ledger import LedgerFigures, ledger_total, quarters_between

from .models import (
    AgreementParty,
    AgreementVersion,
    AllocationAgreement,
    DepartmentStep,
    HandheldRequest,
    TurnRecord,
    VoidRentFrom,
    VoidRentPayer,
)


def agreement_terms_on(
    day: dt.date, organisation_ids: Iterable[int]
) -> tuple[AllocationAgreement, AgreementVersion] | None:
    """The agreement that governs the organisations' vacancies on ``day``, with its version
    valid then: the newest agreement in force that they are party to and that has terms on that
    day (an older one still in force governs while a newer one has none). The one reading of
    "which agreement, which terms": the turn engine judges a reported vacancy by it and the
    placement gate an offer."""
    agreements = AllocationAgreement.objects.filter(period_start__lte=day)
    orgs = set(organisation_ids)
    if orgs:
        # The party test in the query: a national agreement has hundreds of parties, and
        # loading them all for every judgement cost more than the judgement. A party that has
        # left is a party up to its last day.
        agreements = agreements.filter(
            pk__in=AgreementParty.objects.filter(housingorganisation_id__in=orgs)
            .on(day)
            .values("allocationagreement_id")
        )
    for agreement in agreements.order_by("-period_start", "pk"):
        version = agreement.version_for(day)  # None when not in force on the day
        if version is not None:
            return agreement, version
    return None


def agreement_list(*, user: Any) -> QuerySet[AllocationAgreement]:
    return AllocationAgreement.objects.restrict(user).order_by("-period_start", "title")


def agreement_get(*, user: Any, pk: int) -> AllocationAgreement:
    return get_object_or_404(agreement_list(user=user), pk=pk)


def agreement_default(*, user: Any, day: dt.date) -> AllocationAgreement | None:
    """The agreement a page shows when none is chosen: the newest one in force, else the newest."""
    qs = agreement_list(user=user)
    for agreement in qs:
        if agreement.in_force_on(day):
            return agreement
    return qs.first()


# --- versions -----------------------------------------------------------------------------------


def _field(name: str) -> Field[Any, Any]:
    """One of the version's own (concrete) fields."""
    field = AgreementVersion._meta.get_field(name)
    assert isinstance(field, Field)
    return field


MONEY_TERMS = frozenset(
    {"rent_ceiling", "rent_target", "guarantee_max_repairs", "guarantee_max_arrears"}
)
"""The version's terms in kroner, written as money ("5.000 kr.")."""


def term_display(version: AgreementVersion, name: str) -> str:
    value = getattr(version, name)
    if name in MONEY_TERMS and value is not None:
        return fmt.money(value)
    if name == "covered_dwelling_types":
        return ", ".join(version.covered_type_labels())
    if name == "void_rent_payer":
        return str(VoidRentPayer(value).label)
    if name == "void_rent_from":
        return str(VoidRentFrom(value).label)
    if _field(name).choices:
        return str(getattr(version, f"get_{name}_display")())
    if isinstance(value, bool):
        from django.utils.translation import gettext

        return gettext("Yes") if value else gettext("No")
    if isinstance(value, Decimal):
        return fmt.percent(value, None)
    if isinstance(value, dt.date):
        return fmt.date(value)
    if value is None or value == "":
        return "–"
    return str(value)


@dataclass(frozen=True)
class TermChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class VersionEntry:
    version: AgreementVersion
    valid_until: dt.date | None
    changes: list[TermChange]
    judged: bool
    """The version has judged vacancies."""
    used: bool
    """The version has judged vacancies or has been in force: it is never edited
    (`AgreementVersion.is_used`)."""


def version_history(agreement: AllocationAgreement, today: dt.date) -> list[VersionEntry]:
    """Versions newest first, each with the terms that changed from the version before."""
    versions = list(agreement.versions.order_by("valid_from"))
    judged = set(
        TurnRecord.objects.filter(version__in=versions)
        .values_list("version_id", flat=True)
        .distinct()
    )
    entries = []
    for index, version in enumerate(versions):
        previous = versions[index - 1] if index else None
        changes = []
        if previous is not None:
            for name in AgreementVersion.TERM_FIELDS:
                if name == "valid_from":
                    continue
                before, after = term_display(previous, name), term_display(version, name)
                if before != after:
                    label = str(_field(name).verbose_name)
                    changes.append(TermChange(label[:1].upper() + label[1:], before, after))
        nxt = versions[index + 1] if index + 1 < len(versions) else None
        until = nxt.valid_from - dt.timedelta(days=1) if nxt else agreement.period_end
        has_judged = version.pk in judged
        used = has_judged or version.in_force_since(today)
        entries.append(VersionEntry(version, until, changes, has_judged, used))
    return list(reversed(entries))


def version_terms(version: AgreementVersion) -> list[tuple[str, str]]:
    out = []
    for name in AgreementVersion.TERM_FIELDS:
        label = str(_field(name).verbose_name)
        out.append((label[:1].upper() + label[1:], term_display(version, name)))
    return out


# --- steps --------------------------------------------------------------------------------------


@dataclass
class StepRow:
    department: Department
    current: DepartmentStep | None
    upcoming: list[DepartmentStep]
    history: list[DepartmentStep]


def department_steps(
    *, user: Any, agreement: AllocationAgreement, day: dt.date, organisation_id: int | None = None
) -> list[StepRow]:
    """Every department of the parties (that the user may see) with its step on `day`, later
    approved steps, and the earlier ones."""
    departments = Department.objects.restrict(user).filter(organisation__in=agreement.parties.all())
    if organisation_id:
        departments = departments.filter(organisation_id=organisation_id)
    departments = departments.select_related("organisation").order_by(
        "organisation__name", "number"
    )
    steps: dict[int, list[DepartmentStep]] = {}
    step_qs = DepartmentStep.objects.filter(agreement=agreement, department__in=departments)
    for step in step_qs.select_related("approved_by").order_by("-valid_from"):
        steps.setdefault(step.department_id, []).append(step)
    rows = []
    for dept in departments:
        mine = steps.get(dept.pk, [])
        upcoming = [s for s in mine if s.valid_from > day]
        past = [s for s in mine if s.valid_from <= day]
        rows.append(StepRow(dept, past[0] if past else None, upcoming[::-1], past[1:]))
    return rows


def step_summary(rows: list[StepRow]) -> list[tuple[str, Decimal, int]]:
    """(label, share, number of departments) for the steps in force."""
    counts: dict[tuple[str, Decimal], int] = {}
    for row in rows:
        if row.current:
            key = (row.current.label, row.current.share_percent)
            counts[key] = counts.get(key, 0) + 1
    return sorted(((k[0], k[1], n) for k, n in counts.items()), key=lambda t: (t[1], t[0]))


# --- ledger -------------------------------------------------------------------------------------


@dataclass
class LedgerRow:
    key: Any
    label: str
    organisation: str
    line: LedgerLine[Any]
    organisation_id: int = 0
    department_number: str = ""


@dataclass
class LedgerView:
    agreement: AllocationAgreement
    quarter: Quarter
    quarters: list[Quarter]
    level: str
    rows: list[LedgerRow]
    total_quarter: LedgerFigures
    total_cumulative: LedgerFigures


def ledger_records(
    *,
    user: Any,
    agreement: AllocationAgreement,
    quarter: Quarter,
    by_department: bool = False,
) -> list[LedgerRecord]:
    """The agreement's turn records up to the end of `quarter`, grouped in the database: one
    record per organisation (and department, with `by_department`), eligibility, turn, share,
    outcome, hand-back and side of the quarter's start, with the group's size as `count`. The national
    ledger reads a few thousand groups instead of every vacancy ever reported."""
    qs: OrgScopedQuerySet = TurnRecord.objects.restrict(user)
    keys = ["organisation_id", "eligible", "municipal", "share_percent", "outcome", "handed_back"]
    if by_department:
        keys.insert(1, "department_id")
    rows = (
        qs.filter(agreement=agreement, report_date__lte=quarter.end)
        .annotate(
            in_quarter=Case(
                When(report_date__gte=quarter.start, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values(*keys, "in_quarter")
        .annotate(n=Count("id"), first=Min("report_date"))
        .order_by()
    )
    shares: dict[Decimal, Fraction] = {}  # a handful of distinct step shares
    out = []
    for r in rows.iterator(chunk_size=5000):
        percent = r["share_percent"]
        share = shares.get(percent)
        if share is None:
            share = shares[percent] = Fraction(percent) / 100
        out.append(
            LedgerRecord(
                r["organisation_id"],
                r.get("department_id", 0),
                r["first"],
                r["eligible"],
                r["municipal"],
                share,
                Outcome(r["outcome"]),
                r["n"],
                r["handed_back"],
            )
        )
    return out


def ledger_quarters(agreement: AllocationAgreement, today: dt.date) -> list[Quarter]:
    last_day = min(today, agreement.period_end) if agreement.period_end else today
    last_day = max(last_day, agreement.period_start)
    return quarters_between(Quarter.of(agreement.period_start), Quarter.of(last_day))


def ledger_quarter(
    agreement: AllocationAgreement, asked: Quarter | None, today: dt.date
) -> tuple[Quarter, str]:
    """The quarter a ledger shows, for the page, its downloads and the API alike: the one
    asked for, or by default the agreement's latest (this quarter while it runs, its last one
    after it ended). A quarter the agreement has no ledger for gives the latest and the
    sentence that says so (the API refuses with it)."""
    quarters = ledger_quarters(agreement, today)
    if asked is None or asked in quarters:
        return asked or quarters[-1], ""
    refusal = _(
        "The agreement has no ledger for %(quarter)s: choose a quarter from %(first)s to %(last)s."
    ) % {
        "quarter": fmt.quarter(asked),
        "first": fmt.quarter(quarters[0]),
        "last": fmt.quarter(quarters[-1]),
    }
    return quarters[-1], refusal


# How long a computed ledger is reused at most. Within that time it is reused only while the
# agreement's turn records are unchanged (see `_ledger_fingerprint`); the limit bounds how long
# a renamed organisation or department keeps its old name on the page.
LEDGER_CACHE_SECONDS = 300


def _ledger_fingerprint(agreement: AllocationAgreement) -> tuple[Any, ...]:
    """What the ledger's figures depend on, in one aggregate query: turn records are only
    added (`turn_decide`, a new id) or settled (`turn_outcome_set`, which stamps
    `outcome_set_at`), and removed only with their dwelling (the count)."""
    row = TurnRecord.objects.filter(agreement=agreement).aggregate(
        n=Count("id"), last=Max("id"), settled=Max("outcome_set_at")
    )
    parties = tuple(
        agreement.memberships.order_by("housingorganisation_id").values_list(
            "housingorganisation_id", "until"
        )
    )
    return (row["n"], row["last"], row["settled"], parties)


def ledger(
    *,
    user: Any,
    agreement: AllocationAgreement,
    quarter: Quarter,
    level: str = "organisation",
    today: dt.date,
) -> LedgerView:
    """Ledger lines per organisation (`level="organisation"`) or department for `quarter` and
    cumulative up to its end. Organisation staff get their own organisations only. Every party
    the user may see has an organisation line, also without vacancies.

    The result is kept in Django's cache under a key made of the request (agreement, quarter,
    level, day, the organisations the user may see) and the fingerprint of the turn records, so
    a change to any record gives a new key and the ledger is never stale."""
    scope = "all" if sees_all_organisations(user) else sorted(user_organisation_ids(user))
    key = (
        "anvis.ledger:"
        + hashlib.sha256(
            repr(
                (agreement.pk, str(quarter), level, today, scope, _ledger_fingerprint(agreement))
            ).encode()
        ).hexdigest()
    )
    view = cache.get(key)
    if view is None:
        view = _ledger_compute(
            user=user, agreement=agreement, quarter=quarter, level=level, today=today
        )
        cache.set(key, view, LEDGER_CACHE_SECONDS)
    return view


def _ledger_compute(
    *,
    user: Any,
    agreement: AllocationAgreement,
    quarter: Quarter,
    level: str,
    today: dt.date,
) -> LedgerView:
    records = ledger_records(
        user=user, agreement=agreement, quarter=quarter, by_department=level == "department"
    )
    orgs = {
        o.pk: o.name
        for o in HousingOrganisation.objects.restrict(user).filter(pk__in=agreement.parties.all())
    }
    rows: list[LedgerRow] = []
    if level == "department":
        lines = compute_ledger(records, key=lambda r: r.department_id, quarter=quarter)
        depts = Department.objects.filter(pk__in=list(lines)).select_related("organisation")
        for dept in depts:
            rows.append(
                LedgerRow(
                    dept.pk,
                    f"{dept.number} {dept.name}",
                    dept.organisation.name,
                    lines[dept.pk],
                    organisation_id=dept.organisation_id,
                    department_number=dept.number,
                )
            )
        rows.sort(key=lambda r: (r.organisation, r.label))
    else:
        lines = compute_ledger(records, key=lambda r: r.organisation_id, quarter=quarter)
        empty = LedgerFigures()
        for pk, name in orgs.items():
            line = lines.get(pk) or LedgerLine(key=pk, quarter=empty, cumulative=empty)
            rows.append(LedgerRow(pk, name, name, line, organisation_id=pk))
        rows.sort(key=lambda r: r.label)
    total_q, total_c = ledger_total(r.line for r in rows)
    return LedgerView(
        agreement=agreement,
        quarter=quarter,
        quarters=ledger_quarters(agreement, today),
        level=level,
        rows=rows,
        total_quarter=total_q,
        total_cumulative=total_c,
    )


# --- håndholdte requests ------------------------------------------------------------------------


def handheld_request_list(*, user: Any, status: str | None = None) -> QuerySet[HandheldRequest]:
    qs = HandheldRequest.objects.restrict(user).select_related(
        "agreement", "organisation", "met_by__entrance"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "-requested_on", "pk")


def handheld_request_get(*, user: Any, pk: int) -> HandheldRequest:
    return get_object_or_404(handheld_request_list(user=user), pk=pk)
