"""The retention worker: anonymisation of citizens whose cases are long closed."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from anvis.audit.models import AuditEvent
from anvis.cases import services as cases
from anvis.cases.models import (
    AvoidArea,
    Case,
    CaseEvent,
    Citizen,
    ContactConsent,
    LegalBarEvent,
    ShelterStay,
)
from anvis.security import services
from anvis.security.services import ANONYMISED_PREFIX, citizen_anonymise, retention_run

from .conftest import CPR_DIGITS, FIRST_NAME, NOTE, SHELTER

pytestmark = pytest.mark.django_db

TODAY = dt.date(2032, 6, 1)


def close(case: Any, on: dt.date) -> None:
    Case.objects.filter(pk=case.pk).update(status="closed", closed_on=on)


def another_citizen(users: dict[str, Any], cpr: str, name: str) -> Any:
    return cases.case_create(
        actor=users["sagsbehandler"],
        cpr=cpr,
        first_name=name,
        last_name="Andersen",
        situation="rough_sleeping",
        situation_since=dt.date(2026, 1, 1),
        today=dt.date(2026, 2, 1),
    )


def test_anonymises_a_citizen_closed_long_enough(world: dict[str, Any]) -> None:
    case = world["case"]
    close(case, dt.date(2027, 6, 1))
    report = retention_run(today=TODAY, years=5)
    assert report.cases == [case.number]
    citizen = Citizen.objects.get(pk=case.citizen_id)
    assert citizen.first_name == "Anonymiseret" and citizen.last_name == ""
    assert citizen.cpr == "" and citizen.phone == "" and citizen.email == ""
    assert citizen.cpr_hash.startswith(ANONYMISED_PREFIX)
    assert citizen.birth_date == dt.date(1990, 1, 1)
    assert all(e.note == "" for e in CaseEvent.objects.filter(case=case))
    assert not ShelterStay.objects.filter(case=case).exclude(shelter="").exists()
    for model in (LegalBarEvent, AvoidArea, ContactConsent):
        assert not model.objects.filter(case=case).exists()
    # Statistics survive: the case, its dates and its status.
    kept = Case.objects.get(pk=case.pk)
    assert kept.number == case.number and kept.closed_on == dt.date(2027, 6, 1)
    # One audit event, with no personal data in it.
    event = AuditEvent.objects.get(action="security.citizen_anonymise")
    blob = json.dumps([event.before, event.after, event.note, event.object_repr])
    assert FIRST_NAME not in blob and CPR_DIGITS not in blob and case.number in blob


def test_not_before_the_period_and_never_with_an_open_case(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    close(world["case"], dt.date(2027, 6, 2))  # one day short on TODAY
    open_case = another_citizen(users, "050590-1231", "Åbenlys")
    assert retention_run(today=TODAY, years=5).cases == []
    assert Citizen.objects.get(pk=world["citizen"].pk).first_name == FIRST_NAME
    assert Citizen.objects.get(pk=open_case.citizen_id).first_name == "Åbenlys"
    assert retention_run(today=TODAY + dt.timedelta(days=1), years=5).cases == [
        world["case"].number
    ]


def test_citizen_with_a_later_case_waits_for_that_one(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    close(world["case"], dt.date(2020, 1, 1))
    second = cases.case_create(
        actor=users["sagsbehandler"],
        cpr="010190-1235",
        first_name=FIRST_NAME,
        last_name="X",
        situation="rough_sleeping",
        situation_since=dt.date(2029, 1, 1),
        today=dt.date(2029, 1, 2),
    )
    close(second, dt.date(2030, 1, 1))
    assert retention_run(today=TODAY, years=5).cases == []
    report = retention_run(today=dt.date(2035, 1, 1), years=5)
    assert sorted(report.cases) == sorted([world["case"].number, second.number])


def test_worker_killed_midway_finishes_the_rest_and_does_nothing_twice(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    others = [
        another_citizen(users, cpr, name)
        for cpr, name in (("050590-1231", "Bent"), ("030390-1233", "Carla"))
    ]
    for case in [world["case"], *others]:
        close(case, dt.date(2026, 6, 1))
    real = services.citizen_anonymise
    calls = {"n": 0}

    def dies_on_the_second(**kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")
        return real(**kwargs)

    with (
        mock.patch.object(services, "citizen_anonymise", dies_on_the_second),
        pytest.raises(SystemExit),
    ):
        retention_run(today=TODAY, years=5)
    assert AuditEvent.objects.filter(action="security.citizen_anonymise").count() == 1
    assert Citizen.objects.filter(cpr_hash__startswith=ANONYMISED_PREFIX).count() == 1

    report = retention_run(today=TODAY, years=5)  # the restart
    assert len(report.cases) == 2
    assert AuditEvent.objects.filter(action="security.citizen_anonymise").count() == 3
    assert Citizen.objects.filter(cpr_hash__startswith=ANONYMISED_PREFIX).count() == 3
    assert retention_run(today=TODAY, years=5).cases == []


def test_failure_inside_one_citizen_leaves_that_citizen_untouched(world: dict[str, Any]) -> None:
    close(world["case"], dt.date(2026, 6, 1))
    with (
        mock.patch.object(services, "audit_record", side_effect=RuntimeError("database gone")),
        pytest.raises(RuntimeError),
    ):
        citizen_anonymise(citizen_id=world["citizen"].pk, today=TODAY, years=5)
    citizen = Citizen.objects.get(pk=world["citizen"].pk)
    assert citizen.first_name == FIRST_NAME and citizen.cpr == CPR_DIGITS
    assert NOTE in [e.note for e in CaseEvent.objects.filter(case=world["case"])]
    assert ShelterStay.objects.filter(case=world["case"], shelter=SHELTER).exists()
    assert LegalBarEvent.objects.filter(case=world["case"]).exists()


def test_one_citizen_that_cannot_be_anonymised_does_not_keep_the_others(
    world: dict[str, Any], users: dict[str, Any], tmp_path: Path
) -> None:
    """A failure inside one citizen (a row the anonymisation cannot write) is reported and the
    run goes on: otherwise every nightly run stops at the same citizen and nobody after it is
    ever anonymised. The command still writes its report, then exits with an error."""
    others = [
        another_citizen(users, cpr, name)
        for cpr, name in (("050590-1231", "Bent"), ("030390-1233", "Carla"))
    ]
    for case in [world["case"], *others]:
        close(case, dt.date(2026, 6, 1))
    stuck = min(case.citizen_id for case in [world["case"], *others])  # the run's first
    real = services.citizen_anonymise

    def fails_for_one(**kwargs: Any) -> Any:
        if kwargs["citizen_id"] == stuck:
            raise RuntimeError("check constraint violated")
        return real(**kwargs)

    report_file = tmp_path / "report.json"
    with (
        mock.patch.object(services, "citizen_anonymise", fails_for_one),
        pytest.raises(CommandError, match="1 citizen"),
    ):
        call_command(
            "anonymise_closed_cases",
            "--today",
            TODAY.isoformat(),
            "--years",
            "5",
            "--report",
            str(report_file),
            stdout=StringIO(),
        )
    data = json.loads(report_file.read_text())
    assert data["citizens_anonymised"] == 2
    assert data["citizens_failed"] == [Citizen.objects.get(pk=stuck).reference]
    assert Citizen.objects.filter(cpr_hash__startswith=ANONYMISED_PREFIX).count() == 2
    assert not Citizen.objects.get(pk=stuck).cpr_hash.startswith(ANONYMISED_PREFIX)


def test_command_writes_a_report_without_personal_data(
    world: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.ANVIS_RETENTION_YEARS = 5
    close(world["case"], dt.date(2026, 6, 1))
    out = StringIO()
    report_file = tmp_path / "report.json"
    call_command(
        "anonymise_closed_cases",
        "--today",
        TODAY.isoformat(),
        "--report",
        str(report_file),
        stdout=out,
    )
    data = json.loads(report_file.read_text())
    assert data["citizens_anonymised"] == 1
    assert data["case_numbers"] == [world["case"].number]
    assert data["closed_on_or_before"] == "2027-06-01"
    text = out.getvalue() + report_file.read_text()
    assert FIRST_NAME not in text and CPR_DIGITS not in text
    assert "Anonymised 1 citizens" in out.getvalue()


def test_a_re_entry_after_anonymisation_is_a_new_citizen(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    close(world["case"], dt.date(2026, 6, 1))
    retention_run(today=TODAY, years=5)
    again = cases.case_create(
        actor=users["sagsbehandler"],
        cpr="010190-1235",
        first_name=FIRST_NAME,
        last_name="Igen",
        situation="rough_sleeping",
        situation_since=dt.date(2032, 1, 1),
        today=dt.date(2032, 6, 1),
    )
    assert again.citizen_id != world["citizen"].pk


def test_the_tenancys_notes_are_removed_with_the_citizens(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    """The tenancy after move-in holds note text too: the organisation's and the municipality's
    notes on its events, and what the caseworker agreed with the tenant on a follow-up task.
    They are removed with every other note; the events, their dates and kinds stay for the
    retention figures."""
    from anvis.tenancy import services as tenancy
    from anvis.tenancy.models import FollowUpTask, TenancyEvent

    housed = world["housed_case"]
    task = world["tenancy_task"]
    tenancy.task_contact_record(
        actor=users["sagsbehandler"], task=task, contact_on=task.event.event_date, note=NOTE
    )
    assert NOTE in [e.note for e in TenancyEvent.objects.filter(tenancy__case=housed)]
    close(housed, dt.date(2026, 6, 1))
    report = retention_run(today=TODAY, years=5)
    assert housed.number in report.cases
    events = TenancyEvent.objects.filter(tenancy__case=housed)
    assert sorted(e.kind for e in events) == ["arrears", "hospital"]
    assert [e.note for e in events] == ["", ""]
    assert FollowUpTask.objects.get(pk=task.pk).contact_note == ""


def test_a_failed_anonymisation_keeps_the_tenancys_notes(world: dict[str, Any]) -> None:
    from anvis.tenancy.models import TenancyEvent

    housed = world["housed_case"]
    close(housed, dt.date(2026, 6, 1))
    with (
        mock.patch.object(services, "audit_record", side_effect=RuntimeError("database gone")),
        pytest.raises(RuntimeError),
    ):
        citizen_anonymise(citizen_id=housed.citizen_id, today=TODAY, years=5)
    assert NOTE in [e.note for e in TenancyEvent.objects.filter(tenancy__case=housed)]
