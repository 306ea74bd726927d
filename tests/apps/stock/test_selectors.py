from __future__ import annotations

from typing import Any

import pytest

from anvis.stock import selectors
from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation


@pytest.mark.django_db
def test_page_figures_count_each_rows_own_dwellings(org_a: Any, org_b: Any) -> None:
    """The list pages' figures (organisations, departments, entrances) count the dwellings
    under each row of the page, and a row without dwellings shows 0."""
    entrance = Entrance.objects.get(street="Alfavej 1")
    second = Entrance.objects.create(
        department=entrance.department, street="Alfavej 3", postal_code="9220", city="Aalborg"
    )
    Dwelling.objects.create(entrance=second, floor="st", door="th", rooms=2, area_m2=60, rent=2900)
    empty = Department.objects.create(organisation=org_b, number="203", name="Tom")

    orgs = list(HousingOrganisation.objects.order_by("name"))
    selectors.with_dwelling_counts(orgs)
    assert [o.dwelling_count for o in orgs] == [3, 2]

    depts = list(Department.objects.order_by("number"))
    selectors.with_dwelling_figures(depts)
    assert [(d.number, d.dwelling_count, d.min_rent) for d in depts] == [
        ("101", 3, 2900),
        ("202", 2, 3100),
        (empty.number, 0, None),
    ]

    entrances = list(Entrance.objects.order_by("street"))
    selectors.with_entrance_counts(entrances)
    assert [(e.street, e.dwelling_count) for e in entrances] == [
        ("Alfavej 1", 2),
        ("Alfavej 3", 1),
        ("Betavej 2", 2),
    ]
