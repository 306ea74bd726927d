"""The API's stock upsert takes and refuses a value exactly as the stock file does: the importer
reads both (`anvis.stock.importing`), so a dwelling type or a yes/no word the file takes is not
refused by the API, nor the other way round."""

from __future__ import annotations

from typing import Any

import pytest

from anvis.stock.importing import import_stock
from anvis.stock.models import Dwelling

from .test_flow import STOCK_ITEM


def _file(item: dict[str, Any]) -> bytes:
    return (";".join(item) + "\n" + ";".join(str(v) for v in item.values()) + "\n").encode()


@pytest.mark.parametrize(
    "change",
    [
        {"type": "Familie"},
        {"type": "ÆLDRE"},
        {"type": "Ungdomsbolig"},
        {"type": "villa"},
        {"trinfri": "ja"},
        {"trinfri": "Nej"},
        {"trinfri": "x"},
        {"trinfri": "on"},
        {"trinfri": "t"},
        {"trinfri": "måske"},
    ],
    ids=repr,
)
def test_api_and_file_take_and_refuse_the_same_values(
    api: Any, users: dict[str, Any], change: dict[str, Any]
) -> None:
    item = {**STOCK_ITEM, **change}
    from_file = import_stock(_file(item), "bestand.csv", actor=users["boligorganisation"])
    response = api("org_a").post("/api/v1/stock/", {"items": [item]})
    assert (response.status_code == 200) == from_file.ok, (response.json(), from_file.errors)
    if not from_file.ok:
        # The same message, naming the item's field.
        (column,) = change
        assert response.json()["errors"][f"items[0].{column}"] == [
            e.message for e in from_file.errors
        ]


def test_api_reads_the_files_words(api: Any, org_a: Any) -> None:
    item = {**STOCK_ITEM, "type": "Ældre", "trinfri": "ja", "elevator": "nej", "husdyr": True}
    response = api("org_a").post("/api/v1/stock/", {"items": [item]})
    assert response.status_code == 200, response.content
    dwelling = Dwelling.objects.get(entrance__street="Alfavej 1", floor="st")
    assert (dwelling.dwelling_type, dwelling.step_free, dwelling.elevator) == (
        "senior",
        True,
        False,
    )
    assert dwelling.pets_allowed


def test_an_unknown_field_is_refused_as_the_file_refuses_an_unknown_column(
    api: Any, users: dict[str, Any], org_a: Any
) -> None:
    # A misspelt field (koerestoel) was dropped without a word, so the stored value stayed;
    # the file refuses the column.
    item = {**STOCK_ITEM, "koerestoel": True}
    from_file = import_stock(_file(item), "bestand.csv", actor=users["boligorganisation"])
    assert [str(e) for e in from_file.errors] == ["Linje 1, kolonne 'koerestoel': ukendt kolonne"]
    response = api("org_a").post("/api/v1/stock/", {"items": [item]})
    assert response.status_code == 400
    assert response.json()["errors"] == {"items[0].koerestoel": ["ukendt felt"]}
