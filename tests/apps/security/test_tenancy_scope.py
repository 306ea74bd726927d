"""The tenancy after move-in is about one citizen: its rows are outside the steering group's row
scope (`personal_data = True` on the tenancy querysets), and no page or API answer shows the
steering group a tenancy row; it reads the governance dialogue's aggregates only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anvis.tenancy.models import FollowUpTask, Tenancy, TenancyEvent
from anvis.tenancy.services import EventInput, tenancy_event_report

from .access_matrix import MATRIX
from .test_access_matrix import build_url

pytestmark = pytest.mark.django_db

# An arrears report no other row shares: its amount as the pages and the API write it.
AMOUNT = 37_913
MARKERS = ("37913", "37.913", "37 913", "37\xa0913")


@pytest.fixture
def arrears(world: dict[str, Any], users: dict[str, Any]) -> TenancyEvent:
    return tenancy_event_report(
        actor=users["boligorganisation"],
        lease=world["lease"],
        data=EventInput(kind="arrears", event_date=timezone.localdate(), amount=AMOUNT, months=7),
        today=timezone.localdate(),
    )


@pytest.mark.parametrize("model", [Tenancy, TenancyEvent, FollowUpTask])
def test_the_tenancy_rows_are_outside_the_steering_groups_row_scope(
    model: Any, world: dict[str, Any], users: dict[str, Any]
) -> None:
    assert model.objects.exists()
    assert not model.objects.restrict(users["styregruppe"]).exists()
    # The parties still reach them: the municipality all, the organisation its own.
    assert model.objects.restrict(users["sagsbehandler"]).count() == model.objects.count()
    assert model.objects.restrict(users["boligorganisation"]).exists()
    assert not model.objects.restrict(users["org_b"]).exists()


def test_no_page_or_api_answer_shows_the_steering_group_a_tenancy_row(
    arrears: TenancyEvent, world: dict[str, Any], users: dict[str, Any]
) -> None:
    """Every page and API answer of the access matrix with every object id, plus the let
    vacancy's page and JSON and the lease list, as the steering group: none holds the arrears
    report's amount. The same pages show it to the municipality and to the organisation, so the
    amount is one a page would show."""
    lease = world["lease"]
    extra = [
        reverse("tenancy:tenancy_detail", args=[lease.pk]),
        reverse("api:tenancy_event_list"),
        reverse("vacancies:vacancy_detail", args=[world["let_vacancy"].pk]),
        reverse("api:vacancy_detail", args=[world["let_vacancy"].pk]),
        reverse("api:lease_list"),
    ]
    for key in ("sagsbehandler", "boligorganisation"):
        client = Client()
        client.force_login(users[key])
        shown = [client.get(url).content.decode(errors="replace") for url in extra[:2]]
        assert all(any(m in body for m in MARKERS) for body in shown), key
    steering = Client()
    steering.force_login(users["styregruppe"])
    urls = [(entry.method, build_url(name, entry, world)) for name, entry in MATRIX.items()]
    urls += [("get", url) for url in extra]
    leaks = []
    for method, url in sorted(urls):
        body = getattr(steering, method)(url).content.decode(errors="replace")
        leaks += [f"{url}: {m}" for m in MARKERS if m in body]
    assert not leaks, leaks
