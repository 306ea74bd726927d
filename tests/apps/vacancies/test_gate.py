"""The one placement gate on every path (issue: one gate for every placement).

A table of citizens and dwellings that break each hard rule is driven through every path that
places a citizen — the offer dialogue, "Giv tilbud" on the ranked list, an offer from a stored
batch run (made before the rule broke), the API — and each path must refuse with the same Danish
reasons and write nothing. Only the allowed overrides pass, and they are recorded. The lease
confirms the accepted offer and does not undo a lawful one.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.api.services import api_token_create
from anvis.audit.models import AuditEvent
from anvis.cases import services as case_services
from anvis.matching import services as matching_services
from anvis.monitoring.models import DepartmentStatus, MunicipalPlacement
from anvis.stock.models import Dwelling
from anvis.vacancies import services as flow
from anvis.vacancies.models import Offer

from ..api.conftest import ApiClient
from .conftest import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


def _open(users: dict[str, Any], dwelling: Dwelling, day: dt.date) -> Any:
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"]
        if dwelling.entrance.department.organisation.name.startswith("Alfa")
        else users["org_b"],
        dwelling=dwelling,
        notice_date=day,
        available_from=day,
        report_date=day,
    )
    return flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy, today=day)


def _status(vacancy: Any, day: dt.date, *, closed: bool = False, kinds: tuple[str, ...] = ()):
    """A fresh monitoring snapshot for every department: the vacancy's one red and/or on an
    area list, the others green."""
    from anvis.stock.models import Department

    target = vacancy.dwelling.entrance.department_id
    for department in Department.objects.all():
        mine = department.pk == target
        DepartmentStatus.objects.create(
            department=department,
            as_of=day,
            status="red" if mine and closed else "green",
            designations=list(kinds) if mine else [],
            proposal_level="",
            proposed_share=Decimal("25"),
        )


def break_area_bar(users: dict[str, Any], vacancy: Any, case: Any, day: dt.date) -> None:
    """Released from prison ten days ago; the department is a forebyggelsesområde."""
    _status(vacancy, day, kinds=("forebyggelse",))
    case_services.legal_bar_add(
        actor=users["sagsbehandler"],
        case=case,
        kind="prison_release",
        date=day - dt.timedelta(days=10),
    )


def break_closed(users: dict[str, Any], vacancy: Any, case: Any, day: dt.date) -> None:
    _status(vacancy, day, closed=True)


def break_cap(users: dict[str, Any], vacancy: Any, case: Any, day: dt.date) -> None:
    """The department's cap is one placement in 12 months, and one was made a month ago."""
    version = vacancy.turn_record.version
    version.cap_per_department_12m = 1
    version.save()
    entrance = vacancy.dwelling.entrance
    MunicipalPlacement.objects.create(
        dwelling=vacancy.dwelling,
        entrance=entrance,
        department=entrance.department,
        placed_on=day - dt.timedelta(days=30),
        case_ref="S-0",
    )


def break_declined(users: dict[str, Any], vacancy: Any, case: Any, day: dt.date) -> None:
    """The citizen was offered this dwelling and said no (a reason that gives no pause)."""
    offer = flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=day)
    flow.offer_decline(
        actor=users["sagsbehandler"], offer=offer, reason="provider_other", today=day
    )


def break_paused(users: dict[str, Any], vacancy: Any, case: Any, day: dt.date) -> None:
    case_services.case_park(
        actor=users["sagsbehandler"],
        case=case,
        until=day + dt.timedelta(days=10),
        reason="Indlagt",
        today=day,
    )


def break_active_offer(users: dict[str, Any], vacancy: Any, case: Any, day: dt.date) -> None:
    other = Dwelling.objects.get(entrance__street="Betavej 2", rent=3100)
    flow.offer_create(
        actor=users["sagsbehandler"], vacancy=_open(users, other, day), case=case, today=day
    )


# (scenario, how to break it, the rule codes, a Danish fragment of the reason, overridable)
SCENARIOS: list[tuple[str, Callable[..., None], set[str], str, bool]] = [
    ("area_bar", break_area_bar, {"area_bar"}, "må ikke anvises dertil", False),
    ("closed", break_closed, {"department_closed"}, "lukket for kommunale anvisninger", True),
    ("cap", break_cap, {"cap_reached"}, "Loftet for afdelingen", True),
    ("declined", break_declined, {"declined_before"}, "har allerede fået tilbudt", False),
    ("paused", break_paused, {"paused"}, "sat i bero", False),
    ("active_offer", break_active_offer, {"not_waiting", "active_offer"}, "aktivt tilbud", False),
]


def _page_errors(content: bytes) -> set[str]:
    """The error messages a page shows: the form's errors and error flash messages."""
    text = content.decode()
    found = re.findall(r'<p class="alert alert--error">(.*?)</p>', text, re.S)
    for block in re.findall(
        r'<div class="alert alert--error" role="alert">(.*?)</div>', text, re.S
    ):
        found += re.findall(r"<p>(.*?)</p>", block, re.S)
    return {html.unescape(m).strip() for m in found}


def via_form(users: dict[str, Any], client_for: Any, vacancy: Any, case: Any, **extra: Any):
    client = client_for(extra.pop("role", "sagsbehandler"))
    response = client.post(
        reverse("vacancies:offer_create", args=[vacancy.pk]),
        {"case": case.pk, "response_working_days": 5, "confirmed": "1", **extra},
    )
    return response.status_code == 302, response


def via_ranked(users: dict[str, Any], client_for: Any, vacancy: Any, case: Any):
    client = client_for("sagsbehandler")
    response = client.post(
        reverse("matching:offer_create", args=[vacancy.pk, case.pk]),
        {"case": case.pk, "response_working_days": 5, "confirmed": "1"},
        follow=True,
    )
    return Offer.objects.filter(case=case, vacancy=vacancy, status="pending").exists(), response


def via_api(users: dict[str, Any], vacancy: Any, case: Any) -> Any:
    token = api_token_create(
        actor=users["administrator"],
        name="Fagsystem",
        kind="municipal",
        user=users["sagsbehandler"],
    )
    return ApiClient(token.raw).post(
        "/api/v1/offers/", {"vacancy": vacancy.pk, "case": case.number}
    )


@pytest.mark.parametrize(
    ("name", "breaker", "codes", "fragment", "overridable"),
    SCENARIOS,
    ids=[s[0] for s in SCENARIOS],
)
def test_every_path_refuses_with_the_same_reasons_and_writes_nothing(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    client_for: Any,
    today: dt.date,
    name: str,
    breaker: Callable[..., None],
    codes: set[str],
    fragment: str,
    overridable: bool,
) -> None:
    vacancy = _open(users, cheap, today)
    case = make_case(users, "120385-1235")
    run = matching_services.run_create(actor=users["anvisningsleder"], today=today)
    assert [(p["dwelling"], p["citizen"]) for p in run.result["proposals"]] == [
        (str(vacancy.pk), case.number)
    ]
    breaker(users, vacancy, case, today)
    offers_before = Offer.objects.count()
    audit_before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    # The service itself: the rule codes and the Danish reasons.
    with pytest.raises(Exception) as refused:
        flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=today)
    error = refused.value
    assert {e.code for e in error.error_list} == codes
    reasons = set(error.messages)
    assert any(fragment in m for m in reasons), reasons

    ok, form = via_form(users, client_for, vacancy, case)
    assert not ok and form.status_code == 422
    assert reasons <= _page_errors(form.content), _page_errors(form.content)

    ok, ranked = via_ranked(users, client_for, vacancy, case)
    assert not ok
    assert reasons <= _page_errors(ranked.content)

    (outcome,) = matching_services.run_make_offers(
        actor=users["anvisningsleder"], run=run, dwellings=[str(vacancy.pk)], today=today
    )
    assert not outcome.ok
    assert outcome.message == " ".join(error.messages)

    answer = via_api(users, vacancy, case)
    assert answer.status_code == 400
    assert set(answer.json()["errors"]["non_field_errors"]) == reasons
    assert answer.json()["code"] == "offer_refused"

    assert Offer.objects.count() == offers_before
    assert (
        not AuditEvent.objects.filter(pk__gt=audit_before)
        .exclude(action="api.token_create")
        .exists()
    )

    # Overrides: a caseworker's reason does not count; the allocation lead's does, where the
    # law allows it, and it is recorded on the offer and in the audit trail.
    ok, _response = via_form(
        users, client_for, vacancy, case, override_reason="Vigtigt", soft_confirmed="on"
    )
    assert not ok
    ok, response = via_form(
        users,
        client_for,
        vacancy,
        case,
        role="anvisningsleder",
        override_reason="Netværk i afdelingen; bestyrelsen er orienteret.",
        soft_confirmed="on",
    )
    assert ok is overridable, _page_errors(response.content)
    if overridable:
        offer = Offer.objects.get(vacancy=vacancy, status="pending")
        assert offer.override_reason == "Netværk i afdelingen; bestyrelsen er orienteret."
        assert offer.overridden_by == users["anvisningsleder"]
        assert set(offer.overridden_rules) == codes
        assert AuditEvent.objects.filter(action="vacancies.offer_override").count() == 1
    else:
        assert Offer.objects.count() == offers_before


def test_soft_findings_need_a_confirmation(
    users: dict[str, Any], agreement: Any, cheap: Any, client_for: Any, today: dt.date
) -> None:
    vacancy = _open(users, cheap, today)
    case = make_case(users, "120385-1235")
    case_services.avoid_area_add(
        actor=users["sagsbehandler"], case=case, reason="Netværk", district="Aalborg Øst"
    )
    ok, response = via_form(users, client_for, vacancy, case)
    assert not ok and response.status_code == 422
    assert any("Aalborg Øst" in m for m in _page_errors(response.content))
    ok, _response = via_form(users, client_for, vacancy, case, soft_confirmed="on")
    assert ok
    offer = Offer.objects.get()
    assert [f["code"] for f in offer.findings] == ["excluded_district"]
    assert offer.override_reason == ""


def test_the_dialogue_lists_only_citizens_who_may_get_the_dwelling(
    users: dict[str, Any], agreement: Any, cheap: Any, client_for: Any, today: dt.date
) -> None:
    vacancy = _open(users, cheap, today)
    free = make_case(users, "120385-1235", "Fri")
    barred = make_case(users, "010190-1234", "Spærret")
    break_area_bar(users, vacancy, barred, today)
    client = client_for("sagsbehandler")
    page = client.get(reverse("vacancies:offer_create", args=[vacancy.pk])).content.decode()
    # The citizen is chosen by a search field whose suggestions are the admitted citizens only.
    suggest = reverse("vacancies:offer_case_suggestions", args=[vacancy.pk])
    assert f'data-search-url="{suggest}"' in page and '<select name="case"' not in page
    found = client.post(suggest, {"q": "Testesen"}).json()["results"]
    assert [r["value"] for r in found] == [free.pk]
    assert client.post(suggest, {"q": "Spærret"}).json()["results"] == []
    assert client.get(suggest, {"q": "Testesen"}).status_code == 405
    assert barred.number in page.split('data-testid="not-offerable"')[1]
    assert "må ikke anvises dertil" in page


def test_lease_follows_an_accepted_offer_and_a_later_closure_does_not_undo_it(
    users: dict[str, Any], agreement: Any, cheap: Any, today: dt.date
) -> None:
    offered_on = today - dt.timedelta(days=5)
    vacancy = _open(users, cheap, offered_on)
    case = make_case(users, "120385-1235")
    offer = flow.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=offered_on
    )
    with pytest.raises(Exception) as refused:
        flow.lease_register(
            actor=users["boligorganisation"],
            offer=offer,
            signed_on=today,
            starts_on=today,
            move_in_on=today,
        )
    assert refused.value.code == "offer_not_accepted"
    flow.offer_accept(actor=users["sagsbehandler"], offer=offer, today=offered_on)
    _status(vacancy, today, closed=True)
    result = flow.lease_register(
        actor=users["boligorganisation"],
        offer=offer,
        signed_on=today,
        starts_on=today,
        move_in_on=today,
    )
    assert result.lease.pk
    assert any("lukket for kommunale anvisninger" in w for w in result.warnings)
    assert any("tilbuddet var lovligt" in w for w in result.warnings)


def test_a_closed_or_capped_department_is_no_municipal_turn(
    users: dict[str, Any], agreement: Any, cheap: Any, today: dt.date
) -> None:
    from anvis.agreements.models import AgreementVersion

    AgreementVersion.objects.update(cap_per_department_12m=1)
    entrance = cheap.entrance
    MunicipalPlacement.objects.create(
        dwelling=cheap,
        entrance=entrance,
        department=entrance.department,
        placed_on=today - dt.timedelta(days=30),
        case_ref="S-0",
    )
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=today,
        available_from=today,
        report_date=today,
    )
    assert vacancy.status == "ordinary"
    record = vacancy.turn_record
    assert (record.eligible, record.municipal, record.outcome) == (True, False, "blocked")
    assert record.reason_params["reasons"][0]["code"] == "cap_reached"


def test_the_dialogue_does_not_confirm_an_offer_of_a_dwelling_already_offered(
    users: dict[str, Any], agreement: Any, cheap: Any, client_for: Any, today: dt.date
) -> None:
    """Two caseworkers have the dialogue open; one makes the offer. The other's check step
    must refuse as the service and the API do (the dwelling cannot be offered now), not show
    the confirmation of an offer the next click is refused."""
    vacancy = _open(users, cheap, today)
    first = make_case(users, "120385-1235")
    second = make_case(users, "010190-1234", "Lise")
    flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=first, today=today)
    with pytest.raises(Exception) as refused:
        flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=second, today=today)
    (reason,) = refused.value.messages
    assert "Boligen kan ikke tilbydes nu" in reason

    client = client_for("sagsbehandler")
    response = client.post(
        reverse("vacancies:offer_create", args=[vacancy.pk]),
        {"case": second.pk, "response_working_days": 5},
    )
    assert response.status_code == 422
    assert 'data-testid="confirm-offer"' not in response.content.decode()
    assert reason in _page_errors(response.content)
    answer = via_api(users, vacancy, second)
    assert answer.status_code == 400
    assert answer.json()["errors"]["non_field_errors"] == [reason]


def test_the_agreements_own_answer_deadline_is_taken_on_every_path(
    users: dict[str, Any], agreement: Any, cheap: Any, client_for: Any, today: dt.date
) -> None:
    """An agreement may give the citizen up to 60 working days to answer an offer. The dialogue
    proposes that deadline; it refused it (at most 30) while the API and a batch run's offers
    took it, and the API refused the same number given explicitly."""
    vacancy = _open(users, cheap, today)
    version = vacancy.turn_record.version
    version.offer_response_working_days = 40
    version.save()
    case = make_case(users, "120385-1235")
    ok, response = via_form(users, client_for, vacancy, case, response_working_days=40)
    assert ok, _page_errors(response.content)
    offer = Offer.objects.get(case=case)
    assert (offer.response_deadline - offer.offered_on).days > 30
    flow.offer_withdraw(actor=users["sagsbehandler"], offer=offer, note="Fejl", today=today)
    token = api_token_create(
        actor=users["administrator"],
        name="Fagsystem",
        kind="municipal",
        user=users["sagsbehandler"],
    )
    answer = ApiClient(token.raw).post(
        "/api/v1/offers/",
        {"vacancy": vacancy.pk, "case": case.number, "response_working_days": 40},
    )
    assert answer.status_code == 201, answer.json()
    flow.offer_withdraw(
        actor=users["sagsbehandler"], offer=Offer.objects.get(pk=answer.json()["id"]), today=today
    )
    # Beyond the agreement's own limit every path refuses, the service too.
    with pytest.raises(Exception) as refused:
        flow.offer_create(
            actor=users["sagsbehandler"],
            vacancy=vacancy,
            case=make_case(users, "010190-1234", "Lise"),
            response_working_days=61,
            today=today,
        )
    assert "response_working_days" in refused.value.message_dict


def _confirmation_step(
    client: Any, vacancy: Any, case: Any, url: str = "", **extra: Any
) -> dict[str, str]:
    """Step two of the dialogue: the fields its confirmation form posts back."""
    response = client.post(
        url or reverse("vacancies:offer_create", args=[vacancy.pk]),
        {"case": case.pk, "response_working_days": 5, **extra},
    )
    page = response.content.decode()
    assert 'data-testid="confirm-offer"' in page, _page_errors(response.content)
    form = page.split('data-testid="confirm-offer"')[1].split("</form>")[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    return {name: html.unescape(value) for name, value in fields.items()}


def test_an_override_covers_only_the_findings_the_lead_confirmed(
    users: dict[str, Any], agreement: Any, cheap: Any, client_for: Any, today: dt.date
) -> None:
    """The allocation lead overrides the department's cap with a reason and sees the
    confirmation; before the click the department is closed by composition monitoring. The
    reason was written for the cap, not for the closure: the offer is refused with the
    closure's reason, nothing is written, and the dialogue shows it to decide on. The
    written reason used to lift every agreement finding there was at the click."""
    vacancy = _open(users, cheap, today)
    case = make_case(users, "120385-1235")
    break_cap(users, vacancy, case, today)
    client = client_for("anvisningsleder")
    fields = _confirmation_step(
        client, vacancy, case, override_reason="Netværk i afdelingen.", soft_confirmed="on"
    )
    _status(vacancy, today, closed=True)
    response = client.post(reverse("vacancies:offer_create", args=[vacancy.pk]), fields)
    assert response.status_code == 422
    assert not Offer.objects.exists()
    assert any("lukket for kommunale anvisninger" in m for m in _page_errors(response.content))
    assert not AuditEvent.objects.filter(action="vacancies.offer_override").exists()

    # Confirmed again with the closure shown, the override covers both.
    fields = _confirmation_step(
        client, vacancy, case, override_reason="Netværk i afdelingen.", soft_confirmed="on"
    )
    response = client.post(reverse("vacancies:offer_create", args=[vacancy.pk]), fields)
    assert response.status_code == 302
    assert set(Offer.objects.get().overridden_rules) == {"cap_reached", "department_closed"}


@pytest.mark.parametrize("ranked", [False, True], ids=["dialogue", "ranked"])
def test_a_confirmation_covers_only_the_soft_findings_shown(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    client_for: Any,
    today: dt.date,
    ranked: bool,
) -> None:
    """A caseworker confirms having considered that the citizen wishes to avoid the district;
    before the click the caseworker's colleague records that the citizen wants to avoid the
    department too. The tick does not cover the finding nobody saw, from the vacancy's dialogue
    or from "Giv tilbud" on the ranked list."""
    vacancy = _open(users, cheap, today)
    case = make_case(users, "120385-1235")
    case_services.avoid_area_add(
        actor=users["sagsbehandler"], case=case, reason="Netværk", district="Aalborg Øst"
    )
    url = (
        reverse("matching:offer_create", args=[vacancy.pk, case.pk])
        if ranked
        else reverse("vacancies:offer_create", args=[vacancy.pk])
    )
    client = client_for("sagsbehandler")
    fields = _confirmation_step(client, vacancy, case, url, soft_confirmed="on")
    case_services.avoid_area_add(
        actor=users["sagsbehandler"],
        case=case,
        reason="Konflikt",
        department=cheap.entrance.department,
    )
    response = client.post(url, fields)
    assert response.status_code == 422
    assert not Offer.objects.exists()
    assert any("afdelingen" in m for m in _page_errors(response.content))


def test_the_gate_judges_the_ceiling_on_the_a_conto_the_turn_was_judged_on(
    users: dict[str, Any], agreement: Any, cheap: Any, today: dt.date
) -> None:
    """The agreement judges gross rent (rent + a conto). The vacancy was eligible when reported
    (3100 + 1500 = 4600 kr, at most the 5000 kr ceiling) and the municipality accepted it; then
    the stock register raised the dwelling's a conto to 2500 kr. The rent at letting and the
    ceiling terms are the report's, and so must the a conto be: the gate judged 3100 + 2500 =
    5600 kr over the ceiling and refused an offer of a dwelling the turn engine had found within
    it, which the municipality pays void rent for."""
    from anvis.agreements.models import AgreementVersion

    AgreementVersion.objects.update(rent_ceiling_basis="gross")
    Dwelling.objects.filter(pk=cheap.pk).update(aconto=1500)
    vacancy = _open(users, Dwelling.objects.get(pk=cheap.pk), today)
    assert vacancy.turn_record.eligible and vacancy.status == "accepted"
    Dwelling.objects.filter(pk=cheap.pk).update(aconto=2500)
    case = make_case(users, "120385-1235")
    offer = flow.offer_create(actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=today)
    assert "rent_over_ceiling" not in {f["code"] for f in offer.findings}


def test_a_confirmation_from_another_day_is_shown_again_with_the_deadline_of_today(
    users: dict[str, Any], agreement: Any, cheap: Any, client_for: Any, today: dt.date
) -> None:
    """The confirmation says the citizen answers by a date counted from the day it is shown;
    clicked on a later day (shown Friday, clicked Monday) the offer would get another deadline
    than the one confirmed. The confirmation is shown again with today's deadline and a word,
    nothing is written; confirmed again, the offer is made with the deadline shown."""
    from anvis_core.workflow import offer_deadline

    vacancy = _open(users, cheap, today)
    case = make_case(users, "120385-1235")
    client = client_for("sagsbehandler")
    url = reverse("vacancies:offer_create", args=[vacancy.pk])
    fields = _confirmation_step(client, vacancy, case)
    assert fields["deadline"] == offer_deadline(today, 5).isoformat()
    response = client.post(url, {**fields, "deadline": (today - dt.timedelta(days=3)).isoformat()})
    page = response.content.decode()
    assert not Offer.objects.exists()
    assert 'data-testid="confirm-offer"' in page
    assert "Svarfristen er nu" in page
    response = client.post(url, fields)
    assert response.status_code == 302
    assert Offer.objects.get().response_deadline == offer_deadline(today, 5)
