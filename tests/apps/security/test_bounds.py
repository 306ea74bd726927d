"""Values beyond any sensible range get a Danish message naming the field, not a server error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from anvis.agreements import services as agreement_services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/ledige-boliger/opgoerelse/", "/ledige-boliger/opgoerelser/"])
def test_a_statement_month_far_ahead_is_a_form_error(client_for: Any, org_a: Any, url: str) -> None:
    response = client_for("anvisningsleder").get(
        url, {"organisation": org_a.pk, "month": "9999-12", "format": "pdf"}
    )
    assert response.status_code in (200, 422)
    assert "Vælg en måned mellem 2000 og 2099." in response.content.decode()


def test_an_agreement_deadline_has_an_upper_bound(users: dict[str, Any], org_a: Any) -> None:
    with pytest.raises(ValidationError) as info:
        agreement_services.agreement_create(
            actor=users["anvisningsleder"],
            municipality="Aalborg Kommune",
            title="Udlejningsaftale",
            period_start=dt.date(2024, 1, 1),
            parties=[org_a],
            signed_on=dt.date(2023, 12, 1),
            terms={
                "municipal_share_percent": Decimal("25"),
                "covered_dwelling_types": ["family"],
                "rent_ceiling": 5000,
                "response_deadline_working_days": 5_000_000,
            },
        )
    assert "Fristen kan højst være 60 hverdage." in str(info.value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rent_at_letting", "9000000000", "Denne værdi skal være mindre end eller lig 100000."),
        ("remarks", "x" * 2001, "2000 tegn"),
    ],
)
def test_the_vacancy_form_has_the_limits_of_the_file_and_the_api(
    client_for: Any, org_a: Any, field: str, value: str, message: str
) -> None:
    from anvis.stock.models import Dwelling
    from anvis.vacancies.models import Vacancy

    dwelling = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    assert dwelling is not None
    day = dt.date.today().isoformat()
    data = {
        "dwelling": dwelling.pk,
        "source": "report",
        "notice_date": day,
        "available_from": day,
        field: value,
    }
    response = client_for("boligorganisation").post("/ledige-boliger/meld/", data)
    assert response.status_code in (200, 422)
    assert message in response.content.decode()
    assert not Vacancy.objects.exists()


def test_a_vacancy_more_than_a_year_off_is_refused_by_the_model(org_a: Any) -> None:
    from anvis.stock.models import Dwelling
    from anvis.vacancies.models import Vacancy

    dwelling = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    today = dt.date(2026, 12, 7)
    vacancy = Vacancy(
        organisation=org_a,
        dwelling=dwelling,
        notice_date=dt.date(1, 1, 1),
        available_from=dt.date(9999, 12, 31),
        report_date=today,
        rent_at_letting=100_001,
    )
    with pytest.raises(ValidationError) as info:
        vacancy.full_clean()
    errors = info.value.message_dict
    assert "mere end et år efter meldingen" in errors["available_from"][0]
    assert "mere end et år før meldingen" in errors["notice_date"][0]
    assert "højst være 100000 kr." in errors["rent_at_letting"][0]
