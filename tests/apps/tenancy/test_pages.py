"""Deadlines from the settings, support flags, the governance dialogue's suppression, and
what reaches the webhook outbox."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _report(actor: Any, lease: Any, kind: str, **values: Any) -> Any:
    from anvis.tenancy.services import EventInput, tenancy_event_report

    return tenancy_event_report(
        actor=actor,
        lease=lease,
        data=EventInput(kind=kind, event_date=timezone.localdate(), **values),
    )


def test_follow_up_days_per_kind_from_the_settings(
    let: dict[str, Any], users: dict[str, Any], settings: Any
) -> None:
    from anvis_core.calendar import add_working_days

    settings.ANVIS_TENANCY_FOLLOW_UP_DAYS = {"arrears": 1}
    event = _report(users["boligorganisation"], let["lease"], "arrears", amount=100, months=1)
    assert event.task.deadline == add_working_days(timezone.localdate(), 1)
    demand = _report(users["boligorganisation"], let["lease"], "demand")
    assert demand.task.deadline == add_working_days(timezone.localdate(), 2)


def test_only_the_organisations_reports_reach_the_webhook(
    let: dict[str, Any], users: dict[str, Any]
) -> None:
    from anvis.api.models import WebhookDelivery
    from anvis.api.services import webhook_subscription_create

    webhook_subscription_create(
        actor=users["administrator"],
        organisation=let["lease"].vacancy.organisation,
        url="https://kommune.example.dk/hook",
    )
    _report(users["sagsbehandler"], let["lease"], "prison", note="Varetægt")
    assert not WebhookDelivery.objects.exists()
    _report(users["boligorganisation"], let["lease"], "warning")
    assert WebhookDelivery.objects.get().payload["data"]["kind"] == "warning"


def test_support_overview_flags_and_counts(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    from anvis.tenancy.models import Tenancy
    from anvis.tenancy.services import tenancy_contacts_set

    tenancy = Tenancy.objects.get(lease=let["lease"])
    page = client_for("sagsbehandler").get(reverse("tenancy:support_overview")).content.decode()
    # The ICM plan has no start and the move-in was five months ago: late.
    assert "For sent" in page
    tenancy_contacts_set(
        actor=users["sagsbehandler"], tenancy=tenancy, support_plan=None, set_municipal=True
    )
    page = client_for("sagsbehandler").get(reverse("tenancy:support_overview")).content.decode()
    assert "Uden støtte" in page
    counts = page.split('id="support-counts"')[1].split("</dl>")[0]
    assert "<dd>1</dd>" in counts


@pytest.mark.pdf
def test_governance_dialogue_suppresses_for_the_steering_group(
    let: dict[str, Any], client_for: Any, org_a: Any
) -> None:
    url = reverse("dialogue:dialogue_detail", args=[org_a.pk])
    steering = client_for("styregruppe").get(url).content.decode()
    assert "&lt;5" in steering or "<5" in steering
    lead = client_for("anvisningsleder").get(url).content.decode()
    assert "Afdelinger: anvisninger, lejemål og overvågningsstatus" in lead
    pdf = client_for("boligorganisation").get(reverse("dialogue:dialogue_pdf", args=[org_a.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client_for("org_b").get(url).status_code == 404


def test_a_tenancy_not_yet_moved_into_is_not_running(
    users: dict[str, Any], org_a: Any, client_for: Any
) -> None:
    import datetime as dt

    from anvis.tenancy.dialogue import _department_table, _risk_by_department

    from .conftest import make_let

    today = timezone.localdate()
    let = make_let(users, org_a, move_in=today + dt.timedelta(days=8))
    page = client_for("sagsbehandler").get(reverse("tenancy:support_overview")).content.decode()
    assert reverse("tenancy:tenancy_detail", args=[let["lease"].pk]) not in page
    counts = page.split('id="support-counts">', 1)[1].split("</dl>", 1)[0]
    assert "<dd>1</dd>" not in counts  # neither counted nor flagged "Uden støtte"
    department = _department_table(org_a, today, _risk_by_department(org_a.pk))
    assert [c.value for c in department.rows[0][2:4]] == [0, 0]  # running, ended

    # From the move-in day it runs.
    moved_in = _department_table(org_a, let["move_in"], _risk_by_department(org_a.pk))
    assert moved_in.rows[0][2].value == 1
    # The tenancy's own page says when, not that the tenant lives there already.
    detail = client_for("boligorganisation").get(
        reverse("tenancy:tenancy_detail", args=[let["lease"].pk])
    )
    text = detail.content.decode()
    assert f"Flytter ind {let['move_in'].strftime('%d.%m.%Y')}" in text
    assert "Bor i boligen" not in text


def test_the_governance_pack_says_which_period_each_table_covers(
    let: dict[str, Any], client_for: Any, org_a: Any
) -> None:
    from anvis_core.quotas import Quarter

    today = timezone.localdate()
    quarter = Quarter.of(today)
    day, start = today.strftime("%d.%m.%Y"), quarter.start.strftime("%d.%m.%Y")
    running = f"{quarter.number}. kvartal {quarter.year} ({start}–{day})"
    page = client_for("anvisningsleder").get(reverse("dialogue:dialogue_detail", args=[org_a.pk]))
    text = page.content.decode()
    assert f"Tal pr. {day}. Under hver tabel står, hvilken periode den dækker." in text
    assert "de tre før" not in text
    assert f"{running}: de ledige boliger, der er meldt i kvartalet" in text
    assert f"Anvisninger i de 12 måneder til og med {day}" in text
    assert f"Alle boligforløb med indflytning senest {day}, fulgt til og med {day}." in text
    listing = client_for("anvisningsleder").get(reverse("dialogue:dialogue_list")).content
    assert f"tomgangsleje og udbetalte garantikrav: {running}" in listing.decode()


def test_arrears_are_written_with_thousands_separators(
    let: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    _report(users["boligorganisation"], let["lease"], "arrears", amount=7000, months=2)
    url = reverse("tenancy:tenancy_detail", args=[let["lease"].pk])
    for role in ("boligorganisation", "sagsbehandler"):
        page = client_for(role).get(url).content.decode()
        assert "7.000 kr., 2 måneder" in page and "7000" not in page


@pytest.mark.parametrize(
    ("role", "exact"),
    [("anvisningsleder", True), ("styregruppe", False), ("boligorganisation", False)],
)
def test_the_governance_packs_open_issues_are_suppressed_as_its_tables(
    let: dict[str, Any], users: dict[str, Any], client_for: Any, org_a: Any, role: str, exact: bool
) -> None:
    """One guarantee claim awaiting a decision and one home at risk: the municipality reads
    the exact counts; the steering group and the organisation read "<5", as the department
    table beside them shows the homes at risk (docs/tenancy.md)."""
    import html

    from anvis.vacancies import services as flow

    let["agreement"].versions.update(
        guarantee_max_repairs=20_000, guarantee_first_year_arrears=False
    )
    flow.guarantee_claim_submit(
        actor=users["boligorganisation"],
        lease=let["lease"],
        kind="move_out_repairs",
        event_date=timezone.localdate(),
        amount=12_000,
        description="Maling",
    )
    _report(users["boligorganisation"], let["lease"], "arrears", amount=4200, months=1)
    page = client_for(role).get(reverse("dialogue:dialogue_detail", args=[org_a.pk]))
    text = html.unescape(page.content.decode())
    assert ("1 garantikrav venter på kommunens afgørelse." in text) is exact
    assert ("1 bolig i risiko (tidligt varsel ikke løst)." in text) is exact
    assert ("<5 garantikrav venter på kommunens afgørelse." in text) is not exact
    assert ("<5 boliger i risiko (tidligt varsel ikke løst)." in text) is not exact


def test_a_tenancy_not_yet_moved_into_is_not_flagged_on_its_page(
    users: dict[str, Any], org_a: Any, client_for: Any
) -> None:
    """The support overview neither counts nor flags a tenancy before its move-in day; its own
    page does not flag it "without support" either."""
    import datetime as dt

    from anvis.tenancy.models import Tenancy
    from anvis.tenancy.services import tenancy_contacts_set

    from .conftest import make_let

    let = make_let(users, org_a, move_in=timezone.localdate() + dt.timedelta(days=8))
    tenancy_contacts_set(
        actor=users["sagsbehandler"],
        tenancy=Tenancy.objects.get(lease=let["lease"]),
        support_plan=None,
        set_municipal=True,
    )
    client = client_for("sagsbehandler")
    overview = client.get(reverse("tenancy:support_overview")).content.decode()
    assert "Uden støtte</td>" not in overview
    detail = client.get(reverse("tenancy:tenancy_detail", args=[let["lease"].pk])).content
    assert "Uden støtte" not in detail.decode()


def test_the_contacts_form_names_a_support_plan_in_words_and_a_danish_date(
    let: dict[str, Any], client_for: Any
) -> None:
    """The support plan to link is offered as the method's name, the provider and the decision
    date in Danish, not as the plan's internal number, method code and ISO date."""
    from anvis.common import formats

    plan = let["lease"].offer.case.support_plans.get()
    page = client_for("sagsbehandler").get(reverse("tenancy:contacts", args=[let["lease"].pk]))
    text = html.unescape(page.content.decode())
    assert f"Bostøtten ({formats.date(plan.decided_on)})" in text
    assert plan.decided_on.isoformat() not in text
    assert f"{plan.case_id}: icm" not in text
