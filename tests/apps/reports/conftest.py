"""A small, deterministic data set for the quarterly report of 2026-Q2 (April–June 2026),
made by direct model creation. The tests count the same figures independently with queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from anvis.agreements import services as agreement_services
from anvis.agreements.models import GovernanceForum, TurnRecord
from anvis.cases.models import Case, Citizen, ShelterStay, SupportPlan
from anvis.monitoring.models import MunicipalPlacement
from anvis.stock.models import Dwelling
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer, Vacancy
from anvis_core.quotas import Quarter

QUARTER = Quarter(2026, 2)
TODAY = dt.date(2026, 7, 15)
D = dt.date


@dataclass
class DataSet:
    agreement: Any
    forum: Any
    org_a: Any
    org_b: Any
    cases: list[Any]


def _citizen(i: int, birth: dt.date, sex: str) -> Citizen:
    return Citizen.objects.create(
        cpr=f"{birth:%d%m%y}-{1000 + i}",
        cpr_hash=f"hash-{i:04d}",
        reference=f"B-{i:05d}",
        first_name=f"Borger{i}",
        last_name="Testesen",
        birth_date=birth,
        recorded_sex=sex,
    )


def _case(i: int, citizen: Citizen, opened: dt.date, **extra: Any) -> Case:
    return Case.objects.create(
        number=f"S-2026-{i:05d}",
        citizen=citizen,
        opened_on=opened,
        waiting_since=extra.pop("waiting_since", opened),
        situation=extra.pop("situation", "rough_sleeping"),
        situation_since=opened,
        **extra,
    )


def _dwelling(org: Any, n: int, rent: int) -> Dwelling:
    entrance = org.departments.first().entrances.first()
    return Dwelling.objects.create(
        entrance=entrance, floor=str(n), door="mf", rooms=2, area_m2=55, rent=rent
    )


def _housed(
    case: Case,
    org: Any,
    n: int,
    *,
    report: dt.date,
    answered: dt.date,
    offered: dt.date,
    signed: dt.date,
    move_in: dt.date,
    rent: int,
    void_days: int = 0,
    void: str = "0",
) -> Lease:
    dwelling = _dwelling(org, n, rent)
    vacancy = Vacancy.objects.create(
        organisation=org,
        dwelling=dwelling,
        notice_date=report,
        available_from=report,
        report_date=report,
        rent_at_letting=rent,
        status="let",
        answered_on=answered,
        void_rent_start=report,
        void_rent_payer="municipality",
        let_from=move_in,
    )
    offer = Offer.objects.create(
        vacancy=vacancy,
        case=case,
        status="accepted",
        offered_on=offered,
        response_deadline=offered + dt.timedelta(days=7),
        answered_on=offered,
    )
    MunicipalPlacement.objects.create(
        dwelling=dwelling,
        entrance=dwelling.entrance,
        department=dwelling.entrance.department,
        placed_on=move_in,
        case_ref=case.number,
    )
    return Lease.objects.create(
        vacancy=vacancy,
        offer=offer,
        signed_on=signed,
        starts_on=move_in,
        move_in_on=move_in,
        void_rent_days=void_days,
        void_rent_amount=Decimal(void),
        void_rent_payer="municipality",
    )


@pytest.fixture
def dataset(users: dict[str, Any], org_a: Any, org_b: Any) -> DataSet:
    lead = users["anvisningsleder"]
    agreement = agreement_services.agreement_create(
        actor=lead,
        municipality="Aalborg Kommune",
        title="Udlejningsaftale 2024–2028",
        period_start=D(2024, 1, 1),
        period_end=D(2028, 12, 31),
        parties=[org_a, org_b],
        terms={
            "municipal_share_percent": Decimal("25"),
            "cap_per_department_12m": 3,
            "cap_per_entrance_12m": 2,
        },
    )
    version = agreement.versions.get()
    dept_a = org_a.departments.first()
    dept_b = org_b.departments.first()
    dw_a = Dwelling.objects.filter(entrance__department=dept_a).first()
    dw_b = Dwelling.objects.filter(entrance__department=dept_b).first()

    def turn(
        org: Any, dept: Any, dw: Any, day: dt.date, eligible: bool, municipal: bool, outcome: str
    ) -> None:
        TurnRecord.objects.create(
            agreement=agreement,
            version=version,
            organisation=org,
            department=dept,
            dwelling=dw,
            report_date=day,
            eligible=eligible,
            municipal=municipal,
            share_percent=Decimal("25"),
            outcome=outcome,
            reason_code="test",
        )

    # Q1: org A, two municipal turns accepted.
    for day in (D(2026, 2, 2), D(2026, 3, 3)):
        turn(org_a, dept_a, dw_a, day, True, True, "accepted")
    # Q2: org A 8 eligible (6 municipal: 3 accepted, 2 declined, 1 expired; 2 ordinary) and one
    # not eligible; org B 2 eligible municipal (1 accepted, 1 pending).
    q2 = [D(2026, 4, 1) + dt.timedelta(days=7 * i) for i in range(11)]
    outcomes = ["accepted"] * 3 + ["declined_by_municipality"] * 2 + ["expired"]
    for day, outcome in zip(q2[:6], outcomes, strict=True):
        turn(org_a, dept_a, dw_a, day, True, True, outcome)
    turn(org_a, dept_a, dw_a, q2[6], True, False, "ordinary")
    turn(org_a, dept_a, dw_a, q2[7], True, False, "ordinary")
    turn(org_a, dept_a, dw_a, q2[8], False, False, "ordinary")
    turn(org_b, dept_b, dw_b, q2[9], True, True, "accepted")
    turn(org_b, dept_b, dw_b, q2[10], True, True, "pending")

    # Twelve citizens, six women; ages on 30 June 2026 in bands 18–24 (4), 30–39 (5), 50–64 (3).
    births = [D(2004, 1, 1)] * 4 + [D(1990, 1, 1)] * 5 + [D(1970, 1, 1)] * 3
    cases = []
    for i, birth in enumerate(births, 1):
        citizen = _citizen(i, birth, "female" if i % 2 else "male")
        cases.append(
            _case(
                i,
                citizen,
                D(2025, 10, 1) + dt.timedelta(days=10 * i),
                income_amount=9000 + 500 * i,
                housing_benefit=0,
                situation="shelter_110" if i <= 6 else "rough_sleeping",
            )
        )
    # Six housed in Q2 (cases 1–6), reported 1 April, accepted after 2+i days, moved in May–June.
    for i, case in enumerate(cases[:6], 1):
        report = D(2026, 4, 1)
        _housed(
            case,
            org_a if i <= 4 else org_b,
            i,
            report=report,
            answered=report + dt.timedelta(days=2 + i),
            offered=report + dt.timedelta(days=10 + i),
            signed=report + dt.timedelta(days=30 + i),
            move_in=report + dt.timedelta(days=40 + i),
            rent=3100 + 200 * i,
            void_days=10 + i,
            void=str(1000 + 100 * i),
        )
        case.status = "housed"
        case.save()
    # Case 12 is closed in May without a home.
    cases[11].status = "closed"
    cases[11].closed_on = D(2026, 5, 20)
    cases[11].save()
    # A return to homelessness: citizen 1 was housed on an older case in March 2025, so case 1
    # (opened 11 October 2025) is a re-entry case in 2025-Q4.
    old = _case(99, cases[0].citizen, D(2025, 1, 5), status="closed", closed_on=D(2025, 9, 1))
    old_lease = _housed(
        old,
        org_a,
        99,
        report=D(2025, 2, 1),
        answered=D(2025, 2, 3),
        offered=D(2025, 2, 10),
        signed=D(2025, 3, 1),
        move_in=D(2025, 3, 15),
        rent=3000,
    )
    assert old_lease.pk

    # Declined offers in Q2: five client-declined (3 location, 2 rent), one provider-declined.
    spare = _dwelling(org_b, 50, 3300)
    vacancy = Vacancy.objects.create(
        organisation=org_b,
        dwelling=spare,
        notice_date=D(2026, 4, 1),
        available_from=D(2026, 4, 1),
        report_date=D(2026, 4, 1),
        rent_at_letting=3300,
        status="accepted",
        answered_on=D(2026, 4, 2),
    )
    reasons = (
        [("client_location", "client")] * 3
        + [("client_rent", "client")] * 2
        + [("provider_unsuitable", "provider")]
    )
    for j, (reason, side) in enumerate(reasons):
        day = D(2026, 4, 10) + dt.timedelta(days=j)
        Offer.objects.create(
            vacancy=vacancy,
            case=cases[6 + j % 5],
            status="declined",
            offered_on=day,
            response_deadline=day + dt.timedelta(days=7),
            answered_on=day,
            decline_reason=reason,
            decline_side=side,
        )

    # Guarantee claims: two approved in Q2 for org A, one rejected.
    leases = list(Lease.objects.filter(vacancy__organisation=org_a, starts_on__gte=D(2026, 1, 1)))
    for k, (status, amount) in enumerate(
        [("approved", 4000), ("approved", 2500), ("rejected", 900)]
    ):
        GuaranteeClaim.objects.create(
            lease=leases[k],
            kind="move_out_repairs",
            event_date=D(2026, 6, 1),
            amount=amount,
            description="Istandsættelse",
            status=status,
            submitted_on=D(2026, 6, 2),
            decided_on=D(2026, 6, 10),
            decision_reason="" if status == "approved" else "Nej",
        )

    # Placements for retention: 7 moved in Oct–Dec 2025 (6-month anniversary in Q2).
    dw = _dwelling(org_b, 60, 3000)
    for k in range(7):
        placed = D(2025, 10, 5) + dt.timedelta(days=12 * k)
        out, outcome = (None, "living")
        if k == 0:
            out, outcome = placed + dt.timedelta(days=40), "terminated"
        if k == 1:
            out, outcome = placed + dt.timedelta(days=60), "moved_on"
        MunicipalPlacement.objects.create(
            dwelling=dw,
            entrance=dw.entrance,
            department=dw.entrance.department,
            placed_on=placed,
            moved_out_on=out,
            outcome=outcome,
            case_ref=f"R-{k}",
        )

    # § 110 stays and § 85 a decisions.
    ShelterStay.objects.create(
        case=cases[0], shelter="Herberget", admitted_on=D(2026, 3, 1), discharged_on=D(2026, 4, 21)
    )
    ShelterStay.objects.create(case=cases[1], shelter="Herberget", admitted_on=D(2026, 6, 1))
    SupportPlan.objects.create(
        case=cases[0], method="s85a", provider="Kommunen", decided_on=D(2026, 4, 15)
    )
    SupportPlan.objects.create(
        case=cases[1], method="cti", provider="Kommunen", decided_on=D(2026, 6, 5)
    )
    forum = GovernanceForum.objects.create(
        agreement=agreement, kind="strategic", name="Strategisk arbejdsgruppe"
    )
    return DataSet(agreement, forum, org_a, org_b, cases)
