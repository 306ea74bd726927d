"""The offer dialogue in a real browser, as a caseworker new to it would use it: it lists only the
citizens who may get the dwelling, says why the others may not, and a citizen who has declined the
dwelling is not offered it again."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from anvis.agreements import services as agreement_services
from anvis.cases import services as case_services
from anvis.monitoring.models import DepartmentStatus
from anvis.stock.models import Department, Dwelling
from anvis.vacancies import services as flow
from anvis.vacancies.models import Offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(users: dict[str, Any], org_a: Any, org_b: Any) -> dict[str, Any]:
    """An accepted vacancy in a department on this year's forebyggelse list, a free citizen, a
    second free citizen and one released from prison ten days ago (barred by § 59 stk. 7)."""
    from tests.apps.vacancies.conftest import make_case

    today = timezone.localdate()
    agreement_services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2099, 12, 31),
        parties=[org_a, org_b],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("100"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
        },
    )
    dwelling = Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100)
    vacancy = flow.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=dwelling,
        notice_date=today,
        available_from=today,
    )
    flow.vacancy_accept(actor=users["anvisningsleder"], vacancy=vacancy)
    for department in Department.objects.all():
        DepartmentStatus.objects.create(
            department=department,
            as_of=today,
            status="yellow",
            designations=["forebyggelse"] if department == dwelling.entrance.department else [],
            proposal_level="",
            proposed_share=Decimal("25"),
        )
    free = make_case(users, "120385-1235", "Karl")
    other = make_case(users, "010190-1234", "Lise")
    barred = make_case(users, "020290-1234", "Bent")
    case_services.legal_bar_add(
        actor=users["sagsbehandler"],
        case=barred,
        kind="prison_release",
        date=today - dt.timedelta(days=10),
    )
    return {"vacancy": vacancy, "free": free, "other": other, "barred": barred}


def _suggested(page: Any, text: str, count: int) -> set[str]:
    """Type `text` into the citizen field; the suggestions (`count` of them) by case id."""
    from playwright.sync_api import expect

    page.locator("#id_case").fill(text)
    options = page.get_by_role("listbox", name="Forslag").get_by_role("option")
    if count == 0:
        expect(page.locator("#id_case_status")).to_have_text(
            "Ingen forslag. Skriv mere eller noget andet."
        )
        return set()
    expect(options).to_have_count(count)
    return {o.get_attribute("data-value") or "" for o in options.all()}


def test_the_offer_dialogue_keeps_to_the_rules(
    login: Any, live_server: Any, world: dict[str, Any], axe_check: Any
) -> None:
    page = login("u_sagsbehandler")
    vacancy, free, other, barred = world["vacancy"], world["free"], world["other"], world["barred"]
    detail = f"{live_server.url}/ledige-boliger/{vacancy.pk}/"
    page.goto(detail)
    page.get_by_role("link", name="Tilbyd en borger boligen").click()
    page.wait_for_url(f"{detail}tilbud/ny/")
    axe_check(page)

    # Only the citizens who may get the dwelling are suggested; the barred one is listed
    # with why.
    assert _suggested(page, "Testesen", 2) == {str(free.pk), str(other.pk)}
    assert _suggested(page, "Bent", 0) == set()
    not_offerable = page.get_by_test_id("not-offerable").inner_text()
    assert barred.number in not_offerable
    assert "udpeget boligområde" in not_offerable
    assert "må ikke anvises dertil" in not_offerable

    # The chosen citizen's findings come from the same check as the offer.
    _suggested(page, "Karl", 1)
    page.get_by_role("listbox", name="Forslag").get_by_role("option").first.click()
    assert page.locator('input[name="case"]').input_value() == str(free.pk)
    page.get_by_role("button", name="Kontrollér og gå videre").click()
    page.get_by_test_id("confirm-offer").wait_for()
    assert "Ingen fund: borgeren kan tilbydes boligen." in page.inner_text("main")
    axe_check(page)
    page.get_by_role("button", name="Bekræft og giv tilbuddet").click()
    page.wait_for_url(detail)
    page.get_by_role("link", name="Registrér afslag").click()
    page.wait_for_url(re.compile(r"/tilbud/\d+/afslag/$"))
    page.locator("input[name=reason][value=provider_other]").check()
    page.get_by_role("button", name="Registrér afslaget").click()
    page.wait_for_url(detail)

    # The citizen who declined is not offered the same dwelling again, and the page says why.
    page.get_by_role("link", name="Tilbyd en borger boligen").click()
    page.wait_for_url(f"{detail}tilbud/ny/")
    assert _suggested(page, "Testesen", 1) == {str(other.pk)}
    not_offerable = page.get_by_test_id("not-offerable").inner_text()
    assert free.number in not_offerable
    assert "har allerede fået tilbudt denne bolig" in not_offerable
    axe_check(page)

    # The ranked candidate page agrees: the declined citizen is no candidate.
    page.goto(f"{live_server.url}/matchning/ledig-bolig/{vacancy.pk}/kandidater/")
    candidates = page.locator("main table").first.inner_text()
    assert other.number in candidates
    assert free.number not in candidates
    assert Offer.objects.filter(case=free).count() == 1
