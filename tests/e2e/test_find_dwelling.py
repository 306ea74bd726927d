"""Reporting a vacancy by typing two characters of an address and choosing a suggestion with
the keyboard alone (the search field is an ARIA combobox; the page passes axe with the
suggestions open)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_a_vacancy_by_typing_and_the_keyboard(
    login: Any, live_server: Any, users: Any, org_a: Any, axe_check: Any
) -> None:
    from anvis.agreements import services
    from anvis.stock.models import Dwelling
    from anvis.vacancies.models import Vacancy

    services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2030, 12, 31),
        parties=[org_a],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("25"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
        },
    )
    page = login("u_boligorganisation")
    page.goto(f"{live_server.url}/ledige-boliger/meld/")
    field = page.get_by_role("combobox", name="Bolig")
    field.focus()
    page.keyboard.type("Al")
    options = page.get_by_role("listbox", name="Forslag").get_by_role("option")
    options.first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    assert options.count() == 2
    first = options.nth(0).inner_text()
    assert "9220 Aalborg Øst" in first and "Afd. 101" in first and "kr./md." in first
    axe_check(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    chosen_label = page.locator(f"#{active} .search-select__label").inner_text()
    page.keyboard.press("Enter")
    assert field.get_attribute("aria-expanded") == "false"
    assert field.input_value() == chosen_label
    chosen = Dwelling.objects.get(pk=int(page.locator('input[name="dwelling"]').input_value()))
    assert chosen_label.startswith(str(chosen))
    page.get_by_label("Lejerens opsigelsesdato").fill("2026-03-02")
    page.get_by_label("Ledig fra").fill("2026-04-01")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url("**/ledige-boliger/*/")
    assert Vacancy.objects.filter(dwelling=chosen).count() == 1
