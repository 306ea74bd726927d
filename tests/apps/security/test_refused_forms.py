"""A refused form submission answers 422 with the page and its Danish error; a form page shown
with GET answers 200. One test per kind of refusal, and one per server error found by the
bad-input property tests (test_bad_input_forms.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from anvis.agreements.models import AllocationAgreement, ReassessmentStatus, StepReassessment
from anvis.audit.models import AuditEvent
from anvis.cases.models import Case
from anvis.common.forms import form_status
from anvis.reports.models import ReportSnapshot
from anvis.vacancies.models import Offer
from anvis_core.quotas import Quarter

pytestmark = pytest.mark.django_db


class _NameForm(forms.Form):
    name = forms.CharField()


def test_form_status() -> None:
    factory = RequestFactory()
    get, post = factory.get("/"), factory.post("/", {"name": ""})
    assert form_status(get, _NameForm()) == 200
    assert form_status(get, _NameForm({"name": ""})) == 200  # a GET form (a search) is a page
    assert form_status(post, _NameForm({"name": ""})) == 422
    assert form_status(post, _NameForm({"name": "Anna"})) == 200
    assert form_status(post, _NameForm(), None) == 200  # unbound forms for other URLs
    assert form_status(post, refused=True) == 422
    valid = _NameForm({"name": "Anna"})
    valid.is_valid()
    valid.add_error(None, "Afvist af tjenesten")  # a service's refusal shown on the form
    assert form_status(post, valid) == 422


def test_get_is_200_and_empty_post_is_422(client_for: Any) -> None:
    client = client_for("sagsbehandler")
    assert client.get("/sager/ny/").status_code == 200
    # An empty body is a submission too: every required field is named.
    response = client.post("/sager/ny/")
    assert response.status_code == 422
    assert "Dette felt er påkrævet." in response.content.decode()
    assert not Case.objects.exists()


def test_service_refusal_is_422_on_the_form(client_for: Any, world: dict[str, Any]) -> None:
    """The world's vacancy has an open offer: declining it is refused by the service."""
    vacancy = world["vacancy"]
    events = AuditEvent.objects.count()
    response = client_for("anvisningsleder").post(
        reverse("vacancies:vacancy_decline", args=[vacancy.pk]), {"note": "Passer ikke"}
    )
    assert response.status_code == 422
    assert "Ledigheden er allerede besvaret" in response.content.decode()
    vacancy.refresh_from_db()
    assert vacancy.status == "offered"
    assert AuditEvent.objects.count() == events


def test_reassessment_approval_without_a_date_is_422(
    client_for: Any, world: dict[str, Any]
) -> None:
    reassessment = world["reassessment"]
    url = reverse("agreements:reassessment_approve", args=[reassessment.pk])
    response = client_for("anvisningsleder").post(url, {"effective_from": "31-02-2027"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Angiv datoen de nye trin gælder fra." in page
    assert "Indtast en gyldig dato." in page
    reassessment.refresh_from_db()
    assert reassessment.status == ReassessmentStatus.PROPOSED


def test_proposal_to_an_approved_reassessment_is_422(
    client_for: Any, world: dict[str, Any]
) -> None:
    reassessment = world["reassessment"]
    StepReassessment.objects.filter(pk=reassessment.pk).update(status=ReassessmentStatus.APPROVED)
    proposals = reassessment.proposals.count()
    response = client_for("anvisningsleder").post(
        reverse("agreements:reassessment_detail", args=[reassessment.pk]),
        {"department": world["dept_a"].pk, "share_percent": "40", "reason": "Nyt forslag"},
    )
    assert response.status_code == 422
    assert f"Revurderingen for {reassessment.year} er allerede godkendt." in (
        response.content.decode()
    )
    assert reassessment.proposals.count() == proposals


@pytest.mark.parametrize("chosen", [[], ["2147483646"], ["x\x00"]])
def test_matching_offers_without_a_proposal_of_the_run_are_422(
    client_for: Any, world: dict[str, Any], chosen: list[str]
) -> None:
    run = world["matching_run"]
    offers = Offer.objects.count()
    response = client_for("anvisningsleder").post(
        reverse("matching:run_offers", args=[run.pk]), {"proposal": chosen}
    )
    assert response.status_code == 422
    assert "Vælg mindst ét forslag." in response.content.decode()
    assert Offer.objects.count() == offers


@pytest.mark.parametrize("quarter", ["", "2026-Q7", "x\x00", "99999-Q1", "1066-Q4", "next"])
def test_freezing_a_report_needs_a_quarter_that_has_begun(
    client_for: Any, users: dict[str, Any], quarter: str
) -> None:
    if quarter == "next":
        quarter = str(Quarter.of(timezone.localdate()).next())
    response = client_for("anvisningsleder").post(
        reverse("reports:snapshot_create"), {"kvartal": quarter}
    )
    assert response.status_code == 422
    assert "Kvartal: vælg et af de kvartaler, der tilbydes" in response.content.decode()
    assert not ReportSnapshot.objects.exists()


@pytest.mark.parametrize("party", ["1" + "0" * 30, "-9223372036854775809", "9223372036854775808"])
def test_an_id_beyond_the_database_integers_is_an_unknown_choice(
    client_for: Any, users: dict[str, Any], party: str
) -> None:
    """Regression: SQLite raised OverflowError (a server error) for such a party id."""
    response = client_for("anvisningsleder").post(
        reverse("agreements:agreement_create"),
        {
            "municipality": "Aalborg Kommune",
            "title": "Ny",
            "parties": [party],
            "period_start": "2026-01-01",
            "period_end": "2027-12-31",
        },
    )
    assert response.status_code == 422
    assert "er ikke en gyldig værdi" in response.content.decode()
    assert not AllocationAgreement.objects.exists()


def test_failed_login_is_422_and_lockout_stays_429(
    settings: Any, users: dict[str, Any], client: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    wrong = {"username": "u_sagsbehandler", "password": "forkert-kode-123"}
    first = client.post("/konto/login/", wrong)
    assert first.status_code == 422
    assert "korrekt brugernavn og adgangskode" in first.content.decode()
    assert client.post("/konto/login/", wrong).status_code == 429


def test_password_change_refused_is_422(client_for: Any) -> None:
    response = client_for("sagsbehandler").post(
        "/konto/password/",
        {"old_password": "forkert", "new_password1": "a", "new_password2": "b"},
    )
    assert response.status_code == 422
    assert "field--error" in response.content.decode()
