from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation


@pytest.mark.django_db
def test_organisation_staff_see_only_their_own(client_for: Any, org_a: Any, org_b: Any) -> None:
    client = client_for("boligorganisation")
    body = client.get("/bestand/afdelinger/").content.decode()
    assert "Alfa Boligselskab" in body and "Beta Bolig" not in body
    body = client.get("/bestand/boliger/").content.decode()
    assert "Alfavej 1" in body and "Betavej 2" not in body
    for obj, url in [
        (org_b, "/bestand/organisationer/{}/"),
        (org_b.departments.get(), "/bestand/afdelinger/{}/"),
        (Entrance.objects.get(street="Betavej 2"), "/bestand/opgange/{}/"),
        (Dwelling.objects.filter(entrance__street="Betavej 2").first(), "/bestand/boliger/{}/"),
    ]:
        assert client.get(url.format(obj.pk)).status_code == 404
    own = Dwelling.objects.filter(entrance__street="Alfavej 1").first()
    assert client.get(f"/bestand/boliger/{own.pk}/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["sagsbehandler", "anvisningsleder", "styregruppe", "administrator"]
)
def test_municipal_and_steering_see_all_stock(
    client_for: Any, role: str, org_a: Any, org_b: Any
) -> None:
    body = client_for(role).get("/bestand/organisationer/").content.decode()
    assert "Alfa Boligselskab" in body and "Beta Bolig" in body


@pytest.mark.django_db
def test_filters(client_for: Any, org_a: Any, org_b: Any) -> None:
    client = client_for("anvisningsleder")
    response = client.get("/bestand/boliger/", {"max_rent": 3500})
    assert {d.rent for d in response.context["page"]} == {3100}
    assert response.context["page"].paginator.count == 2
    # Typed as Danes write it, the same filter (not 3 kr and no dwellings).
    danish = client.get("/bestand/boliger/", {"max_rent": "3.500"})
    assert danish.context["page"].paginator.count == 2
    body = client.get("/bestand/afdelinger/", {"organisation": org_b.pk}).content.decode()
    assert "Beta Bolig" in body and "Alfa Boligselskab afd." not in body


@pytest.mark.django_db
def test_list_query_counts(client_for: Any, org_a: Any, django_assert_max_num_queries: Any) -> None:
    dept = org_a.departments.get()
    entrance = dept.entrances.get()
    Dwelling.objects.bulk_create(
        [
            Dwelling(entrance=entrance, floor="2", door=str(i), rooms=2, area_m2=60, rent=4000)
            for i in range(40)
        ]
    )
    client = client_for("anvisningsleder")
    for url in [
        "/bestand/boliger/",
        "/bestand/afdelinger/",
        "/bestand/opgange/",
        "/bestand/organisationer/",
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kwargs",
    [{"rent": -1}, {"rooms": 0}, {"area_m2": 0}],
)
def test_database_constraints(org_a: Any, kwargs: dict[str, int]) -> None:
    entrance = Entrance.objects.get(street="Alfavej 1")
    values = {
        "entrance": entrance,
        "floor": "9",
        "door": "x",
        "rooms": 1,
        "area_m2": 30,
        "rent": 100,
    } | kwargs
    with pytest.raises(IntegrityError), transaction.atomic():
        Dwelling.objects.create(**values)


@pytest.mark.django_db
def test_unique_natural_keys(org_a: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        HousingOrganisation.objects.create(name="Kopi", cvr=org_a.cvr)
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(organisation=org_a, number="101", name="Kopi")
    with pytest.raises(IntegrityError), transaction.atomic():
        HousingOrganisation.objects.create(name="Forkert", cvr="12AB5678")


@pytest.mark.django_db
def test_rents_and_counts_are_written_with_thousands_separators(
    client_for: Any, org_a: Any
) -> None:
    """The stock lists write a rent and a count of dwellings as every page writes numbers
    (3.100), not as the database holds them (3100)."""
    from anvis.stock.models import Dwelling

    entrance = org_a.departments.get().entrances.get()
    Dwelling.objects.bulk_create(
        Dwelling(entrance=entrance, floor="2", door=str(n), rooms=2, area_m2=60, rent=4200)
        for n in range(1000)
    )
    client = client_for("anvisningsleder")
    dwellings = client.get("/bestand/boliger/", {"organisation": org_a.pk}).content.decode()
    assert ">4.200</td>" in dwellings and ">4200</td>" not in dwellings
    departments = client.get("/bestand/afdelinger/").content.decode()
    assert ">1.002</td>" in departments and ">3.100</td>" in departments
    organisations = client.get("/bestand/organisationer/").content.decode()
    assert ">1.002</td>" in organisations
    assert ">1.002</td>" in client.get(f"/bestand/organisationer/{org_a.pk}/").content.decode()
    assert ">1.002</td>" in client.get("/bestand/opgange/").content.decode()
