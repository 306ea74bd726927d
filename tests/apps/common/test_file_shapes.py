"""How the shared reader takes a file's shape, checked through the stock import (every import
reads its file through `anvis.common.importing.Columns`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from anvis.stock.importing import import_stock
from anvis.stock.models import Dwelling

HEADER = "cvr;organisation;afdelingsnr;afdeling;adresse;postnr;by;etage;doer;vaerelser;m2;husleje"
ROW = "33333333;Gamma;1;Gamma afd. 1;Gammavej 1;9000;Aalborg;st;tv;2;60;4500"


@pytest.fixture(autouse=True)
def danish() -> Any:
    with translation.override("da"):
        yield


def _import(*lines: str) -> list[str]:
    result = import_stock(("\n".join(lines) + "\n").encode(), "bestand.csv", actor=None)
    return [str(e) for e in result.errors]


@pytest.mark.django_db
@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_the_header_decides_the_delimiter_also_with_a_short_row(separator: str) -> None:
    # A row without its last cells (a spreadsheet leaves them out) made the delimiter
    # guess fail, so a file with semicolons was read with commas and every column was "missing".
    short = ROW.rsplit(";", 3)[0].replace("tv", "th")
    lines = [HEADER, ROW, short]
    errors = _import(*(line.replace(";", separator) for line in lines))
    assert errors == [
        "Linje 3, kolonne 'husleje': skal udfyldes",
        "Linje 3, kolonne 'm2': skal udfyldes",
        "Linje 3, kolonne 'vaerelser': skal udfyldes",
    ]
    assert not Dwelling.objects.exists()
