"""The access matrix (access_matrix.py) against the running URL configuration.

Every named URL pattern must have an entry, and every entry is requested by anonymous and by
every role (plus organisation B's staff) with real object ids, and the answer must match.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.apps.common.test_access_rules import all_patterns

from .access_matrix import ALLOW, ANON, COLUMNS, DENY, HIDE, LOGIN, MATRIX, Entry


def url_names() -> set[str]:
    return {name for route, name, _cb in all_patterns() if not route.startswith("admin/")}


def test_every_url_has_an_entry() -> None:
    names = url_names()
    assert "" not in names, "every URL pattern outside the admin must be named"
    missing = sorted(names - set(MATRIX))
    assert not missing, f"URLs without an entry in the access matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"access matrix entries for URLs that no longer exist: {stale}"


def outcome(response: Any) -> str:
    status = response.status_code
    if status == 302 and response["Location"].startswith(reverse("accounts:login")):
        return LOGIN
    if status == 401:
        # The API's answer to a request without credentials.
        return LOGIN
    if status == 403:
        return DENY
    if status == 404:
        return HIDE
    assert status < 500, f"server error {status}"
    return ALLOW


def build_url(name: str, entry: Entry, world: dict[str, Any]) -> str:
    args: list[Any] = [world[key].pk for key in entry.args]
    return reverse(name, args=[*args, *entry.literal_args])


def client_for_column(column: str, users: dict[str, Any]) -> Client:
    client = Client()
    if column != ANON:
        client.force_login(users[column])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("column", COLUMNS)
def test_access_matrix(column: str, world: dict[str, Any], users: dict[str, Any]) -> None:
    client = client_for_column(column, users)
    wrong = []
    for name, entry in sorted(MATRIX.items()):
        url = build_url(name, entry, world)
        response = getattr(client, entry.method)(url)
        got = outcome(response)
        if got != entry.expect[column]:
            wrong.append(f"{name} {url}: expected {entry.expect[column]}, got {got}")
    assert not wrong, f"{column}:\n" + "\n".join(wrong)


def test_matrix_outcomes_are_known() -> None:
    for name, entry in MATRIX.items():
        assert set(entry.expect) == set(COLUMNS), name
        assert set(entry.expect.values()) <= {ALLOW, DENY, HIDE, LOGIN}, name


@pytest.mark.django_db
def test_organisation_isolation_in_lists(world: dict[str, Any], users: dict[str, Any]) -> None:
    """Organisation B's staff do not see organisation A's objects in any list page."""
    a_name = world["org_a"].name
    client = client_for_column("org_b", users)
    own = client_for_column("boligorganisation", users)
    for name in (
        "stock:organisation_list",
        "stock:department_list",
        "stock:entrance_list",
        "stock:dwelling_list",
        "agreements:agreement_list",
        "agreements:handheld_list",
        "agreements:ledger",
        "monitoring:department_list",
    ):
        url = reverse(name)
        assert a_name not in client.get(url).content.decode(), name
    # ...while A's own staff see them where the list names the organisation.
    assert a_name in own.get(reverse("stock:organisation_list")).content.decode()
    assert "Udlejningsaftale A" in own.get(reverse("agreements:agreement_list")).content.decode()
    assert (
        "Udlejningsaftale A"
        not in client.get(reverse("agreements:agreement_list")).content.decode()
    )
