"""A vacancy's remarks are read by the municipality and the steering group (the vacancy page),
which sees no citizen identifier: a CPR number in them is refused on the field, on every path
(the form, the API, the file), as docs/privacy.md says of the remarks. They took any text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from anvis.vacancies import services
from anvis.vacancies.importing import report_vacancies
from anvis.vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

REMARKS = "Tidligere lejer 010190-1235 har efterladt møbler"


def test_the_report_form_refuses_a_cpr_number_in_the_remarks(
    client_for: Any, agreement: Any, cheap: Any
) -> None:
    today = timezone.localdate()
    response = client_for("boligorganisation").post(
        reverse("vacancies:vacancy_report"),
        {
            "dwelling": cheap.pk,
            "source": "report",
            "notice_date": (today - dt.timedelta(days=5)).isoformat(),
            "available_from": today.isoformat(),
            "remarks": REMARKS,
        },
    )
    assert response.status_code == 422
    assert "Skriv ikke CPR-numre her" in response.content.decode()
    assert not Vacancy.objects.exists()


def test_the_service_refuses_it_on_the_field(
    users: dict[str, Any], agreement: Any, cheap: Any
) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.vacancy_report(
            actor=users["boligorganisation"],
            dwelling=cheap,
            notice_date=today,
            available_from=today,
            remarks="Ring til 0101901235",
        )
    assert "remarks" in refused.value.message_dict
    assert not Vacancy.objects.exists()


def test_the_file_names_the_line(users: dict[str, Any], agreement: Any, cheap: Any) -> None:
    entrance = cheap.entrance
    department = entrance.department
    line = (
        f"{department.organisation.cvr};{department.number};{entrance.street};"
        f"{cheap.floor};{cheap.door};01.03.2026;10.03.2026;;{REMARKS}"
    )
    header = "cvr;afdelingsnr;adresse;etage;doer;opsigelsesdato;ledig_fra;husleje;bemaerkninger\n"
    result = report_vacancies(
        (header + line + "\n").encode(),
        "ledige.csv",
        actor=users["boligorganisation"],
        report_date=dt.date(2026, 3, 4),
    )
    assert not result.ok
    assert any("CPR" in str(e) for e in result.errors), [str(e) for e in result.errors]
    assert not Vacancy.objects.exists()
