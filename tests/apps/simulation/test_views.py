from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from anvis.simulation import services
from anvis.simulation.models import RunStatus, SimulationRun

from .test_worker import TINY

pytestmark = pytest.mark.django_db

ALLOWED = ["anvisningsleder", "administrator", "styregruppe"]
DENIED = ["sagsbehandler", "boligorganisation", "org_b"]

FORM = {
    "source": "database",
    "regime": "agreement",
    "use_steps": "on",
    "matching_mode": "online",
    "batch_days": "7",
    "years": "1",
    "replications": "2",
    "seed": "1",
}


@pytest.fixture
def done_runs(users: Any, agreement: Any, waiting: Any) -> list[SimulationRun]:
    lead = users["anvisningsleder"]
    a = services.simulation_run_create(actor=lead, name="Aftale 30 %", parameters=TINY)
    b = services.simulation_run_create(
        actor=lead, name="Ad hoc", parameters={**TINY, "regime": "ad_hoc"}
    )
    assert services.simulation_process_queue(workers=1) == 2
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == RunStatus.DONE
    return [a, b]


@pytest.mark.parametrize("role", ALLOWED)
def test_allowed_roles_see_the_simulator(client_for: Any, role: str, agreement: Any) -> None:
    response = client_for(role).get(reverse("simulation:run_list"))
    assert response.status_code == 200
    assert "Aftalesimulator" in response.content.decode()


@pytest.mark.parametrize("role", DENIED)
def test_other_roles_get_403(client_for: Any, role: str, done_runs: Any) -> None:
    client = client_for(role)
    assert client.get(reverse("simulation:run_list")).status_code == 403
    assert client.post(reverse("simulation:run_list"), FORM).status_code == 403
    detail = reverse("simulation:run_detail", args=[done_runs[0].pk])
    assert client.get(detail).status_code == 403
    assert client.get(reverse("simulation:run_compare")).status_code == 403
    status = reverse("simulation:run_status", args=[done_runs[0].pk])
    assert client.get(status).status_code == 403


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(reverse("simulation:run_list"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_menu_item_only_for_allowed_roles(client_for: Any, users: Any) -> None:
    assert "Simulator" in client_for("styregruppe").get("/").content.decode()
    assert ">Simulator<" not in client_for("sagsbehandler").get("/").content.decode()


@pytest.mark.parametrize("role", ALLOWED)
def test_post_queues_a_run_and_shows_progress(
    client_for: Any, users: Any, role: str, agreement: Any, waiting: Any
) -> None:
    client = client_for(role)
    response = client.post(reverse("simulation:run_list"), {**FORM, "share_percent": "40"})
    run = SimulationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("simulation:run_detail", args=[run.pk])
    assert run.created_by == users[role]
    assert run.parameters["share_percent"] == "40"
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'max="2"' in page
    assert "simulation/progress.js" in page
    assert reverse("simulation:run_status", args=[run.pk]) in page
    assert "I kø" in page
    status = client.get(reverse("simulation:run_status", args=[run.pk])).json()
    assert status == {
        "status": "queued",
        "status_label": "I kø",
        "active": True,
        "done": 0,
        "total": 2,
        "percent": 0,
        "progress_text": "0 af 2 gentagelser",
    }


def test_invalid_post_shows_danish_errors_and_queues_nothing(
    client_for: Any, agreement: Any
) -> None:
    response = client_for("anvisningsleder").post(
        reverse("simulation:run_list"),
        {**FORM, "share_percent": "150", "acceptance_probability": "2", "arrivals_per_year": "-3"},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Andelen skal være mellem 0 og 100 %." in page
    assert "En sandsynlighed skal være mellem 0 og 1." in page
    assert "Tilgangen må ikke være negativ." in page
    assert not SimulationRun.objects.exists()


def test_finished_run_page_shows_results_without_refresh(client_for: Any, done_runs: Any) -> None:
    page = (
        client_for("anvisningsleder")
        .get(reverse("simulation:run_detail", args=[done_runs[0].pk]))
        .content.decode()
    )
    assert "Nøgletal" in page
    assert "Gennemsnitlig ventetid for de boligplacerede (dage)" in page
    assert "data:image/svg+xml;base64," in page
    assert "progress.js" not in page


def test_compare_page_renders_side_by_side_without_case_numbers(
    client_for: Any, done_runs: Any, waiting: Any
) -> None:
    url = reverse("simulation:run_compare")
    response = client_for("styregruppe").get(url, {"run": [done_runs[0].pk, done_runs[1].pk]})
    page = response.content.decode()
    assert response.status_code == 200
    for heading in ("Nøgletal", "Hjemløse over tid", "Ventetid pr. gruppe"):
        assert heading in page
    assert page.count("data:image/svg+xml;base64,") == 2
    assert "Aftale 30 %" in page and "Ad hoc" in page
    assert "Boligorganisationernes byrde i forhold til deres andel" in page
    assert "Alfa Boligselskab (11111111)" in page
    # Groups carry Danish labels: situation and age band.
    assert "Herberg/forsorgshjem (§ 110), 25-49" in page
    assert "Gadesovende, 18-24" in page
    # paired differences (same seed and replications) with a Danish sentence each
    assert "„Ad hoc“ sammenlignet med „Aftale 30 %“" in page
    assert "bruger de samme tilfældige tal" in page
    assert page.count("„Ad hoc“ er ") + page.count("ingen sikker forskel på „Ad hoc“") >= 9
    assert "Kommunens udgifter, tilbagediskonteret (kr)" in page
    # vacancies the turn engine judged blocked on the report day, as the ledger counts them
    assert "Ledige boliger lukket/loft nået ved ledighedsmeldingen (ingen kommunal tur)" in page
    for case in waiting:
        assert case.number not in page
        assert case.citizen.reference not in page
        assert case.citizen.first_name not in page


def test_compare_needs_two_runs(client_for: Any, done_runs: Any) -> None:
    page = (
        client_for("anvisningsleder")
        .get(reverse("simulation:run_compare"), {"run": [done_runs[0].pk]})
        .content.decode()
    )
    assert "Vælg mindst to færdige kørsler at sammenligne." in page
    assert "Nøgletal" not in page


def test_failed_run_shows_the_error(client_for: Any, users: Any, agreement: Any) -> None:
    run = services.simulation_run_create(
        actor=users["anvisningsleder"], name="Fejl", parameters={**TINY, "source": "nowhere"}
    )
    services.simulation_process_queue(workers=1)
    page = (
        client_for("administrator")
        .get(reverse("simulation:run_detail", args=[run.pk]))
        .content.decode()
    )
    assert "Kørslen mislykkedes." in page


def test_numbers_are_read_as_danes_write_them(
    client_for: Any, agreement: Any, waiting: Any
) -> None:
    """ "5.000" kr is five thousand, not 5; "27,5" % and "0,8" have a decimal comma."""
    response = client_for("anvisningsleder").post(
        reverse("simulation:run_list"),
        {
            **FORM,
            "rent_ceiling": "5.000",
            "response_days": "14",
            "share_percent": "27,5",
            "acceptance_probability": "0,8",
            "arrivals_per_year": "1.200",
            "replications": "2",
        },
    )
    assert response.status_code == 302
    run = SimulationRun.objects.get()
    assert run.parameters["rent_ceiling"] == 5000
    assert run.parameters["share_percent"] == "27.5"
    assert run.parameters["acceptance_probability"] == "0.8"
    assert run.parameters["arrivals_per_year"] == "1200"


def test_a_response_time_of_a_thousand_days_is_refused(
    client_for: Any, agreement: Any, waiting: Any
) -> None:
    response = client_for("anvisningsleder").post(
        reverse("simulation:run_list"), {**FORM, "response_days": "1.000"}
    )
    assert response.status_code == 422
    assert "Svartiden må højst være 365 dage." in response.content.decode()
    assert not SimulationRun.objects.exists()


def test_compare_tells_runs_of_the_same_name_apart(
    client_for: Any, users: Any, agreement: Any, waiting: Any
) -> None:
    """Two runs with the form's default name ("source: regime") and different shares: the
    columns, the charts' legends and the paired sentences name each run with its number."""
    lead = users["anvisningsleder"]
    name = "Kommunens egne data: Aftale"
    a = services.simulation_run_create(actor=lead, name=name, parameters=TINY)
    b = services.simulation_run_create(
        actor=lead, name=name, parameters={**TINY, "share_percent": "50"}
    )
    assert services.simulation_process_queue(workers=1) == 2
    page = (
        client_for("styregruppe")
        .get(reverse("simulation:run_compare"), {"run": [a.pk, b.pk]})
        .content.decode()
    )
    first, second = f"{name} (#{a.pk})", f"{name} (#{b.pk})"
    assert f'<th scope="col">{first}</th><th scope="col">{second}</th>' in page
    assert f"„{second}“ sammenlignet med „{first}“" in page
    assert page.count(f"„{second}“ ") + page.count(f"forskel på „{second}“") >= 9


def test_compare_refuses_a_run_against_itself(client_for: Any, done_runs: Any) -> None:
    page = (
        client_for("anvisningsleder")
        .get(reverse("simulation:run_compare"), {"run": [done_runs[0].pk, done_runs[0].pk]})
        .content.decode()
    )
    assert "Vælg mindst to færdige kørsler at sammenligne." in page
    assert "Nøgletal" not in page
