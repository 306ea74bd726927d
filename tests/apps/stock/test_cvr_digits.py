"""A CVR number is eight of the digits 0–9: other scripts' digits are refused by the form with
the field's message (the database's check would refuse them with a server error)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from anvis.stock.models import HousingOrganisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cvr", ["１２３４５６７８", "١٢٣٤٥٦٧٨", "1234567", "123456789"])
def test_a_cvr_in_other_digits_is_refused_on_the_field(cvr: str) -> None:
    with pytest.raises(ValidationError) as info:
        HousingOrganisation(name="Boligselskabet", cvr=cvr).full_clean()
    assert "Et CVR-nummer har præcis 8 cifre." in info.value.message_dict["cvr"]


def test_eight_digits_are_taken() -> None:
    HousingOrganisation(name="Boligselskabet", cvr="12345678").full_clean()
