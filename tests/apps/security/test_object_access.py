"""Object-level access in one place (issue #17): `anvis.permissions.can(user, obj, action)`,
applied by the `access` decorator itself (`obj=`, `action=`, `methods=`), and inactive users.

Before, a view checked the role (`@access`), had to remember `.restrict(user)` and, for writes,
`can_write_organisation` (some views) or rely on the service (others); `require_POST` sat
outside the access check, so a GET told anyone, anonymous too, that a write URL exists.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import resolve, reverse

from anvis.permissions import READ, WRITE, can, rule_of
from anvis.vacancies.models import Offer, Vacancy

from .access_matrix import MATRIX
from .test_access_matrix import build_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("key", "read", "write"),
    [
        ("sagsbehandler", True, True),
        ("anvisningsleder", True, True),
        ("administrator", True, True),
        ("boligorganisation", True, True),  # organisation A owns the world's objects
        ("org_b", False, False),
        ("styregruppe", True, False),  # reads the (non-personal) vacancy, writes nothing
    ],
)
def test_can_read_and_write_a_vacancy(
    world: dict[str, Any], users: dict[str, Any], key: str, read: bool, write: bool
) -> None:
    vacancy = world["vacancy"]
    assert can(users[key], vacancy, READ) is read
    assert can(users[key], vacancy, WRITE) is write


def test_an_offer_is_not_in_the_steering_groups_scope(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    offer = world["offer"]
    assert not can(users["styregruppe"], offer, READ)
    assert can(users["boligorganisation"], offer, WRITE)
    assert not can(users["org_b"], offer, READ)
    assert not Offer.objects.restrict(users["styregruppe"]).exists()
    assert Vacancy.objects.restrict(users["styregruppe"]).count() == 2


def test_an_inactive_user_can_nothing(world: dict[str, Any], users: dict[str, Any]) -> None:
    for key in ("administrator", "sagsbehandler", "boligorganisation", "styregruppe"):
        user = users[key]
        user.is_active = False
        assert not can(user, world["vacancy"], READ), key
        assert not Vacancy.objects.restrict(user).exists(), key


def test_write_views_declare_their_object_rule() -> None:
    """Every vacancies view with a `pk` names its object and action in its access rule."""
    from django.urls import get_resolver

    resolver = get_resolver()
    names = [n for n in MATRIX if n.startswith("vacancies:") and "pk" in _route(resolver, n)]
    assert names
    for name in names:
        callback = resolver.resolve(reverse(name, args=[1])).func
        assert getattr(callback, "access_object", None) is not None, name
        assert rule_of(callback) is not None, name


def _route(resolver: Any, name: str) -> str:
    from tests.apps.common.test_access_rules import all_patterns

    return next(route for route, n, _cb in all_patterns() if n == name)


@pytest.mark.parametrize(
    "name",
    [n for n, e in MATRIX.items() if e.method == "post" and not n.startswith("api:")],
)
def test_post_only_views_answer_get_only_after_the_access_check(
    name: str, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """Anonymous: the login page (was 405 for anyone); a role that may not use the view: its
    refusal; a role that may: 405."""
    entry = MATRIX[name]
    url = build_url(name, entry, world)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302, (name, anonymous.status_code)
    assert anonymous["Location"].startswith(reverse("accounts:login")), name
    for key in ("sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe"):
        client = Client()
        client.force_login(users[key])
        got = client.get(url).status_code
        callback = resolve(url).func
        if got == 405 and entry.expect[key] == "404" and callback.access_object is None:
            # The role may use the view; the object (a notification: its recipient's only) is
            # checked by the view's own selector, after the method.
            continue
        if entry.expect[key] == "allow":
            assert got == 405, (name, key, got)
        else:
            assert got == int(entry.expect[key]), (name, key, got)


def test_an_inactive_users_session_and_token_are_refused(
    world: dict[str, Any], users: dict[str, Any]
) -> None:
    from anvis.api.services import api_token_create

    org = users["boligorganisation"]
    token = api_token_create(
        actor=users["administrator"], name="EG", kind="organisation", organisation=world["org_a"]
    )
    municipal = api_token_create(
        actor=users["administrator"], name="Fag", kind="municipal", user=users["anvisningsleder"]
    )
    client = Client()
    client.force_login(org)
    url = reverse("vacancies:vacancy_detail", args=[world["vacancy"].pk])
    assert client.get(url).status_code == 200
    org.is_active = False
    org.save()
    assert client.get(url).status_code == 302  # logged out: to the login page
    lead = users["anvisningsleder"]
    lead.is_active = False
    lead.save()
    api = Client(headers={"Authorization": f"Bearer {municipal.raw}"})
    assert api.get("/api/v1/vacancies/").status_code == 401
    # An organisation token has no user of its own: it stays valid for its organisation.
    assert (
        Client(headers={"Authorization": f"Bearer {token.raw}"}).get("/api/v1/vacancies/")
    ).status_code == 200
