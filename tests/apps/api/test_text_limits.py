"""A written reason or description has one limit, checked by the service, so the page and the
API take the same text: the hand-back reason was limited to 1,000 characters on the page and
2,000 in the API (now 1,000 on both, `MAX_REASON`); a rejection's documentation and a guarantee
claim's description had no limit on the page and 2,000 and 5,000 in the API (`MAX_NOTE`,
`MAX_CLAIM_DESCRIPTION`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anvis.vacancies import services as flow
from anvis.vacancies.limits import MAX_CLAIM_DESCRIPTION, MAX_NOTE, MAX_REASON
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer, Vacancy

from .conftest import dwelling_of

pytestmark = pytest.mark.django_db


def page(users: dict[str, Any], role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def _accepted(users: dict[str, Any], org: Any) -> Vacancy:
    day = timezone.localdate()
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling_of(org),
        notice_date=day,
        available_from=day,
        report_date=day,
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def test_a_hand_back_reason_has_one_limit(
    api: Any, users: dict[str, Any], agreement: Any, org_a: Any
) -> None:
    vacancy = _accepted(users, org_a)
    url = reverse("vacancies:vacancy_hand_back", args=[vacancy.pk])
    too_long = {"reason": "x" * (MAX_REASON + 1)}
    assert page(users, "anvisningsleder").post(url, too_long).status_code == 422
    api_path = f"/api/v1/vacancies/{vacancy.pk}/hand-back/"
    assert api("municipal").post(api_path, too_long).status_code == 400
    with pytest.raises(ValidationError) as refused:
        flow.vacancy_hand_back(actor=users["anvisningsleder"], vacancy=vacancy, **too_long)
    assert "reason" in refused.value.message_dict
    assert Vacancy.objects.get(pk=vacancy.pk).status == "accepted"
    # The limit itself is taken by both.
    response = page(users, "anvisningsleder").post(url, {"reason": "x" * MAX_REASON})
    assert response.status_code == 302
    assert Vacancy.objects.get(pk=vacancy.pk).status == "handed_back"


def test_a_rejections_documentation_has_one_limit(
    api: Any, users: dict[str, Any], org_a: Any, offer_for: Any
) -> None:
    offer = offer_for(org_a)
    url = reverse("vacancies:offer_reject", args=[offer.pk])
    note = "x" * (MAX_NOTE + 1)
    response = page(users, "boligorganisation").post(
        url, {"ground": "debt_without_plan", "note": note}
    )
    assert response.status_code == 422
    response = api("org_a").post(
        f"/api/v1/offers/{offer.pk}/answer/",
        {"answer": "reject", "ground": "debt_without_plan", "note": note},
    )
    assert response.status_code == 400
    with pytest.raises(ValidationError) as refused:
        flow.offer_reject(
            actor=users["boligorganisation"], offer=offer, ground="debt_without_plan", note=note
        )
    assert "note" in refused.value.message_dict
    assert Offer.objects.get(pk=offer.pk).status == "pending"


def test_a_claims_description_has_one_limit(
    api: Any, users: dict[str, Any], org_a: Any, offer_for: Any, agreement: Any
) -> None:
    agreement.versions.update(guarantee_max_repairs=20_000)
    today = timezone.localdate()
    offer = flow.offer_accept(actor=users["sagsbehandler"], offer=offer_for(org_a))
    flow.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=today,
        starts_on=today,
        move_in_on=today,
    )
    lease = Lease.objects.get(offer=offer)
    claim = {
        "kind": "move_out_repairs",
        "event_date": today.isoformat(),
        "amount": "12000",
        "description": "x" * (MAX_CLAIM_DESCRIPTION + 1),
    }
    url = reverse("vacancies:claim_create", args=[lease.pk])
    assert page(users, "boligorganisation").post(url, claim).status_code == 422
    response = api("org_a").post("/api/v1/guarantee-claims/", {**claim, "lease": lease.pk})
    assert response.status_code == 400
    with pytest.raises(ValidationError) as refused:
        flow.guarantee_claim_submit(
            actor=users["boligorganisation"],
            lease=lease,
            kind="move_out_repairs",
            event_date=today,
            amount=12_000,
            description=claim["description"],
        )
    assert "description" in refused.value.message_dict
    assert not GuaranteeClaim.objects.exists()
