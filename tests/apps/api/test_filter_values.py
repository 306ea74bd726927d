"""A filter value the API cannot read is a 400 naming the filter, never a silently ignored
filter (which would answer every row as if it matched)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

INVALID_CHOICE = "Marker en gyldig valgmulighed. {} er ikke en af de tilgængelige valgmuligheder."


@pytest.mark.parametrize("name", ["step_free", "wheelchair"])
@pytest.mark.parametrize("value", ["maybe", "ja", "yes", "2"])
def test_an_unreadable_yes_no_filter_is_refused_naming_it(
    api: Any, org_a: Any, name: str, value: str
) -> None:
    for path in ("/api/v1/dwellings/", "/api/v1/exports/dwellings/"):
        response = api("org_a").get(path, **{name: value})
        assert response.status_code == 400, (path, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"] == {name: [INVALID_CHOICE.format(value)]}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("True", True), ("1", True), ("false", False), ("FALSE", False), ("0", False)],
)
def test_a_yes_no_filter_reads_true_false_and_one_zero(
    api: Any, org_a: Any, value: str, expected: bool
) -> None:
    rows = api("org_a").get("/api/v1/dwellings/", step_free=value).json()["results"]
    assert rows
    assert {row["step_free"] for row in rows} == {expected}


def test_an_empty_yes_no_filter_is_every_row(api: Any, org_a: Any) -> None:
    every = api("org_a").get("/api/v1/dwellings/").json()["count"]
    assert {True, False} <= {
        row["step_free"] for row in api("org_a").get("/api/v1/dwellings/").json()["results"]
    }
    assert api("org_a").get("/api/v1/dwellings/", step_free="").json()["count"] == every


def test_the_stock_page_shows_the_same_refusal(client_for: Any, org_a: Any) -> None:
    """The page and the API share the filterset: the page shows the message at the filter."""
    response = client_for("boligorganisation").get("/bestand/boliger/", {"step_free": "maybe"})
    assert response.status_code == 200
    assert response.context["filter"].errors == {"step_free": [INVALID_CHOICE.format("maybe")]}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/vacancies/", "statuss"),  # a misspelt filter
        ("/api/v1/dwellings/", "max_husleje"),
        ("/api/v1/offers/", "vacancy"),  # a list without filters
        ("/api/v1/leases/", "offer"),
        ("/api/v1/guarantee-claims/", "lease"),
        ("/api/v1/tenancy-events/", "lease"),
        ("/api/v1/webhooks/", "active"),
    ],
)
def test_an_unknown_query_parameter_on_a_list_is_refused_naming_it(
    api: Any, org_a: Any, path: str, name: str
) -> None:
    """A filter the list does not have would otherwise answer every row, as if it matched."""
    response = api("org_a").get(path, **{name: "1"})
    assert response.status_code == 400, response.content
    (message,) = response.json()["errors"][name]
    assert message.startswith("Ukendt parameter. Listen tager: ")
    assert "page_size" in message


def test_a_list_takes_its_filters_and_the_paging_parameters(api: Any, org_a: Any) -> None:
    assert api("org_a").get("/api/v1/vacancies/", status="all", page="1").status_code == 200
    assert api("org_a").get("/api/v1/offers/", page_size="10").status_code == 200
    assert api("org_a").get("/api/v1/leases/", format="json").status_code == 200
    message = api("org_a").get("/api/v1/offers/", vacancy="1").json()["errors"]["vacancy"][0]
    assert message == "Ukendt parameter. Listen tager: page, page_size."


@pytest.mark.parametrize(
    ("path", "token", "query"),
    [
        ("/api/v1/exports/vacancies/", "org_a", {"statuss": "open"}),
        ("/api/v1/exports/dwellings/", "org_a", {"max_husleje": "1"}),
        ("/api/v1/exports/cases/", "municipal", {"status": "active"}),
        ("/api/v1/ledger/", "municipal", {"levle": "department"}),
        ("/api/v1/exports/ledger/", "municipal", {"levle": "department"}),
    ],
)
def test_downloads_and_the_ledger_refuse_an_unknown_parameter(
    api: Any, org_a: Any, agreement: Any, path: str, token: str, query: dict[str, str]
) -> None:
    if "ledger" in path:
        query = {**query, "agreement": str(agreement.pk)}
    response = api(token).get(path, **query)
    assert response.status_code == 400, response.content
    (name,) = set(query) - {"agreement"}
    assert response.json()["errors"][name][0].startswith("Ukendt parameter.")


def test_downloads_and_the_ledger_take_their_parameters(api: Any, agreement: Any) -> None:
    ledger = {"agreement": str(agreement.pk), "quarter": "2026-Q4", "level": "department"}
    assert api("municipal").get("/api/v1/ledger/", **ledger).status_code == 200
    assert (
        api("municipal").get("/api/v1/exports/ledger/", filetype="xlsx", **ledger).status_code
        == 200
    )
    assert api("municipal").get("/api/v1/exports/cases/", filetype="csv").status_code == 200
    vacancies = {"status": "all", "filetype": "csv"}
    assert api("org_a").get("/api/v1/exports/vacancies/", **vacancies).status_code == 200
