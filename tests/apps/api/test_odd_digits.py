"""An id written in other digits than 0–9. `str.isdigit()` takes "²" (and Arabic or full-width
digits), which `int()` refuses: a page or the API given such an id in its query answered with a
server error. Every id read from a request or a file goes through `anvis.common.numbers.digits`."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone, translation

from .conftest import dwelling_of

pytestmark = pytest.mark.django_db

ODD = ["²", "١٢", "１２"]


@pytest.mark.parametrize("value", ODD)
def test_an_id_in_other_digits_is_refused_or_unknown_on_the_pages(
    client_for: Any, users: dict[str, Any], agreement: Any, org_a: Any, value: str
) -> None:
    from anvis.vacancies import services as flow

    today = timezone.localdate()
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling_of(org_a),
        notice_date=today,
        available_from=today + dt.timedelta(days=30),
        report_date=today,
    )
    flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=today)
    lead = client_for("anvisningsleder")
    for url in (
        f"/aftaler/regnskab/?aftale={value}",
        f"/aftaler/{agreement.pk}/trin/?organisation={value}",
        f"/aftaler/{agreement.pk}/trin/ny/?department={value}",
        f"/ledige-boliger/{vacancy.pk}/tilbud/ny/?sag={value}",
    ):
        assert lead.get(url).status_code < 500, url
    assert (
        client_for("sagsbehandler")
        .get(f"/ledige-boliger/{vacancy.pk}/tilbud/ny/?sag={value}")
        .status_code
        == 200
    )


@pytest.mark.parametrize("value", ODD)
def test_an_id_in_other_digits_is_a_named_error_in_the_api(api: Any, value: str) -> None:
    with translation.override("da"):
        response = api("municipal").get("/api/v1/ledger/", agreement=value)
    assert response.status_code == 400
    assert response.json()["errors"] == {"agreement": ["Vælg en aftale (dens id)."]}
