"""Every URL pattern must declare an access rule, and the rule is enforced."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from anvis.permissions import rule_of


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> list[tuple[str, str, Any]]:
    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            out.extend(walk(p.url_patterns, prefix + str(p.pattern), ns))
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            out.append((prefix + str(p.pattern), name, p.callback))
    return out


def all_patterns() -> list[tuple[str, str, Any]]:
    return walk(get_resolver().url_patterns)


def test_every_view_declares_an_access_rule() -> None:
    missing = []
    for route, name, callback in all_patterns():
        if route.startswith("admin/"):
            # The Django admin is guarded by its site's has_permission (administrators only);
            # test_admin_site_only_for_administrators checks that.
            continue
        if rule_of(callback) is None:
            missing.append(f"{route} ({name})")
    assert not missing, "views without an access rule: " + ", ".join(missing)


def test_a_view_without_a_rule_is_detected() -> None:
    def naked_view(request: Any) -> None:
        return None

    assert rule_of(naked_view) is None


@pytest.mark.django_db
def test_admin_site_only_for_administrators(client_for: Any) -> None:
    assert client_for("administrator").get("/admin/").status_code == 200
    for role in ("sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe"):
        response = client_for(role).get("/admin/")
        assert response.status_code == 302, role
        assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get("/bestand/afdelinger/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
