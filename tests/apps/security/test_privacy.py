"""Data minimisation (docs/privacy.md) and the insight document (indsigt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from anvis.audit.models import PersonalDataAccess

from .access_matrix import MATRIX
from .conftest import (
    CPR,
    CPR_DIGITS,
    EMAIL,
    FIRST_NAME,
    HOUSED_NAME,
    LAST_NAME,
    NOTE,
    PHONE,
    SHELTER,
)
from .test_access_matrix import build_url

pytestmark = pytest.mark.django_db

HOUSED_LAST = "Lejersen"
HOUSED_CPR = "020290-1234"
# Pages where a municipal role sees the full CPR number by design (the insight document).
FULL_CPR_PAGES = frozenset({"security:citizen_insight"})


def identifiers(world: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every identifier of the world's two citizens, by kind: the open offer's citizen (the
    offer on organisation A's dwelling is not accepted) and the housed citizen (accepted, lease
    signed)."""
    case, housed = world["case"], world["housed_case"]
    return {
        "case_number": {"open": case.number, "housed": housed.number},
        "citizen_reference": {"open": case.citizen.reference, "housed": housed.citizen.reference},
        "name": {"open": FIRST_NAME, "open_last": LAST_NAME, "housed": HOUSED_NAME,
                 "housed_last": HOUSED_LAST},
        "contact": {"open_phone": PHONE, "open_email": EMAIL},
        "cpr": {"open": CPR, "open_digits": CPR_DIGITS, "housed": HOUSED_CPR,
                "housed_digits": HOUSED_CPR.replace("-", "")},
        "social": {"note": NOTE, "shelter": SHELTER},
    }  # fmt: skip


def forbidden(key: str, world: dict[str, Any]) -> dict[str, str]:
    """What `key` may never see on any page (docs/privacy.md, "Identifiers per role";
    anvis.vacancies.disclosure): label → text."""
    found = {
        f"{kind}:{who}": value
        for kind, values in identifiers(world).items()
        for who, value in values.items()
    }
    if key in ("sagsbehandler", "anvisningsleder", "administrator"):
        return {k: v for k, v in found.items() if k.startswith("cpr:")}
    if key == "boligorganisation":
        # Organisation A: the citizen reference of both nominees on its dwellings, and the
        # name of the one who accepted (the lease stage); never a case number, CPR number, the
        # open nominee's name or contact, or social data.
        allowed = {"citizen_reference:open", "citizen_reference:housed", "name:housed",
                   "name:housed_last"}  # fmt: skip
        return {k: v for k, v in found.items() if k not in allowed}
    return found  # organisation B, the steering group: nothing at all


@pytest.mark.parametrize(
    "key",
    ["boligorganisation", "org_b", "styregruppe", "sagsbehandler", "anvisningsleder",
     "administrator"],
)  # fmt: skip
def test_no_role_sees_a_citizen_identifier_it_may_not_see(
    key: str, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """Every page and API answer of the access matrix, with every object id, as every role:
    the body never holds a citizen identifier (CPR number, case number, citizen reference,
    name, contact) or social data the role may not see, whatever the status code. Issue #17:
    the steering group saw case numbers and citizen references on the vacancy pages."""
    client = Client()
    client.force_login(users[key])
    secrets = forbidden(key, world)
    leaks = []
    # The matrix's pages, plus the let vacancy (accepted offer and lease) as page and JSON.
    let = world["let_vacancy"].pk
    pages = [(name, "get", build_url(name, entry, world)) for name, entry in MATRIX.items()]
    pages += [
        ("vacancies:vacancy_detail", "get", reverse("vacancies:vacancy_detail", args=[let])),
        ("api:vacancy_detail", "get", reverse("api:vacancy_detail", args=[let])),
        ("api:offer_detail", "get", reverse("api:offer_detail", args=[world["lease"].offer_id])),
    ]
    for name, method, url in sorted(pages):
        response = getattr(client, method)(url)
        body = response.content.decode(errors="replace")
        for label, value in secrets.items():
            if value in body and not (label.startswith("cpr:") and name in FULL_CPR_PAGES):
                leaks.append(f"{name}: {label}")
    assert not leaks, leaks
    if key in ("boligorganisation", "org_b", "styregruppe"):
        # Nothing personal was shown to them, except organisation A's lease-stage contact.
        accesses = PersonalDataAccess.objects.filter(user=users[key])
        if key == "boligorganisation":
            assert set(accesses.values_list("subject_ref", flat=True)) == {
                world["housed_case"].citizen.reference
            }
        else:
            assert not accesses.exists()


def test_the_identifiers_are_on_the_pages_of_the_roles_that_may_see_them(
    client_for: Any, world: dict[str, Any]
) -> None:
    """The content test above is not vacuous: the same pages show these identifiers to the
    roles that may see them, and the steering group does reach the vacancy pages."""
    ids = identifiers(world)
    open_page = reverse("vacancies:vacancy_detail", args=[world["vacancy"].pk])
    let_page = reverse("vacancies:vacancy_detail", args=[world["let_vacancy"].pk])
    worker = client_for("sagsbehandler")
    for url, who in ((open_page, "open"), (let_page, "housed")):
        page = worker.get(url).content.decode()
        assert ids["case_number"][who] in page and ids["name"][who] in page
    org = client_for("boligorganisation")
    page = org.get(open_page).content.decode()
    assert ids["citizen_reference"]["open"] in page
    page = org.get(let_page).content.decode()
    assert ids["citizen_reference"]["housed"] in page and HOUSED_NAME in page
    steering = client_for("styregruppe")
    for url in (open_page, let_page):
        response = steering.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert not any(v in body for kind in ids.values() for v in kind.values())


def test_caseworker_sees_the_name_but_cpr_only_on_request(
    client_for: Any, world: dict[str, Any]
) -> None:
    client = client_for("sagsbehandler")
    page = client.get(reverse("cases:case_overview", args=[world["case"].pk])).content.decode()
    assert FIRST_NAME in page
    assert CPR not in page and CPR_DIGITS not in page


def test_insight_lookup_by_case_number(client_for: Any, world: dict[str, Any]) -> None:
    client = client_for("sagsbehandler")
    response = client.post("/sikkerhed/indsigt/", {"reference": world["case"].number.lower()})
    assert response.status_code == 302
    assert response["Location"] == f"/sikkerhed/indsigt/{world['citizen'].pk}/"
    # Without the "S-" too, as a case number is often typed.
    response = client.post("/sikkerhed/indsigt/", {"reference": world["case"].number[2:]})
    assert response.status_code == 302
    assert response["Location"] == f"/sikkerhed/indsigt/{world['citizen'].pk}/"
    response = client.post("/sikkerhed/indsigt/", {"reference": "S-1999-99999"})
    assert response.status_code == 422
    assert "Ingen borger eller sag med den reference." in response.content.decode()


def test_insight_lookup_by_cpr_is_posted(client_for: Any, world: dict[str, Any]) -> None:
    """Issue #17: the lookup was a GET form, so a CPR number travelled in the URL. Now it is
    posted (the GET form's parameter is not read at all) and found by its keyed hash."""
    client = client_for("sagsbehandler")
    page = client.get("/sikkerhed/indsigt/").content.decode()
    assert '<form method="post"' in page
    response = client.post("/sikkerhed/indsigt/", {"reference": CPR})
    assert response.status_code == 302
    assert response["Location"] == f"/sikkerhed/indsigt/{world['citizen'].pk}/"
    assert CPR not in response["Location"] and CPR_DIGITS not in response["Location"]
    ignored = client.get("/sikkerhed/indsigt/", {"reference": CPR})
    assert ignored.status_code == 200 and f'value="{CPR}"' not in ignored.content.decode()


def test_insight_document_holds_everything_and_is_logged(
    client_for: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    client = client_for("sagsbehandler")
    client.get(reverse("cases:case_overview", args=[world["case"].pk]))  # an earlier access
    response = client.get(f"/sikkerhed/indsigt/{world['citizen'].pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for value in (FIRST_NAME, LAST_NAME, CPR, PHONE, EMAIL, NOTE, SHELTER, world["case"].number):
        assert value in page, value
    assert "Hvem har set oplysningerne" in page
    assert "case.view.overview" in page  # the earlier access is listed
    assert "cases.case_create" in page  # the history of changes
    access = PersonalDataAccess.objects.filter(what="citizen.insight").get()
    assert access.user == users["sagsbehandler"]
    assert access.subject_id == str(world["citizen"].pk)
    assert access.purpose == "insight"


def test_insight_as_pdf(client_for: Any, world: dict[str, Any]) -> None:
    response = client_for("anvisningsleder").get(
        f"/sikkerhed/indsigt/{world['citizen'].pk}/", {"format": "pdf"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert world["citizen"].reference in response["Content-Disposition"]
    assert PersonalDataAccess.objects.filter(what="citizen.insight_pdf").count() == 1


def test_insight_unknown_citizen_is_404(client_for: Any, world: dict[str, Any]) -> None:
    assert client_for("sagsbehandler").get("/sikkerhed/indsigt/999999/").status_code == 404


def test_insight_includes_offers_and_the_lease(client_for: Any, world: dict[str, Any]) -> None:
    citizen = world["housed_case"].citizen
    page = client_for("sagsbehandler").get(f"/sikkerhed/indsigt/{citizen.pk}/").content.decode()
    assert "Tilbud om bolig" in page
    assert "lejekontrakt underskrevet" in page


def test_insight_includes_the_tenancy_after_move_in(
    client_for: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """Everything held: the tenancy's events (the arrears and their amount, the municipality's
    hospital stay with its note) and the follow-up task with what was agreed, as the tenancy
    page shows them to the municipality."""
    from anvis.tenancy.services import task_contact_record

    task = world["tenancy_task"]
    task_contact_record(
        actor=users["sagsbehandler"],
        task=task,
        contact_on=task.event.event_date,
        note="Afdragsordning aftalt med lejer",
    )
    citizen = world["housed_case"].citizen
    page = client_for("sagsbehandler").get(f"/sikkerhed/indsigt/{citizen.pk}/").content.decode()
    assert "Boligforløbet efter indflytning" in page
    assert "Huslejerestance" in page and "4.200 kr" in page
    assert "Hospitals- eller behandlingsophold" in page and NOTE in page
    assert "Afdragsordning aftalt med lejer" in page


def test_organisation_disclosure_follows_the_stage_not_consent(
    client_for: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """Issue #15 item 6. Before the citizen accepts: the citizen reference only (in the offers
    table and in the timeline, never the case number). After acceptance: name and contact,
    also when the citizen's consent is withdrawn (the allocation is the legal basis), logged."""
    from anvis.cases import services as cases
    from anvis.vacancies import services as flow

    org = client_for("boligorganisation")
    url = reverse("vacancies:vacancy_detail", args=[world["vacancy"].pk])
    case = world["case"]
    before = org.get(url).content.decode()
    assert case.citizen.reference in before
    assert case.number not in before  # the timeline held the case number (S-…)
    assert FIRST_NAME not in before and PHONE not in before
    cases.consent_withdraw(
        actor=users["sagsbehandler"], consent=world["consent"], withdrawn_on=dt.date(2026, 1, 20)
    )
    flow.offer_accept(actor=users["sagsbehandler"], offer=world["offer"])
    after = org.get(url).content.decode()
    assert f"{FIRST_NAME} {LAST_NAME}" in after and PHONE in after and EMAIL in after
    assert case.number not in after and CPR not in after and NOTE not in after
    assert "CTI" not in after and "Bostøtten" not in after  # the support plan
    assert PersonalDataAccess.objects.filter(
        user=users["boligorganisation"], subject_ref=case.citizen.reference
    ).exists()
    assert client_for("org_b").get(url).status_code == 404
    steering = client_for("styregruppe").get(url).content.decode()
    assert FIRST_NAME not in steering and case.citizen.reference not in steering


def test_the_support_plan_warning_is_for_municipal_eyes_only(
    client_for: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """Issue #15: after a lease the organisation was told "Der er ikke besluttet en
    bostøtteplan for borgeren". Now the caseworker is told; a municipal user who registers the
    lease (the allocation lead, on the organisation's behalf) sees it on the page."""
    from anvis.cases import services as cases
    from anvis.notifications.models import Notification
    from anvis.vacancies import services as flow

    warning = "Der er ikke besluttet en bostøtteplan for borgeren."
    offer = world["offer"]
    cases.support_plan_set_status(
        actor=users["sagsbehandler"], plan=world["plan"], status="cancelled"
    )
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer)
    day = offer.offered_on.isoformat()  # a lease is signed and starts after the offer
    form = {"signed_on": day, "starts_on": day, "move_in_on": day}
    lease_url = reverse("vacancies:lease_create", args=[offer.pk])
    page = client_for("boligorganisation").post(lease_url, form, follow=True).content.decode()
    assert "Lejekontrakten er registreret" in page
    assert warning not in page and "bostøtteplan" not in page
    told = Notification.objects.get(dedupe_key=f"lease-warnings-{offer.pk}")
    assert warning in told.body and told.link == f"/sager/{offer.case_id}/"


def test_a_municipal_lease_registration_shows_the_warning(
    client_for: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    from anvis.cases import services as cases
    from anvis.vacancies import services as flow

    offer = world["offer"]
    cases.support_plan_set_status(
        actor=users["sagsbehandler"], plan=world["plan"], status="cancelled"
    )
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer)
    day = offer.offered_on.isoformat()  # a lease is signed and starts after the offer
    form = {"signed_on": day, "starts_on": day, "move_in_on": day}
    lease_url = reverse("vacancies:lease_create", args=[offer.pk])
    page = client_for("anvisningsleder").post(lease_url, form, follow=True).content.decode()
    assert "Der er ikke besluttet en bostøtteplan for borgeren." in page


def test_the_api_answers_with_the_same_identifiers_as_the_pages(
    client_for: Any, world: dict[str, Any]
) -> None:
    """The API's offers carry the caller's one identifier of the citizen (the same helper as
    the pages): case number for the municipality, citizen reference for the organisation (and
    name and contact once accepted), nothing for anyone else."""
    open_offer, housed_offer = world["offer"], world["lease"].offer
    for key, offer, expected in (
        ("sagsbehandler", open_offer, world["case"].number),
        ("boligorganisation", open_offer, world["case"].citizen.reference),
        ("boligorganisation", housed_offer, world["housed_case"].citizen.reference),
    ):
        body = client_for(key).get(f"/api/v1/offers/{offer.pk}/").json()
        assert body["citizen"]["reference"] == expected, (key, body)
    own = client_for("boligorganisation").get(f"/api/v1/offers/{open_offer.pk}/").json()
    assert own["citizen"]["name"] is None and own["citizen"]["phone"] is None
    housed = client_for("boligorganisation").get(f"/api/v1/offers/{housed_offer.pk}/").json()
    assert housed["citizen"]["name"] == f"{HOUSED_NAME} {HOUSED_LAST}"
    assert client_for("styregruppe").get(f"/api/v1/offers/{open_offer.pk}/").status_code == 404
    vacancy = client_for("styregruppe").get(f"/api/v1/vacancies/{world['vacancy'].pk}/").json()
    assert vacancy["offers"] == []


def test_the_insight_document_writes_the_priority_as_the_pages_do(
    client_for: Any, world: dict[str, Any]
) -> None:
    from anvis.cases.models import Case

    Case.objects.filter(pk=world["case"].pk).update(priority_total=1190)
    page = client_for("sagsbehandler").get(
        reverse("security:citizen_insight", args=[world["citizen"].pk])
    )
    body = page.content.decode()
    assert "<dt>Prioritet</dt><dd>1.190</dd>" in body
