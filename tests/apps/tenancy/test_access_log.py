"""Every municipal page and API answer after move-in that shows which tenant (by case number or
lease) has arrears, an eviction, a hospital stay, a prison term or late support is a read of
personal data, written to the access log in the one vocabulary (docs/privacy.md), as the case
list is: not only the tenancy page that shows notes."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.audit.models import PersonalDataAccess, Purpose

pytestmark = pytest.mark.django_db


def _report(actor: Any, lease: Any, kind: str, **values: Any) -> Any:
    from anvis.tenancy.services import EventInput, tenancy_event_report

    return tenancy_event_report(
        actor=actor,
        lease=lease,
        data=EventInput(kind=kind, event_date=timezone.localdate(), **values),
    )


def _logged(user: Any) -> list[tuple[str, str, str]]:
    return list(
        PersonalDataAccess.objects.filter(user=user)
        .order_by("pk")
        .values_list("what", "subject_ref", "purpose")
    )


@pytest.mark.parametrize(
    ("url_name", "what"),
    [("tenancy:risk_list", "tenancy.risk"), ("tenancy:support_overview", "tenancy.support")],
)
def test_the_municipal_tenancy_lists_log_the_tenants_they_show(
    url_name: str, what: str, let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    _report(users["boligorganisation"], let["lease"], "arrears", amount=4_200, months=1)
    case = let["case"]
    page = client_for("sagsbehandler").get(reverse(url_name))
    assert case.number in page.content.decode()
    assert _logged(users["sagsbehandler"]) == [(what, case.citizen.reference, Purpose.TENANCY)]


def test_the_tenancy_page_logs_the_municipal_read_without_notes(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    """A prison term without a note, reported by the municipality: the caseworker reads on the
    tenancy page, by case number, that the tenant is in prison; before, only notes were logged."""
    _report(users["sagsbehandler"], let["lease"], "prison")
    case = let["case"]
    page = client_for("sagsbehandler").get(
        reverse("tenancy:tenancy_detail", args=[let["lease"].pk])
    )
    assert case.number in page.content.decode()
    assert _logged(users["sagsbehandler"]) == [
        ("tenancy.view", case.citizen.reference, Purpose.TENANCY)
    ]


def test_the_tenancy_page_with_notes_logs_one_read(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    _report(users["sagsbehandler"], let["lease"], "hospital", note="Indlagt på psykiatrisk")
    client_for("sagsbehandler").get(reverse("tenancy:tenancy_detail", args=[let["lease"].pk]))
    assert _logged(users["sagsbehandler"]) == [
        ("tenancy.notes", let["case"].citizen.reference, Purpose.TENANCY)
    ]


def test_the_organisation_reading_its_own_reports_without_notes_is_not_logged(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    """The organisation's page names no citizen; its own reports without notes are no read of
    the municipality's data."""
    _report(users["boligorganisation"], let["lease"], "warning")
    response = client_for("boligorganisation").get(
        reverse("tenancy:tenancy_detail", args=[let["lease"].pk])
    )
    assert response.status_code == 200
    assert _logged(users["boligorganisation"]) == []


def test_the_api_tenancy_events_log_the_tenants_for_a_municipal_caller(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    _report(users["sagsbehandler"], let["lease"], "prison")
    _report(users["sagsbehandler"], let["lease"], "hospital")
    body = client_for("sagsbehandler").get(reverse("api:tenancy_event_list")).json()
    assert {row["kind"] for row in body["results"]} == {"prison", "hospital"}
    assert _logged(users["sagsbehandler"]) == [
        ("tenancy.events", let["case"].citizen.reference, Purpose.TENANCY)
    ]
    # The organisation's list holds its own reports only: no read of the municipality's data.
    client_for("boligorganisation").get(reverse("api:tenancy_event_list"))
    assert _logged(users["boligorganisation"]) == []
