"""An id written in other digits than 0–9. `str.isdigit()` takes "²" (and Arabic or full-width
digits), which `int()` refuses: a page or the API given such an id in its query answered with a
server error. Every id read from a request or a file goes through `anvis.common.numbers.digits`."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from .conftest import accepted_vacancy

pytestmark = pytest.mark.django_db

ODD = ["²", "١٢", "１２"]


@pytest.mark.parametrize("value", ODD)
def test_an_id_in_other_digits_is_refused_or_unknown_on_the_pages(
    client_for: Any, users: dict[str, Any], agreement: Any, org_a: Any, value: str
) -> None:
    vacancy = accepted_vacancy(users, org_a)
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
