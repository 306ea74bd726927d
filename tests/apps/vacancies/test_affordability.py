"""Affordability per dwelling through the one gate on the database side: rent + a conto − the
estimated housing benefit (skønnet boligstøtte) against what the household can pay; a
caseworker's own maximum rent is judged against the rent as before."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.cases.models import Case
from anvis.vacancies import gate
from anvis.vacancies import services as flow
from anvis_core.housing_benefit import Household, estimate

pytestmark = pytest.mark.django_db


def _accepted(users: dict[str, Any], dwelling: Any, day: dt.date) -> Any:
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=day,
        available_from=day,
        report_date=day,
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def test_estimated_benefit_in_the_gate(
    users: dict[str, Any], agreement: Any, case: Any, cheap: Any, client_for: Any
) -> None:
    day = timezone.localdate()
    vacancy = _accepted(users, cheap, day)
    benefit = estimate(
        rent=vacancy.rent_at_letting,
        area_m2=cheap.area_m2,
        household=Household(income=120_000),
        on=day,
        heating_separate=cheap.aconto > 0,
    ).monthly
    assert benefit > 0
    net = vacancy.rent_at_letting + cheap.aconto - benefit
    # 35 % of the disposable income is exactly one krone short of the net cost.
    income = -(-(net - 1) * 100 // 35)
    assert income * 35 // 100 == net - 1
    Case.objects.filter(pk=case.pk).update(income_amount=income, benefit_income=120_000)

    result = gate.offer_check(case=case, vacancy=vacancy, day=day)
    assert result.findings.codes == ("unaffordable",)
    (row,) = result.rows()
    assert row["severity"] == "soft"
    assert "skønnet boligstøtte" in row["text"]
    assert f"{benefit} kr" in row["text"]

    assert result.affordability is not None and result.affordability["benefit"] == benefit

    # One krone more income a month is enough: no finding.
    Case.objects.filter(pk=case.pk).update(income_amount=income + 3)
    assert gate.offer_check(case=case, vacancy=vacancy, day=day).findings.codes == ()

    # The offer dialogue shows the estimate and says it is one, also without a finding.
    url = reverse("vacancies:offer_create", args=[vacancy.pk]) + f"?sag={case.pk}"
    page = client_for("sagsbehandler").get(url).content.decode()
    assert f"Skønnet boligstøtte (boligsikring) for denne bolig og husstand: {benefit} kr" in page
    assert "Boligstøtten er et skøn" in page

    # The caseworker's own maximum rent is judged against the rent, as before.
    Case.objects.filter(pk=case.pk).update(
        max_rent_override=vacancy.rent_at_letting - 1, max_rent_override_reason="Gæld"
    )
    assert gate.offer_check(case=case, vacancy=vacancy, day=day).findings.codes == (
        "rent_over_max",
    )
