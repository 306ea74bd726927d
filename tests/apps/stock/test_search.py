"""Finding a dwelling or a department by typing: the suggestions endpoints, their access
scope, and the report form that uses them (with and without JavaScript)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from anvis.stock.models import Department, Dwelling, Entrance
from anvis.stock.search import dwelling_search

pytestmark = pytest.mark.django_db


def _suggest(client: Any, name: str, text: str) -> list[dict[str, Any]]:
    response = client.get(reverse(name), {"q": text})
    assert response.status_code == 200
    return response.json()["results"]


def test_two_characters_of_an_address_find_the_dwelling_with_its_facts(
    client_for: Any, org_a: Any
) -> None:
    results = _suggest(client_for("boligorganisation"), "stock:dwelling_suggestions", "al")
    assert [r["label"] for r in results] == [
        "Alfavej 1, st tv, 9220 Aalborg Øst",
        "Alfavej 1, 1 th, 9220 Aalborg Øst",
    ] or [r["label"] for r in results] == [
        "Alfavej 1, 1 th, 9220 Aalborg Øst",
        "Alfavej 1, st tv, 9220 Aalborg Øst",
    ]
    detail = next(r["detail"] for r in results if "st tv" in r["label"])
    # Department number and name, organisation, rooms (a plural form) and rent.
    assert "101" in detail and "Alfa Boligselskab" in detail
    assert "1 værelse " in detail and "3.100 kr" in detail


def test_more_words_narrow_to_the_floor_and_door(client_for: Any, org_a: Any) -> None:
    results = _suggest(
        client_for("administrator"), "stock:dwelling_suggestions", "Alfavej 1, st. tv"
    )
    assert [r["label"] for r in results] == ["Alfavej 1, st tv, 9220 Aalborg Øst"]


def test_the_same_address_in_two_towns_is_told_apart(client_for: Any, org_a: Any) -> None:
    dept = Department.objects.get(organisation=org_a)
    other = Entrance.objects.create(
        department=dept, street="Alfavej 1", postal_code="8000", city="Aarhus C"
    )
    Dwelling.objects.create(entrance=other, floor="st", door="tv", rooms=2, area_m2=50, rent=4000)
    labels = [
        r["label"]
        for r in _suggest(
            client_for("administrator"), "stock:dwelling_suggestions", "alfavej 1 st tv"
        )
    ]
    assert sorted(labels) == [
        "Alfavej 1, st tv, 8000 Aarhus C",
        "Alfavej 1, st tv, 9220 Aalborg Øst",
    ]
    only = [
        r["label"]
        for r in _suggest(client_for("administrator"), "stock:dwelling_suggestions", "alfavej 8000")
    ]
    assert len(only) == 1 and only[0].endswith("8000 Aarhus C")


def test_organisation_staff_find_only_their_own_dwellings(
    client_for: Any, org_a: Any, org_b: Any
) -> None:
    assert _suggest(client_for("boligorganisation"), "stock:dwelling_suggestions", "betavej") == []
    assert len(_suggest(client_for("org_b"), "stock:dwelling_suggestions", "betavej")) == 2
    assert _suggest(client_for("org_b"), "stock:department_suggestions", "101") == []
    found = _suggest(client_for("sagsbehandler"), "stock:department_suggestions", "101")
    assert [r["label"] for r in found] == ["101 Alfa Boligselskab afd. 101"]


def test_one_character_asks_for_more(client_for: Any, org_a: Any) -> None:
    assert _suggest(client_for("administrator"), "stock:dwelling_suggestions", "a") == []


def test_a_search_by_department_number(org_a: Any) -> None:
    assert dwelling_search(Dwelling.objects.all(), "101").count() == 2


def test_the_first_word_finds_by_postcode_town_or_department_name(org_a: Any) -> None:
    every = Dwelling.objects.all()
    assert dwelling_search(every, "9220").count() == 2
    assert dwelling_search(every, "aalborg").count() == 2
    assert dwelling_search(every, "Alfa Boligselskab afd").count() == 2
    assert dwelling_search(every, "9220 st tv").count() == 1


def test_the_first_word_matches_the_start_of_the_street_not_its_middle(org_a: Any) -> None:
    """The first word is matched by prefix, so the national stock is searched through an index
    (docs/benchmarks.md); later words still match anywhere in the address."""
    every = Dwelling.objects.all()
    assert dwelling_search(every, "favej").count() == 0
    assert dwelling_search(every, "ALFA").count() == 2
    assert dwelling_search(every, "alfa favej").count() == 2


def test_danish_letters_match_in_either_case(org_a: Any, db: Any) -> None:
    dept = Department.objects.get(organisation=org_a)
    entrance = Entrance.objects.create(
        department=dept, street="Ærøgade 4", postal_code="9000", city="Aalborg"
    )
    Dwelling.objects.create(entrance=entrance, floor="2", door="th", rooms=2, area_m2=60, rent=4200)
    every = Dwelling.objects.all()
    assert dwelling_search(every, "Ærø").count() == 1
    # SQLite's LOWER() folds ASCII letters only, so its key keeps the capital Æ: a name typed in
    # lower case (as people type) is still found there, as on PostgreSQL.
    assert dwelling_search(every, "ærø").count() == 1
    assert dwelling_search(every, "ærøgade 4").count() == 1
    assert dwelling_search(every, "ÆRØGADE").count() == 1


def test_the_report_form_has_no_list_of_every_dwelling(client_for: Any, org_a: Any) -> None:
    page = client_for("boligorganisation").get(reverse("vacancies:vacancy_report")).content.decode()
    assert 'role="listbox"' in page and "search-select.js" in page
    assert "<option" not in page.split('name="dwelling"', 1)[1].split("</div>", 1)[0]


def _report(client: Any, **dwelling: str) -> Any:
    return client.post(
        reverse("vacancies:vacancy_report"),
        {
            **dwelling,
            "source": "report",
            "notice_date": dt.date(2026, 3, 1).isoformat(),
            "available_from": dt.date(2026, 4, 1).isoformat(),
        },
    )


def test_without_javascript_a_unique_address_is_taken_and_a_vague_one_refused(
    client_for: Any, org_a: Any
) -> None:
    client = client_for("boligorganisation")
    vague = _report(client, dwelling_search="Alfavej")
    assert vague.status_code == 422
    assert "Flere passer til “Alfavej”" in vague.content.decode()
    nothing = _report(client, dwelling_search="Betavej 2")  # another organisation's
    assert nothing.status_code == 422
    assert "Intet passer til" in nothing.content.decode()
    done = _report(client, dwelling_search="Alfavej 1 st tv")
    assert done.status_code == 302
    assert Dwelling.objects.get(
        floor="st", door="tv", entrance__street="Alfavej 1"
    ).vacancies.exists()


def test_a_chosen_suggestion_outside_the_users_scope_is_refused(
    client_for: Any, org_a: Any, org_b: Any
) -> None:
    theirs = Dwelling.objects.filter(entrance__department__organisation=org_b).first()
    assert theirs is not None
    response = _report(client_for("boligorganisation"), dwelling=str(theirs.pk))
    assert response.status_code == 422
    assert not theirs.vacancies.exists()


def test_the_dwelling_page_reports_it_vacant(client_for: Any, org_a: Any) -> None:
    dwelling = Dwelling.objects.filter(entrance__department__organisation=org_a).first()
    assert dwelling is not None
    client = client_for("boligorganisation")
    page = client.get(reverse("stock:dwelling_detail", args=[dwelling.pk])).content.decode()
    link = f"{reverse('vacancies:vacancy_report')}?bolig={dwelling.pk}"
    assert link in page and "Meld ledig" in page
    form = client.get(link).content.decode()
    assert f'name="dwelling" value="{dwelling.pk}"' in form
    assert "Alfavej 1" in form
    # The caseworker may read the dwelling but not report it.
    other = client_for("sagsbehandler").get(reverse("stock:dwelling_detail", args=[dwelling.pk]))
    assert "Meld ledig" not in other.content.decode()


def test_stock_filters_take_the_department_number_and_say_any(
    client_for: Any, org_a: Any, org_b: Any
) -> None:
    client = client_for("administrator")
    page = client.get(reverse("stock:dwelling_list"), {"department_number": "202"}).content.decode()
    assert "Betavej 2" in page and "Alfavej 1" not in page
    assert "Ukendt" not in page and ">Alle<" in page


def test_a_full_address_is_found_among_more_stairwells_than_are_read(
    org_a: Any, monkeypatch: Any
) -> None:
    from anvis.stock import search

    dept = Department.objects.get(organisation=org_a)
    for number in range(2, 6):
        Entrance.objects.create(
            department=dept, street=f"Alfavej {number}", postal_code="9220", city="Aalborg Øst"
        )
    target = Entrance.objects.create(
        department=dept, street="Alfavej 9", postal_code="9220", city="Aalborg Øst"
    )
    Dwelling.objects.create(entrance=target, floor="2", door="tv", rooms=2, area_m2=60, rent=4200)
    monkeypatch.setattr(search, "ENTRANCE_CANDIDATES", 2)
    found = dwelling_search(Dwelling.objects.all(), "Alfavej 9, 2. tv")
    assert [d.entrance_id for d in found] == [target.pk]


def test_the_department_list_finds_a_department_as_the_suggestions_do(
    client_for: Any, org_a: Any, db: Any
) -> None:
    """The department list's search box answers by the suggestions' rule: every word, in any
    case (æ, ø, å too), so "østerbrogården alfa" finds Østerbrogården of Alfa Boligselskab."""
    Department.objects.create(organisation=org_a, number="77", name="Østerbrogården")
    client = client_for("anvisningsleder")
    for typed in ("østerbrogården", "ØSTERBROGÅRDEN", "østerbrogården alfa", "77"):
        page = client.get(reverse("stock:department_list"), {"q": typed})
        names = [d.name for d in page.context["page"]]
        assert names == ["Østerbrogården"], typed
        suggested = _suggest(client, "stock:department_suggestions", typed)
        assert [r["label"] for r in suggested] == ["77 Østerbrogården"], typed


def test_the_organisation_and_stairwell_lists_find_danish_letters_typed_in_lower_case(
    org_a: Any, client_for: Any
) -> None:
    # On SQLite (the demo's database) LIKE folds A-Z only: "østjysk" found no "Østjysk Bolig"
    # and "ærøgade" no stairwell of "Ærøgade", as the suggestions and the department list do.
    org_a.name = "Østjysk Bolig"
    org_a.save()
    dept = Department.objects.get(organisation=org_a)
    Entrance.objects.create(department=dept, street="Ærøgade 4", postal_code="9000", city="Aalborg")
    client = client_for("administrator")
    organisations = client.get(reverse("stock:organisation_list"), {"q": "østjysk"})
    assert "Østjysk Bolig" in organisations.content.decode()
    stairwells = client.get(reverse("stock:entrance_list"), {"q": "ærøgade"})
    assert "Ærøgade 4" in stairwells.content.decode()
