"""A lease cancelled before move-in through the API: the organisation's system of that dwelling
(or the municipality's) records it with the same service as the vacancy page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anvis.vacancies import services as flow
from anvis.vacancies.models import Lease, Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def lease(users: dict[str, Any], org_a: Any, offer_for: Any) -> Lease:
    offer = offer_for(org_a)
    today = timezone.localdate()
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=today)
    start = today + dt.timedelta(days=30)
    return flow.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=today,
        starts_on=start,
        move_in_on=start,
        today=today,
    ).lease


def _url(lease: Lease) -> str:
    return f"/api/v1/leases/{lease.pk}/cancel/"


def test_the_organisation_records_the_cancellation(api: Any, lease: Lease) -> None:
    today = timezone.localdate().isoformat()
    response = api("org_a").post(
        _url(lease), {"cancelled_on": today, "reason": "Borgeren trak sig"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["lease"]["cancelled_on"] == today
    assert body["lease"]["cancellation_reason"] == "Borgeren trak sig"
    assert body["corrections"] == []
    assert Vacancy.objects.get(pk=lease.vacancy_id).status == "accepted"
    listed = api("org_a").get("/api/v1/leases/").json()["results"]
    assert [row["cancelled_on"] for row in listed] == [today]


def test_bad_input_names_the_field_in_danish(api: Any, lease: Lease) -> None:
    client = api("org_a")
    missing = client.post(_url(lease), {"cancelled_on": timezone.localdate().isoformat()})
    assert missing.status_code == 400
    assert "reason" in missing.json()["errors"]
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    late = client.post(_url(lease), {"cancelled_on": future, "reason": "Annulleret"})
    assert late.status_code == 400
    assert late.json()["errors"]["cancelled_on"] == [
        "Ophævelsen kan ikke dateres senere end i dag."
    ]
    assert Lease.objects.get(pk=lease.pk).cancelled_on is None


def test_another_organisation_gets_404(api: Any, lease: Lease) -> None:
    response = api("org_b").post(
        _url(lease), {"cancelled_on": timezone.localdate().isoformat(), "reason": "x"}
    )
    assert response.status_code == 404
    assert Lease.objects.get(pk=lease.pk).cancelled_on is None


def test_the_municipality_may_record_it_too(api: Any, lease: Lease) -> None:
    response = api("municipal").post(
        _url(lease), {"cancelled_on": timezone.localdate().isoformat(), "reason": "Annulleret"}
    )
    assert response.status_code == 200, response.content
    again = api("municipal").post(
        _url(lease), {"cancelled_on": timezone.localdate().isoformat(), "reason": "Igen"}
    )
    assert again.status_code == 400
    assert again.json()["code"] == "lease_cancelled"


@pytest.mark.parametrize(
    ("key", "reason_shown"),
    [
        ("boligorganisation", True),
        ("sagsbehandler", True),
        ("anvisningsleder", True),
        ("administrator", True),
        ("styregruppe", False),
    ],
)
def test_the_lease_list_gives_the_reason_to_the_parties_only(
    api: Any, lease: Lease, client_for: Any, key: str, reason_shown: bool
) -> None:
    """The reason is free text about a citizen: the API's lease list, which the steering group
    reads, gives it as the vacancy page does (`disclosure.sees_cancellation_reasons`)."""
    reason = "Borgeren er indlagt på afrusning"
    response = api("org_a").post(
        _url(lease), {"cancelled_on": timezone.localdate().isoformat(), "reason": reason}
    )
    assert response.status_code == 200, response.content
    listed = client_for(key).get("/api/v1/leases/")
    assert listed.status_code == 200
    (row,) = listed.json()["results"]
    assert row["cancelled_on"] == timezone.localdate().isoformat()
    assert (reason in listed.content.decode()) is reason_shown
    assert row["cancellation_reason"] == (reason if reason_shown else None)
