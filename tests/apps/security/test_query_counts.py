"""List pages run a bounded number of queries, however many rows they show (no N+1).

Each page is measured with the small world, then again after adding more rows of every kind
(organisations, stock, agreements, requests, cases, audit and access records): the count must
not grow, and must stay under the page's bound.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

# URL name → (role that sees the most, maximum number of queries).
LIST_PAGES: dict[str, tuple[str, int]] = {
    "stock:organisation_list": ("administrator", 12),
    "stock:department_list": ("administrator", 12),
    "stock:entrance_list": ("administrator", 12),
    "stock:dwelling_list": ("administrator", 12),
    "agreements:agreement_list": ("anvisningsleder", 13),
    "agreements:handheld_list": ("anvisningsleder", 12),
    "agreements:ledger": ("anvisningsleder", 14),
    "cases:case_list": ("sagsbehandler", 12),
    # The status on the day: when the night's snapshot is not for today, computed for the page's
    # departments at once (their indicators and the area list), as the gate reads it.
    "monitoring:department_list": ("anvisningsleder", 13),
    "monitoring:step_proposals": ("anvisningsleder", 12),
    "security:audit_list": ("administrator", 10),
    "security:access_log_list": ("administrator", 10),
    "vacancies:vacancy_list": ("anvisningsleder", 12),
    "vacancies:claim_list": ("anvisningsleder", 12),
    "vacancies:inbox": ("anvisningsleder", 12),
    "vacancies:void_rent": ("anvisningsleder", 12),
    "matching:run_list": ("anvisningsleder", 12),
    "simulation:run_list": ("anvisningsleder", 12),
    "reports:meeting_list": ("anvisningsleder", 12),
    "reports:snapshot_list": ("anvisningsleder", 12),
    "api:dwelling_list": ("administrator", 12),
    "api:vacancy_list": ("anvisningsleder", 12),
    "api:offer_list": ("anvisningsleder", 12),
    "api:lease_list": ("anvisningsleder", 12),
    "api:claim_list": ("anvisningsleder", 12),
    "api:webhook_list": ("boligorganisation", 12),
    "api:tenancy_event_list": ("anvisningsleder", 12),
    "tenancy:risk_list": ("anvisningsleder", 12),
    "background:task_list": ("administrator", 12),
    # The side-by-side table is made from the quarterly report's grouped queries.
    "dialogue:dialogue_list": ("anvisningsleder", 40),
}


# One query per agreement (the version in force is looked up per row). A municipality has one
# to a few agreements, so the page stays bounded; the growth check is skipped for it.
PER_ROW_BY_DESIGN = {"agreements:agreement_list"}


def grow(world: dict[str, Any], users: dict[str, Any], n: int = 6) -> None:
    from anvis.agreements import services as agreements
    from anvis.cases import services as cases
    from anvis.stock.models import Department, Dwelling, Entrance, HousingOrganisation
    from anvis_core.cpr import parse_cpr

    lead, worker = users["anvisningsleder"], users["sagsbehandler"]
    orgs = []
    for i in range(n):
        org = HousingOrganisation.objects.create(name=f"Ekstra {i}", cvr=f"3000000{i}")
        dept = Department.objects.create(organisation=org, number=f"9{i}", name=f"Afd {i}")
        entrance = Entrance.objects.create(
            department=dept, street=f"Ekstravej {i}", postal_code="9000", city="Aalborg"
        )
        for door in ("tv", "th"):
            Dwelling.objects.create(
                entrance=entrance, floor="1", door=door, rooms=2, area_m2=60, rent=4000
            )
        orgs.append(org)
    for i in range(3):
        agreement = agreements.agreement_create(
            actor=lead,
            municipality="Aalborg Kommune",
            title=f"Aftale {i}",
            period_start=dt.date(2024, 1, 1),
            parties=orgs[i * 2 : i * 2 + 2],
            terms={"municipal_share_percent": Decimal("25")},
        )
        agreements.handheld_request_create(
            actor=worker,
            agreement=agreement,
            case_reference=f"H-{i}",
            rooms=1,
            max_rent=4000,
            need="Behov",
            requested_on=dt.date(2026, 3, 1),
        )
    agreements.step_proposals_submit(
        actor=lead,
        year=2026,
        proposals=[(world["dept_a"], Decimal("20"), "Mere")],
        agreement=world["agreement"],
    )
    made = 0
    for day in range(1, 29):
        cpr = f"{day:02d}0385-123"
        for last in "0123456789":
            try:
                parse_cpr(cpr + last)
            except ValueError:
                continue
            cases.case_create(
                actor=worker,
                cpr=cpr + last,
                first_name=f"Person{made}",
                last_name="Test",
                situation="rough_sleeping",
                situation_since=dt.date(2026, 1, 1),
                today=dt.date(2026, 2, 1),
            )
            made += 1
            break
        if made >= n:
            break
    client = Client()
    client.force_login(worker)
    for case_id in cases_ids():
        client.get(reverse("cases:case_overview", args=[case_id]))  # access records


def cases_ids() -> list[int]:
    from anvis.cases.models import Case

    return list(Case.objects.values_list("pk", flat=True))


def count(client: Client, url: str) -> int:
    """Queries of one request, without the session write (one per request, whatever the page),
    with an empty cache (a cached ledger would hide the queries that compute it)."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(
        [
            q
            for q in ctx.captured_queries
            if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]
    )


def test_every_list_page_is_covered() -> None:
    from .access_matrix import MATRIX

    lists = {name for name, e in MATRIX.items() if name.endswith("_list") and not e.args}
    assert lists <= set(LIST_PAGES), sorted(lists - set(LIST_PAGES))


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_list_queries_do_not_grow_with_rows(
    name: str,
    world: dict[str, Any],
    users: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    role, bound = LIST_PAGES[name]
    worker = Client()
    worker.force_login(users["sagsbehandler"])
    worker.get(reverse("cases:case_overview", args=[world["case"].pk]))  # an access record
    client = Client()
    client.force_login(users[role])
    url = reverse(name)
    client.get(url)  # warm: session, caches
    few = count(client, url)
    grow(world, users)
    many = count(client, url)
    if name not in PER_ROW_BY_DESIGN:
        assert many <= few, f"{name}: {few} queries with few rows, {many} with more"
    with django_assert_max_num_queries(bound):
        client.get(url)
