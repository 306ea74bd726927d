"""A case's household has one to ten adults on every path that writes it, not only the form's:
the database refuses a row outside those bounds, since every reader that sizes the dwelling
(`room_need`: the gate, the candidate page, the simulator) relies on them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from anvis.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("adults", [0, 11])
def test_the_database_refuses_a_household_outside_one_to_ten_adults(case: Any, adults: int) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(adults=adults)
    case.refresh_from_db()
    assert case.adults == 1


@pytest.mark.parametrize("adults", [1, 10])
def test_the_bounds_themselves_are_allowed(case: Any, adults: int) -> None:
    Case.objects.filter(pk=case.pk).update(adults=adults)
    case.refresh_from_db()
    assert case.adults == adults
