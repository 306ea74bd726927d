"""The organisation's answer to a nominee, lease and move-in, guarantee claims and the stock
upsert through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from anvis.audit.models import AuditEvent
from anvis.stock.models import Department, Dwelling
from anvis.vacancies import services as flow
from anvis.vacancies.models import GuaranteeClaim, Lease, Offer, VacancyEvent

pytestmark = pytest.mark.django_db


def test_nominee_rejected_on_a_legal_ground(api: Any, org_a: Any, offer_for: Any) -> None:
    offer = offer_for(org_a)
    response = api("org_a").post(
        f"/api/v1/offers/{offer.pk}/answer/",
        {"answer": "reject", "ground": "debt_without_plan", "note": "Gæld 12.000 kr."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected_by_organisation"
    assert response.json()["rejection_ground"] == "debt_without_plan"
    offer.refresh_from_db()
    assert offer.status == "rejected_by_organisation"
    assert offer.vacancy.status == "accepted"  # back to the next candidate


def test_rejection_needs_a_legal_ground_in_danish(api: Any, org_a: Any, offer_for: Any) -> None:
    offer = offer_for(org_a)
    client = api("org_a")
    response = client.post(f"/api/v1/offers/{offer.pk}/answer/", {"answer": "reject"})
    assert response.status_code == 400
    assert response.json()["errors"]["ground"] == [
        "Boligorganisationen kan kun afvise en indstillet borger på et lovligt grundlag."
    ]
    response = client.post(
        f"/api/v1/offers/{offer.pk}/answer/", {"answer": "reject", "ground": "dislike"}
    )
    assert response.status_code == 400
    assert "ground" in response.json()["errors"]
    assert Offer.objects.get(pk=offer.pk).status == "pending"


def test_nominee_accepted_is_on_the_timeline_and_audited(
    api: Any, org_a: Any, offer_for: Any
) -> None:
    offer = offer_for(org_a)
    response = api("org_a").post(f"/api/v1/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 200
    assert VacancyEvent.objects.filter(
        offer=offer, summary__startswith="Boligorganisationen godkendte den indstillede borger."
    ).exists()
    assert AuditEvent.objects.filter(action="api.nominee_accept", object_id=str(offer.pk)).exists()


def test_the_organisations_note_stays_off_the_timeline(
    api: Any, org_a: Any, offer_for: Any, client_for: Any
) -> None:
    """The note names whom it likes; the timeline is read by everyone who may see the vacancy,
    the steering group too. The note is kept in the audit record of the approval."""
    offer = offer_for(org_a)
    note = "Fremvisning aftalt med Karl Testesen og bostøttemedarbejder"
    response = api("org_a").post(
        f"/api/v1/offers/{offer.pk}/answer/", {"answer": "accept", "note": note}
    )
    assert response.status_code == 200, response.content
    line = VacancyEvent.objects.get(offer=offer, kind="offer", from_status="pending",
                                    to_status="pending")  # fmt: skip
    assert line.summary == "Boligorganisationen godkendte den indstillede borger."
    for role in ("styregruppe", "anvisningsleder", "boligorganisation"):
        page = client_for(role).get(f"/ledige-boliger/{offer.vacancy_id}/")
        assert page.status_code == 200
        assert "godkendte den indstillede borger" in page.content.decode()
        assert "Fremvisning aftalt" not in page.content.decode(), role
    audit = AuditEvent.objects.get(action="api.nominee_accept", object_id=str(offer.pk))
    assert audit.note == note


def test_old_timeline_notes_are_removed_by_the_migration(
    api: Any, org_a: Any, offer_for: Any
) -> None:
    import importlib

    from django.apps import apps

    offer = offer_for(org_a)
    api("org_a").post(f"/api/v1/offers/{offer.pk}/answer/", {"answer": "accept"})
    line = VacancyEvent.objects.get(offer=offer, from_status="pending", to_status="pending")
    VacancyEvent.objects.filter(pk=line.pk).update(
        summary="Boligorganisationen godkendte den indstillede borger. Aftalt med Karl Testesen"
    )
    made = VacancyEvent.objects.exclude(pk=line.pk).values_list("pk", "summary")
    before = dict(made)
    migration = importlib.import_module("anvis.api.migrations.0003_nominee_note_off_timeline")
    migration.forward(apps, None)
    line.refresh_from_db()
    assert line.summary == "Boligorganisationen godkendte den indstillede borger."
    assert dict(made) == before  # the other lines are untouched


def test_approval_after_the_lease_is_refused_as_a_rejection_is(
    api: Any, accepted_offer: Offer
) -> None:
    today = timezone.localdate()
    client = api("org_a")
    lease = client.post(
        "/api/v1/leases/",
        {"offer": accepted_offer.pk, "signed_on": today.isoformat(),
         "starts_on": today.isoformat(), "move_in_on": today.isoformat()},
    )  # fmt: skip
    assert lease.status_code == 201, lease.content
    lines = VacancyEvent.objects.count()
    reject = client.post(
        f"/api/v1/offers/{accepted_offer.pk}/answer/",
        {"answer": "reject", "ground": "debt_without_plan"},
    )
    accept = client.post(f"/api/v1/offers/{accepted_offer.pk}/answer/", {"answer": "accept"})
    for response in (reject, accept):
        assert response.status_code == 400
        assert response.json()["code"] == "offer_leased"
        assert response.json()["detail"] == (
            "Lejekontrakten er underskrevet; tilbuddet kan ikke længere ændres."
        )
    assert VacancyEvent.objects.count() == lines


def test_a_repeated_approval_changes_nothing(api: Any, org_a: Any, offer_for: Any) -> None:
    offer = offer_for(org_a)
    client = api("org_a")
    first = client.post(f"/api/v1/offers/{offer.pk}/answer/", {"answer": "accept"})
    lines = VacancyEvent.objects.count()
    audits = AuditEvent.objects.count()
    again = client.post(f"/api/v1/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert again.status_code == 200
    assert again.json() == first.json()
    assert VacancyEvent.objects.count() == lines
    assert AuditEvent.objects.count() == audits
    assert (
        VacancyEvent.objects.filter(
            offer=offer, summary="Boligorganisationen godkendte den indstillede borger."
        ).count()
        == 1
    )


def test_answer_to_a_closed_offer_is_refused(
    api: Any, org_a: Any, offer_for: Any, users: dict[str, Any]
) -> None:
    offer = offer_for(org_a)
    flow.offer_withdraw(actor=users["anvisningsleder"], offer=offer)
    response = api("org_a").post(f"/api/v1/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 400
    assert response.json()["code"] == "offer_not_active"
    assert "Tilbuddet er ikke længere aktivt" in response.json()["detail"]


def test_municipal_token_cannot_answer_for_the_organisation(
    api: Any, org_a: Any, offer_for: Any
) -> None:
    offer = offer_for(org_a)
    response = api("municipal").post(f"/api/v1/offers/{offer.pk}/answer/", {"answer": "accept"})
    assert response.status_code == 404


@pytest.fixture
def accepted_offer(org_a: Any, offer_for: Any, users: dict[str, Any]) -> Offer:
    offer = offer_for(org_a)
    return flow.offer_accept(actor=users["sagsbehandler"], offer=offer)


def test_lease_and_move_in_registered(api: Any, accepted_offer: Offer) -> None:
    today = timezone.localdate()
    body = {
        "offer": accepted_offer.pk,
        "signed_on": today.isoformat(),
        "starts_on": (today + dt.timedelta(days=30)).isoformat(),
        "move_in_on": (today + dt.timedelta(days=31)).isoformat(),
    }
    response = api("org_a").post("/api/v1/leases/", body, headers={"Idempotency-Key": "lease-1"})
    assert response.status_code == 201, response.content
    result = response.json()
    assert result["lease"]["offer"] == accepted_offer.pk
    # Whether a support plan exists is social data: not for the organisation (issue #15); the
    # caseworker is told instead.
    assert result["warnings"] == []
    assert result["corrections"] == []  # no approved statement to correct
    assert "bostøtteplan" not in response.content.decode()
    from anvis.notifications.models import Notification

    told = Notification.objects.get(dedupe_key=f"lease-warnings-{accepted_offer.pk}")
    assert "Der er ikke besluttet en bostøtteplan for borgeren." in told.body
    assert told.recipient.role in ("sagsbehandler", "anvisningsleder")
    again = api("org_a").post("/api/v1/leases/", body, headers={"Idempotency-Key": "lease-1"})
    assert again.json() == result
    assert Lease.objects.count() == 1
    assert Offer.objects.get(pk=accepted_offer.pk).vacancy.status == "let"
    listed = api("org_a").get("/api/v1/leases/").json()
    assert [row["id"] for row in listed["results"]] == [result["lease"]["id"]]
    assert api("org_b").get("/api/v1/leases/").json()["count"] == 0


def test_move_in_before_start_is_refused_in_danish(api: Any, accepted_offer: Offer) -> None:
    body = {
        "offer": accepted_offer.pk,
        "signed_on": "2026-03-01",
        "starts_on": "2026-04-01",
        "move_in_on": "2026-03-15",
    }
    response = api("org_a").post("/api/v1/leases/", body)
    assert response.status_code == 400
    assert response.json()["errors"]["move_in_on"] == [
        "Indflytningsdatoen kan ikke ligge før lejemålet starter."
    ]


def test_guarantee_claim_submitted(api: Any, accepted_offer: Offer, agreement: Any) -> None:
    agreement.versions.update(guarantee_max_repairs=20_000, guarantee_first_year_arrears=False)
    today = timezone.localdate()
    lease = api("org_a").post(
        "/api/v1/leases/",
        {"offer": accepted_offer.pk, "signed_on": today.isoformat(),
         "starts_on": today.isoformat(), "move_in_on": today.isoformat()},
    ).json()["lease"]  # fmt: skip
    claim = {
        "lease": lease["id"],
        "kind": "move_out_repairs",
        "event_date": today.isoformat(),
        "amount": 12_000,
        "description": "Maling og nyt gulv efter fraflytning",
    }
    response = api("org_a").post("/api/v1/guarantee-claims/", claim)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted"
    too_much = api("org_a").post("/api/v1/guarantee-claims/", {**claim, "amount": 8_001})
    assert too_much.status_code == 400
    assert "aftalens maksimum (20.000 kr.)" in too_much.json()["errors"]["amount"][0]
    not_covered = api("org_a").post(
        "/api/v1/guarantee-claims/", {**claim, "kind": "first_year_arrears"}
    )
    assert not_covered.json()["errors"]["kind"] == ["Aftalen dækker ikke denne type krav."]
    # An amount sent as Danish text is read as the forms read it: "3.000" is three thousand.
    texts = api("org_a").post(
        "/api/v1/guarantee-claims/", {**claim, "amount": "3.000", "event_date": claim["event_date"]}
    )
    assert texts.status_code == 201, texts.content
    assert texts.json()["amount"] == 3_000
    fraction = api("org_a").post("/api/v1/guarantee-claims/", {**claim, "amount": "4450.5"})
    assert fraction.status_code == 400 and "amount" in fraction.json()["errors"]
    GuaranteeClaim.objects.filter(amount=3_000).delete()
    # The other organisation cannot claim on this lease, nor see the claim.
    other = api("org_b").post("/api/v1/guarantee-claims/", claim)
    assert other.status_code == 400 and "lease" in other.json()["errors"]
    assert api("org_b").get("/api/v1/guarantee-claims/").json()["count"] == 0
    assert GuaranteeClaim.objects.count() == 1


STOCK_ITEM = {
    "cvr": "11111111",
    "afdelingsnr": "101",
    "afdeling": "Alfa afd. 101",
    "adresse": "Alfavej 1",
    "postnr": "9220",
    "by": "Aalborg Øst",
    "etage": "st",
    "doer": "tv",
    "vaerelser": 1,
    "m2": 40,
    "husleje": 3300,
}


def test_stock_upsert_updates_and_creates(api: Any, org_a: Any) -> None:
    new = {**STOCK_ITEM, "afdelingsnr": "105", "afdeling": "Nyvang", "adresse": "Nyvej 3",
           "type": "youth", "trinfri": True, "vaerelser": 2, "m2": 55, "husleje": 4100}  # fmt: skip
    response = api("org_a").post("/api/v1/stock/", {"items": [STOCK_ITEM, new]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["rows"] == 2
    assert Dwelling.objects.get(entrance__street="Alfavej 1", floor="st").rent == 3300
    created = Dwelling.objects.get(entrance__street="Nyvej 3")
    assert (created.dwelling_type, created.step_free, created.rooms) == ("youth", True, 2)
    assert Department.objects.filter(organisation=org_a, number="105").exists()


def test_stock_upsert_is_all_or_nothing_with_every_error(api: Any) -> None:
    bad = {**STOCK_ITEM, "adresse": "Nyvej 9", "postnr": "92"}
    worse = {**STOCK_ITEM, "adresse": "Nyvej 10", "husleje": -5, "vaerelser": 0}
    response = api("org_a").post("/api/v1/stock/", {"items": [STOCK_ITEM, bad, worse]})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"items[1].postnr", "items[2].husleje", "items[2].vaerelser"}
    assert Dwelling.objects.get(entrance__street="Alfavej 1", floor="st").rent == 3100
    assert not Dwelling.objects.filter(entrance__street__startswith="Nyvej").exists()


def test_stock_upsert_import_rules_are_reported_by_index(api: Any) -> None:
    twice = [STOCK_ITEM, {**STOCK_ITEM, "husleje": 3400}]
    response = api("org_a").post("/api/v1/stock/", {"items": twice})
    assert response.status_code == 400
    assert response.json()["code"] == "stock_invalid"
    assert any(key.startswith("items[1]") for key in response.json()["errors"])
    # The message names the other item as the API numbers it, not as a file's line.
    assert "samme bolig står også i items[0]" in str(response.json()["errors"])


def test_stock_upsert_keeps_what_an_item_leaves_out_and_takes_the_danish_type(
    api: Any, org_a: Any
) -> None:
    stored = Dwelling.objects.get(entrance__street="Alfavej 1", floor="1")
    stored.aconto, stored.step_free, stored.elevator = 450, True, True
    stored.save()
    item = {k: v for k, v in STOCK_ITEM.items() if k not in {"aconto", "trinfri", "elevator"}}
    item = {**item, "etage": "1", "doer": "th", "vaerelser": 3, "m2": 80, "husleje": 5700}
    item["type"] = "familie"
    response = api("org_a").post("/api/v1/stock/", {"items": [item]})
    assert response.status_code == 200, response.content
    stored.refresh_from_db()
    assert (stored.rent, stored.aconto, stored.step_free, stored.elevator) == (
        5700,
        450,
        True,
        True,
    )
    assert stored.dwelling_type == "family"


def test_stock_upsert_null_or_empty_clears_an_optional_field(api: Any, org_a: Any) -> None:
    import uuid

    stored = Dwelling.objects.get(entrance__street="Alfavej 1", floor="1")
    stored.aconto, stored.deposit, stored.step_free, stored.dwelling_type = 450, 9000, True, "youth"
    stored.dar_id = uuid.uuid4()
    stored.save()
    entrance_dar = uuid.uuid4()
    type(stored.entrance).objects.filter(pk=stored.entrance_id).update(dar_id=entrance_dar)
    Department.objects.filter(organisation=org_a).update(district="Øst", build_year=1972)
    item = {**STOCK_ITEM, "etage": "1", "doer": "th", "vaerelser": 3, "m2": 80, "husleje": 5700}
    item |= {"bydel": None, "byggeaar": None, "type": None, "aconto": "", "depositum": None,
             "trinfri": None, "elevator": "", "dar_bolig": None, "dar_opgang": None}  # fmt: skip
    response = api("org_a").post("/api/v1/stock/", {"items": [item]})
    assert response.status_code == 200, response.content
    stored.refresh_from_db()
    assert (stored.aconto, stored.deposit, stored.step_free, stored.elevator) == (
        0,
        0,
        False,
        False,
    )
    assert (stored.dwelling_type, stored.dar_id) == ("family", None)
    department = stored.entrance.department
    department.refresh_from_db()
    assert (department.district, department.build_year) == ("", None)
    # As in a file, the entrance's DAR id is only ever set, never cleared, from a dwelling's row.
    assert type(stored.entrance).objects.get(pk=stored.entrance_id).dar_id == entrance_dar


def test_stock_upsert_not_for_municipal_tokens(api: Any) -> None:
    response = api("municipal").post("/api/v1/stock/", {"items": [STOCK_ITEM]})
    assert response.status_code == 403
