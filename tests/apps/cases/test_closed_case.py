"""Closed is final: no service and no page changes a closed case's data (docs/cases.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from anvis.cases import services
from anvis.cases.models import Case

pytestmark = pytest.mark.django_db
D = dt.date

CLOSED_MESSAGE = "Sagen er lukket"


def _close(case: Any) -> Any:
    return services.case_transition(
        actor=case.caseworker, case=case, status="closed", today=D(2026, 3, 1)
    )


EDITS: dict[str, Callable[[Any, Any], Any]] = {
    "update": lambda a, c: services.case_update(actor=a, case=c, changes={"pets": True}),
    "children": lambda a, c: services.case_set_children(
        actor=a, case=c, birth_dates=[D(2020, 5, 1)]
    ),
    "situation": lambda a, c: services.case_set_situation(
        actor=a, case=c, situation="rough_sleeping", since=D(2026, 3, 2)
    ),
    "urgency": lambda a, c: services.case_set_urgency(actor=a, case=c, urgent=True, reason="Akut"),
    "stay": lambda a, c: services.shelter_stay_add(
        actor=a, case=c, shelter="Herberget", admitted_on=D(2026, 3, 2)
    ),
    "plan": lambda a, c: services.support_plan_add(
        actor=a, case=c, method="cti", provider="CTI-teamet", decided_on=D(2026, 3, 2)
    ),
    "bar": lambda a, c: services.legal_bar_add(
        actor=a, case=c, kind="prison_release", date=D(2026, 2, 1)
    ),
    "avoid": lambda a, c: services.avoid_area_add(
        actor=a, case=c, district="Aalborg Øst", reason="Netværk"
    ),
    "consent": lambda a, c: services.consent_record(actor=a, case=c, given_on=D(2026, 3, 2)),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_no_service_changes_a_closed_case(case: Any, users: Any, edit: str) -> None:
    case = _close(case)
    before = Case.objects.get(pk=case.pk)
    with pytest.raises(ValidationError) as info:
        EDITS[edit](users["sagsbehandler"], case)
    assert info.value.code == "case_closed"
    after = Case.objects.get(pk=case.pk)
    assert (after.pets, after.urgent, after.situation, after.priority_total) == (
        before.pets,
        before.urgent,
        before.situation,
        before.priority_total,
    )
    assert not after.children.exists() and not after.shelter_stays.exists()
    assert not after.support_plans.exists() and not after.bar_events.exists()
    assert not after.avoid_areas.exists() and not after.consents.exists()


def test_bar_and_area_of_a_closed_case_are_not_removed(case: Any, users: Any) -> None:
    actor = users["sagsbehandler"]
    bar = services.legal_bar_add(actor=actor, case=case, kind="prison_release", date=D(2026, 1, 1))
    area = services.avoid_area_add(actor=actor, case=case, district="Vejgaard", reason="Netværk")
    _close(case)
    with pytest.raises(ValidationError):
        services.legal_bar_remove(actor=actor, event=bar)
    with pytest.raises(ValidationError):
        services.avoid_area_remove(actor=actor, area=area)
    assert case.bar_events.count() == 1 and case.avoid_areas.count() == 1


def test_a_closed_case_keeps_what_closes_out_its_records(case: Any, users: Any) -> None:
    """An open § 110 stay would count towards the reimbursement cap forever, a plan may end
    after the case, the citizen may withdraw consent and the timeline takes a note."""
    actor = users["sagsbehandler"]
    stay = services.shelter_stay_add(
        actor=actor, case=case, shelter="Herberget", admitted_on=D(2026, 1, 5)
    )
    plan = services.support_plan_add(
        actor=actor, case=case, method="cti", provider="CTI-teamet", decided_on=D(2026, 1, 20)
    )
    consent = services.consent_record(actor=actor, case=case, given_on=D(2026, 1, 20))
    _close(case)
    services.shelter_stay_discharge(actor=actor, stay=stay, discharged_on=D(2026, 3, 1))
    services.support_plan_set_status(actor=actor, plan=plan, status="ended")
    services.consent_withdraw(actor=actor, consent=consent, withdrawn_on=D(2026, 3, 2))
    services.case_add_note(actor=actor, case=case, text="Flyttet til anden kommune")
    stay.refresh_from_db()
    assert stay.discharged_on == D(2026, 3, 1)


def test_the_household_form_of_a_closed_case_is_refused_in_danish(
    client_for: Any, case: Any
) -> None:
    _close(case)
    client = client_for("sagsbehandler")
    url = reverse("cases:case_edit", args=[case.pk, "husstand"])
    response = client.post(
        url, {"adults": "2", "extra_rooms": "0", "children_birth_dates": "01-05-2020"}
    )
    assert response.status_code == 422
    assert CLOSED_MESSAGE in response.content.decode()
    case.refresh_from_db()
    assert case.adults == 1 and not case.children.exists()


def test_a_closed_cases_pages_offer_no_change_of_its_data(client_for: Any, case: Any) -> None:
    """The pages of a closed case offer no change the services refuse (edit links, the urgency
    form, adding or removing stays, plans, bars, areas and consents); what closes out a record
    (discharging a stay, a plan's status) and a note stay. An open case offers them all."""
    from anvis.cases.models import ShelterStay

    client = client_for("sagsbehandler")
    services.shelter_stay_add(
        actor=case.caseworker, case=case, shelter="Herberget", admitted_on=D(2026, 2, 1)
    )
    pages = ("case_overview", "case_household", "case_economy", "case_shelter")
    changes = (
        reverse("cases:case_edit", args=[case.pk, "husstand"]),
        reverse("cases:case_edit", args=[case.pk, "oekonomi"]),
        reverse("cases:case_urgency", args=[case.pk]),
        reverse("cases:stay_add", args=[case.pk]),
        reverse("cases:plan_add", args=[case.pk]),
        reverse("cases:bar_add", args=[case.pk]),
        reverse("cases:avoid_add", args=[case.pk]),
        reverse("cases:consent_add", args=[case.pk]),
    )

    def shown() -> str:
        return "".join(
            client.get(reverse(f"cases:{name}", args=[case.pk])).content.decode() for name in pages
        )

    page = shown()
    assert [url for url in changes if f'"{url}"' not in page] == []
    _close(case)
    page = shown()
    assert not [url for url in changes if f'"{url}"' in page]
    stay = ShelterStay.objects.get(case=case)
    assert reverse("cases:stay_discharge", args=[case.pk, stay.pk]) in page
