"""A voluntary offer on an ordinary turn is "ekstra" on the vacancy page (status and whose
turn), and the API says the same words (`anvis.vacancies.turns`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from anvis.agreements import services as agreement_services
from anvis.api.services import api_token_create
from anvis.vacancies import services
from tests.apps.api.conftest import ApiClient

from .conftest import REPORT_DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def forty(users: dict[str, Any], org_a: Any, org_b: Any) -> Any:
    return agreement_services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2028, 12, 31),
        parties=[org_a, org_b],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("40"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
        },
    )


def test_voluntary_offer_on_an_ordinary_turn_is_extra_everywhere(
    users: dict[str, Any], client_for: Any, forty: Any, cheap: Any
) -> None:
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY - dt.timedelta(days=30),
        available_from=REPORT_DAY + dt.timedelta(days=10),
        source="voluntary",
        report_date=REPORT_DAY,
    )
    assert vacancy.status == "municipal" and not vacancy.turn_record.municipal
    page = client_for("anvisningsleder").get(reverse("vacancies:vacancy_detail", args=[vacancy.pk]))
    text = page.content.decode()
    assert "Ekstra, afventer kommunens svar" in text
    assert "Kommunal tur, afventer svar" not in text
    assert "Ekstra (ikke kommunens tur)" in text
    # 40 % share, first eligible vacancy: credit 40 %, so the turn comes at the 2nd from here.
    assert "Næste kommunale tur forventes ved den 2. egnede ledighed herfra." in text

    token = api_token_create(
        actor=users["administrator"],
        name="Fagsystem",
        kind="municipal",
        user=users["anvisningsleder"],
    )
    body = ApiClient(token.raw).get(f"/api/v1/vacancies/{vacancy.pk}/").json()
    assert body["status_label"] == "Ekstra, afventer kommunens svar"
    assert body["whose_turn"]["kind"] == "extra"
    assert body["whose_turn"]["next"] in text and body["whose_turn"]["happened"] in text


def test_the_list_page_and_the_vacancy_export_give_the_same_status(
    users: dict[str, Any], client_for: Any, forty: Any, cheap: Any
) -> None:
    """The vacancy list's status column and the export's (`VACANCY_COLUMNS`) read one label."""
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY - dt.timedelta(days=30),
        available_from=REPORT_DAY + dt.timedelta(days=10),
        source="voluntary",
        report_date=REPORT_DAY,
    )
    client = client_for("anvisningsleder")
    page = client.get(reverse("vacancies:vacancy_list"))
    assert "Ekstra, afventer kommunens svar" in page.content.decode()
    export = client.get("/api/v1/exports/vacancies/", {"filetype": "csv"})
    assert export.status_code == 200
    lines = export.content.decode("utf-8-sig").strip().split("\r\n")
    header, *rows = (line.split(";") for line in lines)
    (row,) = [r for r in rows if r[0] == str(vacancy.pk)]
    assert row[header.index("Status")] == "Ekstra, afventer kommunens svar"
