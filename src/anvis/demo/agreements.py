"""Demo data: an Aalborg-like udlejningsaftale with two versions, the three fora, a step for
every department, a yearly reassessment, håndholdte requests and about a year of reported
vacancies judged by the turn engine (so the fair-share ledger has figures).

The turn records are decided with the same core engine as `services.turn_decide` (one counter per
organisation × step share) but written in bulk (COPY on PostgreSQL), so the national scale stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from anvis.agreements.models import (
    AgreementVersion,
    AllocationAgreement,
    DepartmentStep,
    ForumKind,
    GovernanceForum,
    HandheldRequest,
    HandheldStatus,
    ReassessmentStatus,
    StepProposal,
    StepReassessment,
    TurnCounter,
    TurnRecord,
)
from anvis.demo.bulk import write_rows
from anvis.demo.context import DemoContext
from anvis.stock.models import Department, Dwelling, HousingOrganisation
from anvis_core.quotas import (
    BucketKey,
    Outcome,
    TurnBook,
    check_turn_eligibility,
    share_from_percent,
)

STEPS = [("Trin 0", Decimal("0")), ("Trin 1", Decimal("25")), ("Trin 2", Decimal("40"))]
COVERED = ["family", "skaev", "shared"]
D = dt.date


def load(ctx: DemoContext) -> None:
    rng = ctx.rng_for("agreements")
    lead = ctx.data.get("users", {}).get("anvisningsleder")
    orgs = list(HousingOrganisation.objects.order_by("pk"))
    agreement, versions = _agreement(ctx, orgs, lead)
    _forums(agreement)
    departments = list(Department.objects.order_by("pk").values_list("pk", "organisation_id"))
    steps = _steps(rng, ctx, agreement, departments, lead)
    _handheld(agreement, orgs, lead, ctx)
    n = _turn_records(ctx, agreement, versions, departments)
    ctx.log(f"  agreements: 1 agreement, 2 versions, {steps} department steps, {n} turn records")


def _agreement(
    ctx: DemoContext, orgs: list[HousingOrganisation], lead: object
) -> tuple[AllocationAgreement, list[AgreementVersion]]:
    """The agreement, all organisations its parties, and its two versions."""
    agreement = AllocationAgreement.objects.create(
        municipality="Aalborg Kommune",
        title="Fælles udlejningsaftale for de almene boligorganisationer og Aalborg Kommune",
        signed_on=D(2022, 12, 15),
        period_start=D(2023, 1, 1),
        # Runs until terminated, with a yearly renegotiation date, so that the demo has an
        # agreement in force whatever day it is loaded on.
        period_end=None,
        renegotiation_date=D(2027, 6, 30),
        notes="Boligsocial anvisning af 27 % af de egnede ledige boliger (trappetrinsmodel).",
    )
    agreement.parties.set(orgs)
    common = {
        "rent_ceiling": 5000,
        "rent_target": 3500,
        "covered_dwelling_types": COVERED,
        "response_deadline_working_days": 7,
        "offer_response_working_days": 5,
        "guarantee_period_months": 12,
        "created_by": lead,
    }
    v1 = AgreementVersion.objects.create(
        agreement=agreement,
        valid_from=D(2023, 1, 1),
        municipal_share_percent=Decimal("27"),
        cap_per_entrance_12m=2,
        cap_per_department_12m=6,
        notes="Aftalens første version.",
        **common,
    )
    v2 = AgreementVersion.objects.create(
        agreement=agreement,
        valid_from=D(2025, 1, 1),
        municipal_share_percent=Decimal("27"),
        cap_per_entrance_12m=1,
        cap_per_department_12m=4,
        guarantee_max_repairs=40000,
        notes="Loft over nye kommunale anvisninger strammet efter evaluering i styregruppen.",
        **common,
    )
    # The placement history the monitoring demo writes keeps to these caps (the gate's rule).
    ctx.data["agreement_caps"] = [
        (v.valid_from, v.cap_per_entrance_12m, v.cap_per_department_12m) for v in (v1, v2)
    ]
    return agreement, [v1, v2]


def _forums(agreement: AllocationAgreement) -> None:
    GovernanceForum.objects.bulk_create(
        [
            GovernanceForum(
                agreement=agreement,
                kind=ForumKind.POLITICAL,
                name="Politisk strategisk forum",
                members="Rådmand for Sundhed og Kultur\nBoligorganisationernes formænd",
                meeting_frequency="2 gange om året",
            ),
            GovernanceForum(
                agreement=agreement,
                kind=ForumKind.STRATEGIC,
                name="Strategisk arbejdsgruppe",
                members="Anvisningschef\nDirektører fra boligorganisationerne",
                meeting_frequency="4 gange om året (styregruppe)",
            ),
            GovernanceForum(
                agreement=agreement,
                kind=ForumKind.PRACTICAL,
                name="Praktisk samarbejdsforum",
                members="Anvisningskonsulenter\nUdlejningsmedarbejdere",
                meeting_frequency="Hver måned",
            ),
        ]
    )


STEP_REASONS = {
    "Trin 0": "Skærmes mod kommunal anvisning (høj andel uden for arbejdsmarkedet).",
    "Trin 1": "Standardtrin.",
    "Trin 2": "Stabil afdeling med plads til flere anviste.",
}


def _steps(
    rng: random.Random,
    ctx: DemoContext,
    agreement: AllocationAgreement,
    departments: list[tuple[int, int]],
    lead: object,
) -> int:
    """A step for every department from the start, the 2024 reassessment's moves from 2025 and
    this year's open reassessment with a few proposals; returns the number of steps."""
    now = timezone.now()
    share_by_dept: dict[int, tuple[str, Decimal]] = {}
    steps = []
    for dept_id, _org in departments:
        roll = rng.random()
        label, share = STEPS[0] if roll < 0.12 else STEPS[2] if roll > 0.85 else STEPS[1]
        share_by_dept[dept_id] = (label, share)
        steps.append(
            DepartmentStep(
                agreement=agreement,
                department_id=dept_id,
                label=label,
                share_percent=share,
                valid_from=D(2023, 1, 1),
                reason=STEP_REASONS[label],
                approved_by=lead,
                approved_at=now,
            )
        )
    steps += _reassessed_2024(rng, agreement, departments, share_by_dept, lead)
    DepartmentStep.objects.bulk_create(steps, batch_size=2000)
    r_now = StepReassessment.objects.create(agreement=agreement, year=ctx.today.year)
    StepProposal.objects.bulk_create(
        [
            StepProposal(
                reassessment=r_now,
                department_id=dept_id,
                label=label,
                share_percent=share,
                reason="Forslag fra monitoreringen: "
                + ("skærmes" if share == 0 else "kan tage flere"),
                proposed_by=lead,
            )
            for dept_id, _org in rng.sample(departments, k=min(len(departments), 8))
            for label, share in [STEPS[0] if rng.random() < 0.5 else STEPS[2]]
        ]
    )
    return len(steps)


def _reassessed_2024(
    rng: random.Random,
    agreement: AllocationAgreement,
    departments: list[tuple[int, int]],
    share_by_dept: dict[int, tuple[str, Decimal]],
    lead: object,
) -> list[DepartmentStep]:
    """The 2024 reassessment moved a few departments from 1 January 2025."""
    now = timezone.now()
    r2024 = StepReassessment.objects.create(
        agreement=agreement,
        year=2024,
        status=ReassessmentStatus.APPROVED,
        effective_from=D(2025, 1, 1),
        approved_by=lead,
        approved_at=now,
    )
    moved = rng.sample(departments, k=min(len(departments), max(3, len(departments) // 25)))
    steps = []
    for dept_id, _org in moved:
        old_label, _old = share_by_dept[dept_id]
        label, share = STEPS[1] if old_label != "Trin 1" else STEPS[0]
        share_by_dept[dept_id] = (label, share)
        steps.append(
            DepartmentStep(
                agreement=agreement,
                department_id=dept_id,
                label=label,
                share_percent=share,
                valid_from=D(2025, 1, 1),
                reason="Revurdering 2024: ændret beboersammensætning.",
                reassessment=r2024,
                approved_by=lead,
                approved_at=now,
            )
        )
    return steps


def _handheld(
    agreement: AllocationAgreement, orgs: list[HousingOrganisation], lead: object, ctx: DemoContext
) -> None:
    today = ctx.today
    met = Dwelling.objects.filter(rent__lte=4000, rooms__gte=2).order_by("pk").first()
    HandheldRequest.objects.bulk_create(
        [
            HandheldRequest(
                agreement=agreement,
                case_reference="HF-2025-014",
                rooms=2,
                max_rent=4000,
                need="Ung kvinde med CTI-forløb; stuebolig eller elevator, tæt på bus.",
                district_wishes="Aalborg Øst eller Vejgaard",
                requested_on=today - dt.timedelta(days=20),
                created_by=lead,
            ),
            HandheldRequest(
                agreement=agreement,
                organisation=orgs[0] if orgs else None,
                case_reference="HF-2025-021",
                rooms=1,
                max_rent=3500,
                need="Mand, 58 år, udskrives fra § 110-botilbud; rolig opgang.",
                district_wishes="Gerne uden for centrum",
                requested_on=today - dt.timedelta(days=9),
                created_by=lead,
            ),
            HandheldRequest(
                agreement=agreement,
                case_reference="HF-2024-088",
                rooms=2,
                max_rent=4200,
                need="Familie med ét barn i akut boligbehov.",
                requested_on=today - dt.timedelta(days=120),
                status=HandheldStatus.MET if met else HandheldStatus.WITHDRAWN,
                met_by=met,
                closed_on=today - dt.timedelta(days=75),
                created_by=lead,
            ),
        ]
    )


def _turn_records(
    ctx: DemoContext,
    agreement: AllocationAgreement,
    versions: list[AgreementVersion],
    departments: list[tuple[int, int]],
) -> int:
    """About a year of reported vacancies: roughly 7 % of the dwellings a year, judged in report
    order by the turn engine. Municipal turns older than the response deadline are settled
    (mostly accepted); three organisations let some of their municipal turns themselves, so the
    ledger shows organisations behind their share."""
    rng = ctx.rng_for("agreements:turns")
    start = max(agreement.period_start, ctx.today - dt.timedelta(days=364))
    days = (ctx.today - start).days + 1
    org_of = dict(departments)
    dwellings = list(
        Dwelling.objects.values_list("pk", "entrance__department_id", "dwelling_type", "rent")
    )
    chosen = [d for d in dwellings if rng.random() < 0.07]
    reports = sorted(
        ((start + dt.timedelta(days=rng.randrange(days)), d) for d in chosen),
        key=lambda item: (item[0], item[1][0]),
    )
    steps = _step_history(agreement)
    slack_orgs = set(sorted(set(org_of.values()))[2:5])
    book = TurnBook()
    records = []
    for day, (dwelling_id, dept_id, dtype, rent) in reports:
        version = versions[1] if day >= versions[1].valid_from else versions[0]
        label, share_pct = "", version.municipal_share_percent
        for valid_from, step_label, step_share in steps.get(dept_id, []):
            if valid_from <= day:
                label, share_pct = step_label, step_share
        org = org_of[dept_id]
        record = _Turn(
            agreement_id=agreement.pk,
            version=version,
            organisation_id=org,
            department_id=dept_id,
            dwelling_id=dwelling_id,
            report_date=day,
            share_percent=share_pct,
            step_label=label,
        )
        _judge(record, book, dtype, rent, slack=org in slack_orgs, rng=rng, today=ctx.today)
        records.append(record)
    _write_turn_records(records)
    _save_counters(agreement, book)
    return len(records)


TURN_COLUMNS = [
    "agreement_id", "version_id", "organisation_id", "department_id", "dwelling_id",
    "report_date", "eligible", "municipal", "share_percent", "step_label", "outcome",
    "reason_code", "reason_params", "decided_at",
]  # fmt: skip


@dataclass(slots=True)
class _Turn:
    """A turn record before it is written (a plain object: 40,000 model instances cost more
    than judging them)."""

    agreement_id: int
    version: AgreementVersion
    organisation_id: int
    department_id: int
    dwelling_id: int
    report_date: dt.date
    share_percent: Decimal
    step_label: str
    eligible: bool = False
    municipal: bool = False
    outcome: str = ""
    reason_code: str = ""
    reason_params: dict[str, Any] = field(default_factory=dict)


def _write_turn_records(records: list[_Turn]) -> None:
    """The judged records in report order through COPY (the national year is about 40,000
    rows); the ids come from the table's sequence in the same order as a bulk insert's."""
    now = timezone.now()
    write_rows(
        TurnRecord,
        TURN_COLUMNS,
        (
            (
                r.agreement_id,
                r.version.pk,
                r.organisation_id,
                r.department_id,
                r.dwelling_id,
                r.report_date,
                r.eligible,
                r.municipal,
                r.share_percent,
                r.step_label,
                str(r.outcome),
                r.reason_code,
                json.dumps(r.reason_params),
                now,
            )
            for r in records
        ),
    )


def _step_history(agreement: AllocationAgreement) -> dict[int, list[tuple[dt.date, str, Decimal]]]:
    """Each department's steps, oldest first."""
    steps: dict[int, list[tuple[dt.date, str, Decimal]]] = {}
    for dept_id, valid_from, label, share in (
        DepartmentStep.objects.filter(agreement=agreement)
        .values_list("department_id", "valid_from", "label", "share_percent")
        .order_by("valid_from")
    ):
        steps.setdefault(dept_id, []).append((valid_from, label, share))
    return steps


def _judge(
    record: _Turn,
    book: TurnBook,
    dwelling_type: str,
    rent: Decimal,
    *,
    slack: bool,
    rng: random.Random,
    today: dt.date,
) -> None:
    """Whose turn the reported dwelling is, as the turn engine decides, and how it ended."""
    version = record.version
    eligibility = check_turn_eligibility(
        dwelling_type=dwelling_type,
        rent=rent,
        covered_types=set(version.covered_dwelling_types),
        rent_ceiling=version.rent_ceiling,
    )
    if not eligibility.eligible:
        record.eligible = record.municipal = False
        record.outcome = Outcome.ORDINARY
        record.reason_code = "not_eligible"
        record.reason_params = {
            "reasons": [{"code": r.code, "params": r.params} for r in eligibility.reasons]
        }
        return
    decision = book.decide(
        BucketKey(record.organisation_id, share_from_percent(record.share_percent))
    )
    record.eligible, record.municipal = True, decision.municipal
    record.reason_code, record.reason_params = decision.reason_code, dict(decision.params)
    record.outcome = _outcome(rng, decision.municipal, record.report_date, today, slack)


def _save_counters(agreement: AllocationAgreement, book: TurnBook) -> None:
    TurnCounter.objects.bulk_create(
        [
            TurnCounter(
                agreement=agreement,
                organisation_id=key.organisation_id,
                share_percent=(Decimal(key.share.numerator * 100) / key.share.denominator).quantize(
                    Decimal("0.01")
                ),
                eligible=state.eligible,
                municipal=state.municipal,
                credit_numerator=state.credit.numerator,
                credit_denominator=state.credit.denominator,
            )
            for key, state in book.states.items()
        ],
        batch_size=2000,
    )


def _outcome(
    rng: random.Random, municipal: bool, day: dt.date, today: dt.date, slack: bool
) -> Outcome:
    if not municipal:
        return Outcome.ORDINARY
    if (today - day).days < 10:
        return Outcome.PENDING
    if slack and rng.random() < 0.35:
        return Outcome.ORDINARY
    roll = rng.random()
    return Outcome.ACCEPTED if roll < 0.75 else Outcome.DECLINED if roll < 0.9 else Outcome.EXPIRED
