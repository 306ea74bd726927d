"""The OpenAPI schema is served and documented, and the API conforms to it: a property-based
test (schemathesis) against the served schema, through the WSGI application."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from anvis.api.throttling import TokenRateThrottle

pytestmark = pytest.mark.django_db


def test_schema_is_served_as_json_and_yaml(client: Any) -> None:
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/vacancies/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    assert client.get("/api/v1/schema/").status_code == 200


def test_every_enum_of_the_schema_has_a_stable_name(client: Any) -> None:
    """A client generated from the schema names its types after the components: a name with a
    hash suffix (drf-spectacular's way out of a collision, `KindE94Enum`) changes whenever the
    choices do, and breaks the integrator's code."""
    import re

    names = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    hashed = [name for name in names if re.search(r"[a-z][0-9A-F]{3}Enum$", name)]
    assert hashed == []
    assert "TenancyEventKindEnum" in names


def test_docs_page_is_rendered_without_external_assets(client: Any) -> None:
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "API-dokumentation" in html
    assert "/api/v1/vacancies/" in html
    assert "Report a vacancy" in html
    assert "cdn" not in html.lower()


# No server errors; status codes, content types, headers and bodies as the schema says; and
# authentication is enforced (a request without the token is refused).
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.ignored_auth,
]


def _check_all_operations(raw_token: str) -> int:
    """Generate requests for every operation of the served schema and validate the responses
    (no server errors; status codes, content types, headers and bodies as documented)."""
    served = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    headers = {"Authorization": f"Bearer {raw_token}"}
    checked = 0
    for result in served.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=10,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
        checked += 1
    return checked


@pytest.fixture
def high_rate_limit() -> Iterator[None]:
    """A rate limit the generated requests do not reach, and the test's database connection
    kept across the WSGI requests (as Django's test client does: requests must not close the
    connection that holds the test's transaction)."""
    old = TokenRateThrottle.THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = {"api": "100000/min"}
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        TokenRateThrottle.THROTTLE_RATES = old


@pytest.mark.usefixtures("high_rate_limit", "agreement")
def test_api_conforms_to_its_schema_with_an_organisation_token(tokens: dict[str, Any]) -> None:
    assert _check_all_operations(tokens["org_a"].raw) >= 20


@pytest.mark.usefixtures("high_rate_limit", "agreement")
def test_api_conforms_to_its_schema_with_a_municipal_token(tokens: dict[str, Any]) -> None:
    assert _check_all_operations(tokens["municipal"].raw) >= 20
