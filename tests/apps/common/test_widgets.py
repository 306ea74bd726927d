from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from anvis.common.widgets import FastSelect


@pytest.mark.parametrize("value", [None, "", "2", ["3"]])
def test_same_html_as_djangos_select(value: object) -> None:
    choices = [
        ("", "---------"),
        ("1", "Alfa & Co <bolig>"),
        ("2", 'Beta "Bo"'),
        ("Gruppe", [("3", "Gamma"), ("4", "Delta")]),
    ]
    attrs = {"id": "id_org", "class": "x", "required": True}
    ours = FastSelect(attrs=attrs, choices=choices).render("org", value)
    django = forms.Select(attrs=attrs, choices=choices).render("org", value)
    # The same elements, attributes, text and selection (attribute order aside).
    assert parse_html(ours) == parse_html(django)
    assert ours.count("selected") == django.count("selected")


def test_in_a_model_choice_field(db: object) -> None:
    from anvis.stock.models import HousingOrganisation

    HousingOrganisation.objects.create(name="Ø & Å", cvr="12345678")
    field = forms.ModelChoiceField(HousingOrganisation.objects.all(), widget=FastSelect)
    html = field.widget.render("organisation", None)
    assert "Ø &amp; Å</option>" in html
    assert html.count("<option") == 2  # the empty choice and the organisation
