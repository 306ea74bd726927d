"""The same read or write gives the same answer on the page and through the API: each test asks
both for one thing and compares what they say."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.vacancies import services as flow
from anvis.vacancies.models import Lease

from .conftest import ApiClient

pytestmark = pytest.mark.django_db

REASON = "Borgeren trak sig efter samtale med familien"


@pytest.fixture
def cancelled_lease(users: dict[str, Any], org_a: Any, offer_for: Any) -> Lease:
    offer = offer_for(org_a)
    today = timezone.localdate()
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=today)
    start = today + dt.timedelta(days=30)
    lease = flow.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=today,
        starts_on=start,
        move_in_on=start,
        today=today,
    ).lease
    return flow.lease_cancel(
        actor=users["boligorganisation"], lease=lease, cancelled_on=today, reason=REASON
    ).lease


@pytest.mark.parametrize(
    ("role", "sees"),
    [("styregruppe", False), ("anvisningsleder", True), ("boligorganisation", True)],
)
def test_the_cancellation_reason_is_shown_to_the_same_roles_on_the_page_and_in_the_api(
    client_for: Any, cancelled_lease: Lease, role: str, sees: bool
) -> None:
    """Why a lease was cancelled before move-in is free text about a citizen: the parties read
    it, the steering group sees only that it happened (`disclosure.sees_cancellation_reasons`),
    on the vacancy page and in `GET leases/` alike."""
    client = client_for(role)
    page = client.get(reverse("vacancies:vacancy_detail", args=[cancelled_lease.vacancy_id]))
    assert page.status_code == 200
    assert (REASON in page.content.decode()) is sees
    listed = ApiClient(client=client).get("/api/v1/leases/")
    assert listed.status_code == 200
    (row,) = [r for r in listed.json()["results"] if r["id"] == cancelled_lease.pk]
    assert row["cancelled_on"] == cancelled_lease.cancelled_on.isoformat()
    assert row["cancellation_reason"] == (REASON if sees else None)


@pytest.fixture
def accepted(users: dict[str, Any], agreement: Any, org_a: Any) -> Any:
    from .conftest import dwelling_of

    day = timezone.localdate()
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling_of(org_a),
        notice_date=day,
        available_from=day,
        report_date=day,
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def _page_errors(response: Any, field: str) -> list[str]:
    assert response.status_code == 422
    return list(response.context["form"].errors[field])


def _api_errors(response: Any, field: str) -> list[str]:
    assert response.status_code == 400, response.content
    return list(response.json()["errors"][field])


@pytest.mark.parametrize("reason", [None, "", "   ", "x" * 1001])
def test_hand_back_refuses_the_same_reasons_in_the_same_words(
    client_for: Any, accepted: Any, reason: str | None
) -> None:
    """The page's form and the API's body refuse a missing, blank or too long reason alike; a
    missing or blank one in the service's words (`vacancy_hand_back`)."""
    client = client_for("anvisningsleder")
    data = {} if reason is None else {"reason": reason}
    page = client.post(reverse("vacancies:vacancy_hand_back", args=[accepted.pk]), data)
    answer = ApiClient(client=client).post(f"/api/v1/vacancies/{accepted.pk}/hand-back/", data)
    if reason is None or not reason.strip():
        assert _page_errors(page, "reason") == _api_errors(answer, "reason")
    else:
        assert _page_errors(page, "reason") and _api_errors(answer, "reason")
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


@pytest.mark.parametrize("reason", [None, "", "   ", "x" * 1001])
def test_lease_cancel_refuses_the_same_reasons_in_the_same_words(
    client_for: Any, users: dict[str, Any], org_a: Any, offer_for: Any, reason: str | None
) -> None:
    offer = offer_for(org_a)
    today = timezone.localdate()
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=today)
    lease = flow.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=today,
        starts_on=today + dt.timedelta(days=30),
        move_in_on=today + dt.timedelta(days=30),
        today=today,
    ).lease
    client = client_for("boligorganisation")
    data: dict[str, str] = {"cancelled_on": today.isoformat()}
    if reason is not None:
        data["reason"] = reason
    page = client.post(reverse("vacancies:lease_cancel", args=[lease.pk]), data)
    answer = ApiClient(client=client).post(f"/api/v1/leases/{lease.pk}/cancel/", data)
    if reason is None or not reason.strip():
        assert _page_errors(page, "reason") == _api_errors(answer, "reason")
    else:
        assert _page_errors(page, "reason") and _api_errors(answer, "reason")
    assert Lease.objects.get(pk=lease.pk).cancelled_on is None


def test_rejecting_a_nominee_without_documentation_is_refused_in_the_same_words(
    client_for: Any, org_a: Any, offer_for: Any
) -> None:
    """The organisation rejects a nominee only with the ground's documentation: the page and the
    API say so in the service's words (`offer_reject`)."""
    offer = offer_for(org_a)
    client = client_for("boligorganisation")
    page = client.post(
        reverse("vacancies:offer_reject", args=[offer.pk]),
        {"ground": "debt_without_plan", "note": ""},
    )
    answer = ApiClient(client=client).post(
        f"/api/v1/offers/{offer.pk}/answer/", {"answer": "reject", "ground": "debt_without_plan"}
    )
    assert _page_errors(page, "note") == _api_errors(answer, "note")
    offer.refresh_from_db()
    assert offer.status == "pending"


@pytest.mark.parametrize("event_types", [["vacancy.status_changed"], ["vacancy.nonsense"]])
def test_a_webhook_subscription_is_checked_and_audited_alike_in_the_admin_and_the_api(
    client_for: Any, api: Any, org_a: Any, settings: Any, event_types: list[str]
) -> None:
    """Subscribing in the Django admin and through `POST webhooks/` is the one service,
    `webhook_subscription_create`: the same refusal of an unknown event type, the same audit
    row."""
    import json

    from anvis.api.models import WebhookSubscription
    from anvis.audit.models import AuditEvent

    settings.ANVIS_WEBHOOK_ALLOW_HTTP = True
    url = "http://127.0.0.1:9/hook"
    answer = api("org_a").post("/api/v1/webhooks/", {"url": url, "event_types": event_types})
    page = client_for("administrator").post(
        "/admin/api/webhooksubscription/add/",
        {"organisation": org_a.pk, "url": url, "event_types": json.dumps(event_types)},
    )
    audited = AuditEvent.objects.filter(action="api.webhook_subscribe").count()
    if event_types == ["vacancy.nonsense"]:
        assert answer.status_code == 400
        assert [k for k in answer.json()["errors"] if k.startswith("event_types")]
        assert page.status_code == 200 and "vacancy.nonsense" in page.content.decode()
        assert (WebhookSubscription.objects.count(), audited) == (0, 0)
    else:
        assert answer.status_code == 201 and page.status_code == 302
        assert (WebhookSubscription.objects.count(), audited) == (2, 2)


def test_a_claim_description_is_limited_alike_on_the_page_and_in_the_api(
    client_for: Any, users: dict[str, Any], org_a: Any, offer_for: Any
) -> None:
    """One limit for a guarantee claim's description (`limits.MAX_CLAIM_DESCRIPTION`): the page
    took any length where the API stopped at 5,000 characters."""
    from anvis.vacancies.choices import GuaranteeKindChoice
    from anvis.vacancies.limits import MAX_CLAIM_DESCRIPTION
    from anvis.vacancies.models import GuaranteeClaim

    offer = offer_for(org_a)
    today = timezone.localdate()
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=today)
    lease = flow.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=today,
        starts_on=today,
        move_in_on=today,
        today=today,
    ).lease
    client = client_for("boligorganisation")
    data = {
        "kind": GuaranteeKindChoice.FIRST_YEAR_ARREARS.value,
        "event_date": today.isoformat(),
        "amount": "1000",
        "description": "x" * (MAX_CLAIM_DESCRIPTION + 1),
    }
    page = client.post(reverse("vacancies:claim_create", args=[lease.pk]), data)
    answer = ApiClient(client=client).post("/api/v1/guarantee-claims/", {**data, "lease": lease.pk})
    assert _page_errors(page, "description") and _api_errors(answer, "description")
    assert not GuaranteeClaim.objects.exists()
