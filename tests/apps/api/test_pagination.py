"""Paging parameters: a value the API cannot use is a 400 naming the parameter, never a silent
default (a client asking for 1,000 rows a page and counting pages itself would miss rows)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PAGE_SIZE_MESSAGE = "Angiv antallet af rækker pr. side som et helt tal fra 1 til 500."
PAGE_MESSAGE = "Angiv sidenummeret som et helt tal fra 1."


@pytest.mark.parametrize("value", ["x", "0", "-1", "501", "100000", "2.5", "1e2"])
def test_an_unusable_page_size_is_refused_naming_it(api: Any, org_a: Any, value: str) -> None:
    response = api("org_a").get("/api/v1/dwellings/", page_size=value)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"page_size": [PAGE_SIZE_MESSAGE]}


@pytest.mark.parametrize("value", ["x", "0", "-1", "2.5"])
def test_an_unusable_page_number_is_refused_naming_it(api: Any, org_a: Any, value: str) -> None:
    response = api("org_a").get("/api/v1/vacancies/", page=value)
    assert response.status_code == 400, response.content
    assert response.json()["errors"] == {"page": [PAGE_MESSAGE]}


def test_page_size_and_page_within_the_limits(api: Any, org_a: Any) -> None:
    every = api("org_a").get("/api/v1/dwellings/").json()
    assert every["count"] >= 2
    first = api("org_a").get("/api/v1/dwellings/", page_size="1").json()
    assert len(first["results"]) == 1
    assert "page_size=1" in first["next"]
    second = api("org_a").get("/api/v1/dwellings/", page_size="1", page="2").json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    assert api("org_a").get("/api/v1/dwellings/", page_size="500").json() == every
    assert api("org_a").get("/api/v1/dwellings/", page_size="").json() == every
    last = api("org_a").get("/api/v1/dwellings/", page_size="1", page="last").json()
    assert last["next"] is None
    # A page after the last one is not found, as before.
    assert api("org_a").get("/api/v1/dwellings/", page="99").status_code == 404


def test_the_schema_states_the_page_size_limits(api: Any) -> None:
    schema = api("org_a").get("/api/v1/schema/", format="json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/dwellings/"]["get"]["parameters"]}
    assert params["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert params["page"]["schema"] == {"type": "integer", "minimum": 1}
