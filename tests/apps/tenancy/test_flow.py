"""The tenancy flow through the services and the pages: arrears → task and notification →
contact → resolved; move-out ends the placement; who sees what; bad input writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.apps.rowcounts import row_counts

from .conftest import NOTE

pytestmark = pytest.mark.django_db


def _event(**kw: Any) -> Any:
    from anvis.tenancy.services import EventInput

    return EventInput(**kw)


def test_lease_gets_a_tenancy_with_the_case_and_support_plan(let: dict[str, Any]) -> None:
    from anvis.tenancy.models import Tenancy

    tenancy = Tenancy.objects.get(lease=let["lease"])
    assert tenancy.case == let["case"]
    assert tenancy.support_plan is not None and tenancy.support_plan.method == "icm"
    assert tenancy.municipal_contact == let["case"].caseworker


def test_arrears_open_a_task_and_tell_the_caseworker(
    let: dict[str, Any], users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    from anvis.api.models import WebhookDelivery
    from anvis.api.services import webhook_subscription_create
    from anvis.notifications.models import Notification
    from anvis.tenancy import services
    from anvis.tenancy.models import FollowUpTask
    from anvis.tenancy.selectors import risk_list
    from anvis_core.calendar import add_working_days

    org_user, worker = users["boligorganisation"], users["sagsbehandler"]
    webhook_subscription_create(
        actor=users["administrator"],
        organisation=let["lease"].vacancy.organisation,
        url="https://kommune.example.dk/hook",
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        event = services.tenancy_event_report(
            actor=org_user,
            lease=let["lease"],
            data=_event(kind="arrears", event_date=today, amount=8400, months=2, note=NOTE),
        )
    task = FollowUpTask.objects.get(event=event)
    assert task.deadline == add_working_days(today, 5)
    note = Notification.objects.get(recipient=worker, kind="tenancy_warning")
    assert note.title == f"Bolig i risiko: Huslejerestance, sag {let['case'].number}"
    assert NOTE not in note.body and add_working_days(today, 5).strftime("%d.%m.%Y") in note.body
    assert note.link == reverse("tenancy:tenancy_detail", args=[let["lease"].pk])
    delivery = WebhookDelivery.objects.get(event_type="tenancy.event_reported")
    assert delivery.payload["data"]["kind"] == "arrears" and NOTE not in str(delivery.payload)
    assert [r.tenancy.lease_id for r in risk_list()] == [let["lease"].pk]

    services.task_contact_record(actor=worker, task=task, contact_on=today, note="Aftale om afdrag")
    task.refresh_from_db()
    assert task.status == "done" and task.acknowledged_at is not None
    services.tenancy_event_report(
        actor=org_user, lease=let["lease"], data=_event(kind="resolved", event_date=today)
    )
    assert risk_list() == []


def test_move_out_ends_the_tenancy_and_the_placement(
    let: dict[str, Any], users: dict[str, Any]
) -> None:
    from anvis.monitoring.models import MunicipalPlacement
    from anvis.tenancy import services
    from anvis.tenancy.models import Tenancy

    today = timezone.localdate()
    services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=_event(kind="cancellation", event_date=today),
    )
    services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=let["lease"],
        data=_event(kind="move_out", event_date=today, move_out_reason="eviction"),
    )
    tenancy = Tenancy.objects.get(lease=let["lease"])
    assert tenancy.ended_on == today and tenancy.end_reason == "eviction"
    assert not tenancy.tasks.filter(status="open").exists()
    placement = MunicipalPlacement.objects.get(case_ref=let["case"].number)
    assert placement.moved_out_on == today and placement.outcome == "terminated"
    with pytest.raises(ValidationError):
        services.tenancy_event_report(
            actor=users["boligorganisation"],
            lease=let["lease"],
            data=_event(kind="arrears", event_date=today, amount=1, months=1),
        )


def test_sides_and_bad_values_are_refused_and_write_nothing(
    let: dict[str, Any], users: dict[str, Any]
) -> None:
    from anvis.tenancy import services

    today = timezone.localdate()
    before = row_counts()
    with pytest.raises(PermissionDenied):
        services.tenancy_event_report(
            actor=users["boligorganisation"],
            lease=let["lease"],
            data=_event(kind="prison", event_date=today),
        )
    with pytest.raises(PermissionDenied):
        services.tenancy_event_report(
            actor=users["sagsbehandler"],
            lease=let["lease"],
            data=_event(kind="arrears", event_date=today, amount=1, months=1),
        )
    with pytest.raises(PermissionDenied):
        services.tenancy_event_report(
            actor=users["org_b"], lease=let["lease"], data=_event(kind="warning", event_date=today)
        )
    for bad, field in [
        (_event(kind="arrears", event_date=today), "amount"),
        (_event(kind="move_out", event_date=today), "move_out_reason"),
        (_event(kind="warning", event_date=today + dt.timedelta(days=1)), "event_date"),
        (_event(kind="warning", event_date=let["move_in"] - dt.timedelta(days=1)), "event_date"),
        (_event(kind="warning", event_date=today, note="x" * 501), "note"),
    ]:
        with pytest.raises(ValidationError) as info:
            services.tenancy_event_report(
                actor=users["boligorganisation"], lease=let["lease"], data=bad
            )
        assert field in info.value.message_dict
    assert row_counts() == before


def test_pages_show_each_side_its_part(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    from anvis.tenancy import services

    today = timezone.localdate()
    lease = let["lease"]
    services.tenancy_event_report(
        actor=users["boligorganisation"],
        lease=lease,
        data=_event(kind="demand", event_date=today, note="Påkrav sendt"),
    )
    services.tenancy_event_report(
        actor=users["sagsbehandler"],
        lease=lease,
        data=_event(kind="hospital", event_date=today, note=NOTE),
    )
    url = reverse("tenancy:tenancy_detail", args=[lease.pk])
    org_page = client_for("boligorganisation").get(url).content.decode()
    assert "Påkrav sendt" in org_page and NOTE not in org_page
    assert "Hospitals- eller behandlingsophold" not in org_page and "Bostøtten" not in org_page
    assert let["case"].number not in org_page
    municipal_page = client_for("sagsbehandler").get(url).content.decode()
    assert NOTE in municipal_page and "Påkrav sendt" in municipal_page
    assert client_for("org_b").get(url).status_code == 404
    assert client_for("styregruppe").get(url).status_code == 404
    lease_page = (
        client_for("boligorganisation")
        .get(reverse("vacancies:vacancy_detail", args=[lease.vacancy_id]))
        .content.decode()
    )
    assert reverse("tenancy:tenancy_detail", args=[lease.pk]) in lease_page
    risk = client_for("sagsbehandler").get(reverse("tenancy:risk_list")).content.decode()
    assert let["case"].number in risk


def test_event_form_refuses_in_danish(let: dict[str, Any], client_for: Any) -> None:
    url = reverse("tenancy:event_report", args=[let["lease"].pk])
    before = row_counts()
    response = client_for("boligorganisation").post(
        url, {"kind": "arrears", "event_date": timezone.localdate().isoformat()}
    )
    assert response.status_code == 422
    assert "Angiv restancen" in response.content.decode()
    assert row_counts() == before


def test_file_import_is_all_or_nothing(let: dict[str, Any], users: dict[str, Any]) -> None:
    from anvis.tenancy.importing import import_events
    from anvis.tenancy.models import TenancyEvent

    pk = let["lease"].pk
    day = timezone.localdate().strftime("%d-%m-%Y")
    bad = f"lejemaal;haendelse;dato;beloeb;maaneder\n{pk};restance;{day};5000;2\n{pk};paakrav;32-13-2026;;\n"
    result = import_events(bad.encode(), "h.csv", actor=users["boligorganisation"])
    assert not result.ok and [e.line for e in result.errors] == [3]
    assert "Linje 3" in str(result.errors[0]) or "Line 3" in str(result.errors[0])
    assert not TenancyEvent.objects.exists()
    good = f"lejemaal;haendelse;dato;beloeb;maaneder\n{pk};restance;{day};5000;2\n{pk};paakrav;{day};;\n"
    result = import_events(good.encode(), "h.csv", actor=users["boligorganisation"])
    assert result.ok and TenancyEvent.objects.count() == 2


def test_api_reports_with_idempotency(let: dict[str, Any], users: dict[str, Any]) -> None:
    from rest_framework.test import APIClient

    from anvis.tenancy.models import TenancyEvent

    client = APIClient()
    client.force_authenticate(users["boligorganisation"])
    body = {
        "lease": let["lease"].pk,
        "kind": "warning",
        "event_date": timezone.localdate().isoformat(),
    }
    url = reverse("api:tenancy_event_list")
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201 and again.json() == first.json()
    assert TenancyEvent.objects.count() == 1
    bad = client.post(url, {**body, "kind": "arrears"}, format="json")
    assert bad.status_code == 400 and TenancyEvent.objects.count() == 1
    side = client.post(url, {**body, "kind": "prison"}, format="json")
    assert side.status_code == 400 and "kind" in str(side.json())
    assert TenancyEvent.objects.count() == 1
    other = APIClient()
    other.force_authenticate(users["org_b"])
    assert other.post(url, body, format="json").status_code == 400  # not its lease
    assert other.get(url).json()["results"] == [] if "results" in other.get(url).json() else True


def test_a_move_out_dated_before_a_reported_event_is_refused(
    let: dict[str, Any], client_for: Any, users: dict[str, Any]
) -> None:
    from anvis.tenancy.importing import import_events
    from anvis.tenancy.models import Tenancy

    today = timezone.localdate()
    arrears_on, earlier = today - dt.timedelta(days=6), today - dt.timedelta(days=36)
    org = client_for("boligorganisation")
    url = reverse("tenancy:event_report", args=[let["lease"].pk])
    posted = org.post(
        url,
        {"kind": "arrears", "event_date": arrears_on.isoformat(), "amount": 7000, "months": 2},
    )
    assert posted.status_code == 302
    before = row_counts()
    response = org.post(
        url,
        {
            "kind": "move_out",
            "event_date": earlier.isoformat(),
            "move_out_reason": "eviction",
            "confirm_move_out": "on",
        },
    )
    assert response.status_code == 422
    assert (
        "Fraflytningen kan ikke dateres før den seneste hændelse i boligforløbet "
        f"({arrears_on.strftime('%d.%m.%Y')})" in response.content.decode()
    )
    assert row_counts() == before
    assert Tenancy.objects.get(lease=let["lease"]).ended_on is None

    # The file import goes through the same service: the move-out's line is refused.
    pk, day = let["lease"].pk, earlier.strftime("%d-%m-%Y")
    data = f"lejemaal;haendelse;dato;fraflytningsaarsag\n{pk};fraflytning;{day};udsaettelse\n"
    result = import_events(data.encode(), "h.csv", actor=users["boligorganisation"])
    assert not result.ok and [e.line for e in result.errors] == [2]
    assert row_counts() == before

    # On the day of the latest event the move-out is accepted.
    response = org.post(
        url,
        {
            "kind": "move_out",
            "event_date": arrears_on.isoformat(),
            "move_out_reason": "eviction",
            "confirm_move_out": "on",
        },
    )
    assert response.status_code == 302
    assert Tenancy.objects.get(lease=let["lease"]).ended_on == arrears_on


def test_the_municipalitys_events_do_not_date_the_move_out(
    let: dict[str, Any], client_for: Any
) -> None:
    """A hospital stay recorded by the municipality is not the organisation's to learn of, not
    even by its date in a refusal; it may lie around the move-out."""
    today = timezone.localdate()
    url = reverse("tenancy:event_report", args=[let["lease"].pk])
    stay = today - dt.timedelta(days=3)
    posted = client_for("sagsbehandler").post(
        url, {"kind": "hospital", "event_date": stay.isoformat()}
    )
    assert posted.status_code == 302
    moved = today - dt.timedelta(days=10)
    response = client_for("boligorganisation").post(
        url,
        {
            "kind": "move_out",
            "event_date": moved.isoformat(),
            "move_out_reason": "own_wish",
            "confirm_move_out": "on",
        },
    )
    assert response.status_code == 302


def test_a_move_out_that_loses_the_home_tells_the_municipality_and_the_case(
    let: dict[str, Any],
    users: dict[str, Any],
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from anvis.cases.models import Case
    from anvis.notifications.models import Notification
    from anvis.tenancy.models import Tenancy

    worker, contact = users["sagsbehandler"], users["anvisningsleder"]
    Tenancy.objects.filter(lease=let["lease"]).update(municipal_contact=contact)
    today = timezone.localdate()
    url = reverse("tenancy:event_report", args=[let["lease"].pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("boligorganisation").post(
            url,
            {
                "kind": "move_out",
                "event_date": today.isoformat(),
                "move_out_reason": "eviction",
                "confirm_move_out": "on",
                "note": NOTE,
            },
        )
    assert response.status_code == 302
    case = let["case"]
    for user in (worker, contact):
        note = Notification.objects.get(recipient=user, kind="tenancy_ended")
        assert note.title == f"Boligforløb afsluttet: Udsættelse, sag {case.number}"
        assert today.strftime("%d.%m.%Y") in note.body and "“Bosat”" in note.body
        assert NOTE not in note.body
        assert note.link == reverse("cases:case_overview", args=[case.pk])

    # The case keeps its status, and its page shows how the tenancy ended, with a link to it.
    assert Case.objects.get(pk=case.pk).status == "housed"
    tenancy_url = reverse("tenancy:tenancy_detail", args=[let["lease"].pk])
    page = client_for("sagsbehandler").get(note.link).content.decode()
    assert "Boligforløb afsluttet" in page
    assert f"den {today.strftime('%d.%m.%Y')}: Udsættelse. Boligforløbet er afsluttet." in page
    assert f'href="{tenancy_url}"' in page
    timeline = client_for("sagsbehandler").get(reverse("cases:case_timeline", args=[case.pk]))
    assert "Fraflyttet" in timeline.content.decode()
    assert f'href="{tenancy_url}"' in timeline.content.decode()


@pytest.mark.parametrize(("reason", "told"), [("death", True), ("transfer", False)])
def test_a_death_is_told_and_a_move_on_is_only_written_on_the_case(
    let: dict[str, Any],
    users: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    reason: str,
    told: bool,
) -> None:
    from anvis.cases.models import CaseEvent
    from anvis.notifications.models import Notification
    from anvis.tenancy import services

    with django_capture_on_commit_callbacks(execute=True):
        services.tenancy_event_report(
            actor=users["boligorganisation"],
            lease=let["lease"],
            data=_event(kind="move_out", event_date=timezone.localdate(), move_out_reason=reason),
        )
    sent = Notification.objects.filter(recipient=users["sagsbehandler"], kind="tenancy_ended")
    assert sent.exists() is told
    assert CaseEvent.objects.filter(case=let["case"], kind="tenancy_ended").count() == 1


def test_the_same_event_twice_in_a_file_is_refused(
    let: dict[str, Any], users: dict[str, Any]
) -> None:
    # A row copied twice reported the arrears twice, with two follow-up tasks; the other
    # imports refuse a repeated row (a dwelling, a department and year) the same way.
    from anvis.tenancy.importing import import_events

    pk = let["lease"].pk
    day = timezone.localdate().strftime("%d-%m-%Y")
    row = f"{pk};restance;{day};5000;2"
    data = f"lejemaal;haendelse;dato;beloeb;maaneder\n{row}\n{pk};paakrav;{day};;\n{row}\n"
    before = row_counts()
    result = import_events(data.encode(), "h.csv", actor=users["boligorganisation"])
    assert [str(e) for e in result.errors] == ["Linje 4: samme hændelse står også i linje 2"]
    assert row_counts() == before
    # Another amount on the same day is another report.
    other = f"{row}\n{pk};restance;{day};6000;2\n"
    assert import_events(
        f"lejemaal;haendelse;dato;beloeb;maaneder\n{other}".encode(),
        "h.csv",
        actor=users["boligorganisation"],
    ).ok


def test_an_event_already_on_the_tenancy_is_refused_on_every_path(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    # A row given twice in one file is refused (above), and a vacancy report does not record a
    # notice already reported; the same file sent again, or the same report through the form or
    # the API, reported the arrears twice, with two follow-up tasks and two warnings.
    from rest_framework.test import APIClient

    from anvis.tenancy.importing import import_events
    from anvis.tenancy.models import FollowUpTask, TenancyEvent

    pk = let["lease"].pk
    today = timezone.localdate()
    data = f"lejemaal;haendelse;dato;beloeb;maaneder\n{pk};restance;{today:%d-%m-%Y};5000;2\n"
    org_user = users["boligorganisation"]
    assert import_events(data.encode(), "h.csv", actor=org_user).ok
    before = row_counts()
    again = import_events(data.encode(), "h.csv", actor=org_user)
    message = f"Hændelsen er allerede indberettet på boligforløbet ({today:%d.%m.%Y})."
    assert [str(e) for e in again.errors] == [f"Linje 2, kolonne 'haendelse': {message}"]
    form = client_for("boligorganisation").post(
        reverse("tenancy:event_report", args=[pk]),
        {"kind": "arrears", "event_date": today.isoformat(), "amount": "5.000", "months": "2"},
    )
    assert form.status_code == 422 and message in form.content.decode()
    api = APIClient()
    api.force_authenticate(org_user)
    answer = api.post(
        reverse("api:tenancy_event_list"),
        {
            "lease": pk,
            "kind": "arrears",
            "event_date": today.isoformat(),
            "amount": 5000,
            "months": 2,
        },
        format="json",
    )
    assert answer.status_code == 400 and message in str(answer.json())
    assert row_counts() == before
    assert TenancyEvent.objects.count() == 1 and FollowUpTask.objects.count() == 1
    # Other values on the same day are another report.
    other = data.replace(";5000;2", ";6000;2")
    assert import_events(other.encode(), "h.csv", actor=org_user).ok


def test_a_lease_number_in_other_digits_is_named_not_a_server_error(
    let: dict[str, Any], users: dict[str, Any]
) -> None:
    # "²" passes str.isdigit() and int() refuses it: the import page answered with a server error.
    from django.utils import translation

    from anvis.tenancy.importing import import_events

    day = timezone.localdate().strftime("%d-%m-%Y")
    data = f"lejemaal;haendelse;dato\n²;paakrav;{day}\n".encode()
    with translation.override("da"):
        result = import_events(data, "h.csv", actor=users["boligorganisation"])
    assert [str(e) for e in result.errors] == [
        "Linje 2, kolonne 'lejemaal': skal være lejemålets nummer (fik '²')"
    ]


def test_a_move_out_on_the_page_asks_for_a_confirmation(
    let: dict[str, Any], client_for: Any
) -> None:
    """A move-out ends the tenancy, closes its tasks and tells the municipality, and nothing
    reopens it: the form reports it only with the box ticked; other events need no box."""
    import html

    from anvis.tenancy.models import Tenancy

    org = client_for("boligorganisation")
    url = reverse("tenancy:event_report", args=[let["lease"].pk])
    today = timezone.localdate().isoformat()
    data = {"kind": "move_out", "event_date": today, "move_out_reason": "own_wish"}
    before = row_counts()
    refused = org.post(url, data)
    assert refused.status_code == 422
    assert "afslutter boligforløbet" in html.unescape(refused.content.decode())
    assert row_counts() == before
    assert Tenancy.objects.get(lease=let["lease"]).ended_on is None
    assert org.post(url, {**data, "confirm_move_out": "on"}).status_code == 302
    assert Tenancy.objects.get(lease=let["lease"]).ended_on == timezone.localdate()
