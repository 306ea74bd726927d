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
from anvis.common import formats as fmt
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
    # The amounts as every page writes them (4.250, not 4250).
    assert f"Husstanden ville betale husleje {fmt.number(vacancy.rent_at_letting)} kr" in page
    assert vacancy.rent_at_letting >= 1000
    assert "Boligstøtten er et skøn" in page

    # The caseworker's own maximum rent is judged against the rent, as before.
    Case.objects.filter(pk=case.pk).update(
        max_rent_override=vacancy.rent_at_letting - 1, max_rent_override_reason="Gæld"
    )
    assert gate.offer_check(case=case, vacancy=vacancy, day=day).findings.codes == (
        "rent_over_max",
    )


def test_the_case_page_does_not_claim_a_maximum_rent_the_gate_does_not_use(
    users: dict[str, Any], agreement: Any, case: Any, cheap: Any, client_for: Any
) -> None:
    """With the household income for the housing benefit recorded and no maximum rent set by
    hand, the gate judges each dwelling on rent + a conto − the estimated benefit against what
    the household can pay; the case page must say that amount, not name the default maximum
    rent as the one used (it let the dwelling through while the gate found it unaffordable)."""
    day = timezone.localdate()
    vacancy = _accepted(users, cheap, day)
    Case.objects.filter(pk=case.pk).update(
        income_amount=4000, housing_benefit=3000, benefit_income=400_000
    )
    case.refresh_from_db()
    # The default maximum rent (35 % of 4,000 kr + 3,000 kr = 4,400 kr) is above the rent ...
    assert vacancy.rent_at_letting < 4400
    # ... but the gate judges the estimate: 1,400 kr is what the household can pay.
    codes = gate.offer_check(case=case, vacancy=vacancy, day=day).findings.codes
    assert codes == ("unaffordable",)
    page = client_for("sagsbehandler").get(reverse("cases:case_economy", args=[case.pk]))
    text = page.content.decode()
    used = text[text.index("Anvendt maksimal husleje") :].split("</dd>")[0]
    assert "4.400" not in used
    assert "1.400 kr" in used
