"""The whole flow in a real browser with three people logged in at once: the housing
organisation reports a vacancy, the allocation lead accepts it, the caseworker offers it, the
first citizen declines with a reason, the second accepts, the organisation registers the lease
and move-in; then the ledger, the void-rent statement and both timelines show the right figures.
Every page visited passes axe."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from anvis.agreements import services as agreement_services
from anvis.common import formats
from anvis.stock.models import Department, Dwelling
from anvis.vacancies.models import Lease, Offer, Vacancy
from anvis_core.workflow import compute_void_rent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(browser: Any, live_server: Any, users: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One browser context (own cookies) and page per person, each logged in."""
    from tests.conftest import PASSWORD

    contexts = []
    pages: dict[str, Any] = {}
    for key in ("boligorganisation", "anvisningsleder", "sagsbehandler"):
        context = browser.new_context(
            locale="da-DK", bypass_csp=True, viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/konto/login/")
        page.get_by_label("Brugernavn").fill(users[key].username)
        page.get_by_label("Adgangskode").fill(PASSWORD)
        page.get_by_role("button", name="Log ind").click()
        page.wait_for_url(f"{live_server.url}/")
        pages[key] = page
    yield pages
    for context in contexts:
        context.close()


@pytest.fixture
def setting(users: dict[str, Any], org_a: Any, org_b: Any) -> dict[str, Any]:
    """An agreement (25 % municipal share) whose version puts org A's department on a 100 %
    step, and two waiting citizens."""
    from tests.apps.vacancies.conftest import make_case

    agreement = agreement_services.agreement_create(
        actor=users["anvisningsleder"],
        municipality="Aalborg Kommune",
        title="Udlejningsaftale",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2028, 12, 31),
        parties=[org_a, org_b],
        signed_on=dt.date(2023, 12, 1),
        terms={
            "municipal_share_percent": Decimal("25"),
            "covered_dwelling_types": ["family"],
            "rent_ceiling": 5000,
            # The dwelling is reported 10 days after it became available; this agreement bills
            # those days (the default starts void rent on the report date).
            "void_rent_before_report": True,
        },
    )
    agreement_services.department_step_set(
        actor=users["anvisningsleder"],
        agreement=agreement,
        department=Department.objects.get(organisation=org_a),
        label="Trin 1",
        share_percent=Decimal("100"),
        valid_from=dt.date(2024, 1, 1),
        reason="Afdelingen kan rumme alle kommunale anvisninger",
    )
    return {
        "dwelling": Dwelling.objects.get(entrance__department__organisation=org_a, rent=3100),
        "first": make_case(users, "120385-1235", "Karl"),
        "second": make_case(users, "010190-1234", "Lise"),
    }


def _go(page: Any, url: str, axe_check: Any) -> None:
    page.goto(url)
    axe_check(page)


def _from_notification(page: Any, base: str, title: str, axe_check: Any) -> None:
    """Start the next step as a person does: from the front page, the unread notifications in
    the header, then the notification's own link."""
    page.goto(f"{base}/")
    page.get_by_role("link", name=re.compile(r"^Beskeder \d+ ulæst")).click()
    page.wait_for_url("**/indbakke/")
    axe_check(page)
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()
    axe_check(page)


def _menu(page: Any, name: str, axe_check: Any) -> None:
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name=name).click()
    page.wait_for_load_state()
    axe_check(page)


def _case_timeline(page: Any, case: Any, axe_check: Any) -> None:
    """From the vacancy page (where the caseworker is): the case, then its timeline."""
    page.get_by_role("link", name=case.number, exact=True).first.click()
    page.wait_for_url(f"**/sager/{case.pk}/")
    page.get_by_role("link", name="Tidslinje", exact=True).first.click()
    page.wait_for_url(f"**/sager/{case.pk}/tidslinje/")
    axe_check(page)


def _choose(page: Any, field: str, text: str, label: str) -> None:
    """Type into a search field and choose the suggestion that has `label`."""
    page.locator(f"#id_{field}").fill(text)
    page.get_by_role("listbox", name="Forslag").get_by_role("option", name=label).first.click()


def _offer(page: Any, text: str, case: Any) -> None:
    """In the offer dialogue: the citizen by the search field, then the confirmation."""
    _choose(page, "case", text, case.number)
    assert page.locator('input[name="case"]').input_value() == str(case.pk)
    page.get_by_role("button", name="Kontrollér og gå videre").click()
    page.get_by_test_id("confirm-offer").wait_for()
    page.get_by_role("button", name="Bekræft og giv tilbuddet").click()


def test_whole_flow_with_three_people(
    people: dict[str, Any], setting: dict[str, Any], live_server: Any, axe_check: Any
) -> None:
    """No deep URL is typed and no list is scanned: each person starts from the front page,
    the menu or a notification, and chooses the dwelling and the citizens by typing."""
    base = live_server.url
    org, lead, worker = (
        people["boligorganisation"],
        people["anvisningsleder"],
        people["sagsbehandler"],
    )
    dwelling, first, second = setting["dwelling"], setting["first"], setting["second"]
    today = timezone.localdate()
    notice, available = today - dt.timedelta(days=30), today - dt.timedelta(days=10)

    # 1. The organisation reports the vacancy, from the menu.
    org.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Ledige boliger", exact=True
    ).click()
    org.get_by_role("link", name="Meld en ledig bolig").click()
    org.wait_for_url("**/ledige-boliger/meld/")
    axe_check(org)
    # The dwelling is found by typing its address and choosing the suggestion.
    _choose(
        org,
        "dwelling",
        f"{dwelling.entrance.street} {dwelling.floor} {dwelling.door}",
        str(dwelling.entrance.street),
    )
    assert org.locator('input[name="dwelling"]').input_value() == str(dwelling.pk)
    org.locator("#id_notice_date").fill(notice.isoformat())
    org.locator("#id_available_from").fill(available.isoformat())
    org.locator("#id_remarks").fill("Nyistandsat")
    org.get_by_role("button", name="Gem").click()
    org.wait_for_url(re.compile(r"/ledige-boliger/\d+/$"))
    assert "Den ledige bolig er meldt." in org.inner_text("main")
    assert "andel 100 %" in org.inner_text("main")  # whose turn and why: the step's share
    axe_check(org)
    vacancy = Vacancy.objects.get()
    detail = f"{base}/ledige-boliger/{vacancy.pk}/"

    # 2. The allocation lead learns of it from a notification, and accepts it.
    _from_notification(lead, base, f"Ny kommunal ledig bolig: {dwelling}", axe_check)
    assert lead.url == detail
    lead.get_by_role("button", name="Tag imod boligen").click()
    lead.wait_for_load_state()
    assert "Tilbyd en borger boligen" in lead.inner_text("main")
    axe_check(lead)

    # The organisation is told that the municipality takes the dwelling.
    _from_notification(org, base, f"Kommunen tager boligen: {dwelling}", axe_check)
    assert org.url == detail

    # 3. The caseworker learns that the dwelling is ready to offer; the notification opens the
    # candidates, and the offer dialogue finds the first citizen by name.
    _from_notification(worker, base, f"Bolig klar til tilbud: {dwelling}", axe_check)
    assert "/kandidater/" in worker.url
    worker.get_by_role("link", name="Tilbyd en borger boligen").click()
    worker.wait_for_url(f"{detail}tilbud/ny/")
    axe_check(worker)
    _offer(worker, "Karl", first)
    worker.wait_for_url(detail)
    axe_check(worker)

    # The organisation learns that a citizen is nominated (never who).
    _from_notification(org, base, f"Borger indstillet til {dwelling}", axe_check)
    assert org.url == detail

    # The first citizen declines with a reason.
    worker.get_by_role("link", name="Registrér afslag").click()
    worker.wait_for_url(re.compile(r"/tilbud/\d+/afslag/$"))
    axe_check(worker)
    worker.locator("input[name=reason][value=client_location]").check()
    worker.get_by_role("button", name="Registrér afslaget").click()
    worker.wait_for_url(detail)
    axe_check(worker)

    # The lead is told of the decline; the organisation of the answer.
    _from_notification(lead, base, f"Tilbud afslået: {dwelling}", axe_check)
    assert lead.url == detail
    _from_notification(org, base, f"Borgeren tog ikke {dwelling}", axe_check)
    assert org.url == detail

    # 4. The next offer, to the second citizen found by name, is accepted.
    worker.get_by_role("link", name="Tilbyd en borger boligen").click()
    worker.wait_for_url(f"{detail}tilbud/ny/")
    _offer(worker, "Lise", second)
    worker.wait_for_url(detail)
    # The yes hands the citizen's name to the organisation: it is confirmed on a page of its own.
    worker.get_by_role("link", name="Borgeren siger ja").click()
    worker.wait_for_url(re.compile(r"/tilbud/\d+/accepter/$"))
    axe_check(worker)
    worker.get_by_role("button", name="Bekræft: borgeren siger ja").click()
    worker.wait_for_url(detail)
    axe_check(worker)
    declined = Offer.objects.get(case=first)
    accepted = Offer.objects.get(case=second)
    assert (declined.status, declined.decline_reason, declined.decline_side) == (
        "declined",
        "client_location",
        "client",
    )
    assert accepted.status == "accepted"

    # 5. The organisation learns that a lease is expected; the notification opens the lease
    # form, and the lease and move-in are registered.
    _from_notification(
        org, base, f"Lejekontrakt forventes: borgeren har sagt ja til {dwelling}", axe_check
    )
    assert re.search(r"/tilbud/\d+/lejekontrakt/$", org.url)
    org.locator("#id_signed_on").fill(today.isoformat())
    org.locator("#id_starts_on").fill(today.isoformat())
    org.locator("#id_move_in_on").fill(today.isoformat())
    org.get_by_role("button", name="Gem").click()
    org.wait_for_url(detail)
    assert "Lejekontrakten er registreret" in org.inner_text("main")
    axe_check(org)

    # The figures.
    lease = Lease.objects.get()
    void = compute_void_rent(monthly_rent=3100, start=available, lease_start=today)
    assert (lease.void_rent_days, lease.void_rent_amount) == (10, void.amount)
    with translation.override("da"):
        amount = formats.number(void.amount, 2)  # as every page writes an amount
    assert Vacancy.objects.get().status == "let"

    # The vacancy's timeline and facts, seen by the lead (told of the acceptance).
    _from_notification(lead, base, f"Tilbud accepteret: {dwelling}", axe_check)
    assert lead.url == detail
    day = today.strftime("%d.%m.%Y")
    timeline = lead.locator("ol.timeline").inner_text()
    for line in (
        "Meldt → Kommunal tur, afventer svar",
        "Kommunal tur, afventer svar → Accepteret af kommunen (u_anvisningsleder)",
        f"Tilbud: Afventer borgerens svar – {first.number}",
        "Tilbud: Afventer borgerens svar → Afvist – Borgeren: beliggenhed",
        f"Tilbud: Afventer borgerens svar – {second.number}",
        "Tilbud: Afventer borgerens svar → Accepteret af borgeren",
        f"Lejemål fra {day}, indflytning {day}, tomgangsleje 10 dage",
        f"Tilbudt en borger → Udlejet – {second.number}",
    ):
        assert line in timeline, line
    facts = lead.locator("main").inner_text()
    assert f"10 dage, {amount} kr" in facts
    assert "Borgeren: beliggenhed (Afslået af borgeren)" in facts

    # The void-rent statement, seen by the organisation: the organisation's total and the line.
    _menu(org, "Tomgangsleje", axe_check)
    totals = org.locator("table").first.locator("tbody tr", has_text="Alfa Boligselskab")
    assert totals.inner_text().split("\t")[1:] == ["10", amount]
    line = org.locator("table").nth(1).locator("tbody tr", has_text=str(dwelling)).inner_text()
    assert line.split("\t")[2:] == [
        available.strftime("%d.%m.%Y"),
        day,
        "Lejekontrakt",
        "10",
        amount,
    ]

    # The ledger: one eligible vacancy in the quarter, delivered by being accepted.
    _menu(lead, "Fordelingsregnskab", axe_check)
    row = lead.locator("tbody tr", has_text="Alfa Boligselskab").inner_text()
    # eligible, expected, delivered, carried in | cumulative: eligible, expected,
    # delivered (accepted/declined/expired), pending, balance, status
    assert row.split("\t")[1:] == [
        "1",
        "1,0",
        "1",
        "0,0",
        "1",
        "1,0",
        "1\n1 taget imod · 0 afvist · 0 udløbet",
        "0",
        "0,0",
        "På andel",
    ]

    # The cases' timelines, seen by the caseworker, from the vacancy's page.
    worker.reload()
    _case_timeline(worker, second, axe_check)
    case_timeline = worker.locator("main").inner_text()
    for line in (
        f"Tilbudt bolig {dwelling}",
        f"Sagde ja til tilbuddet om bolig {dwelling}",
        "Tilbudt bolig → Bosat",
        f"Lejemål i bolig {dwelling} fra {day}, indflytning {day}",
    ):
        assert line in case_timeline, line
    worker.go_back()
    worker.go_back()
    _case_timeline(worker, first, axe_check)
    case_timeline = worker.locator("main").inner_text()
    assert f"Tilbud om bolig {dwelling}: Afvist (Borgeren: beliggenhed)" in case_timeline
    assert "Tilbudt bolig → Venter" in case_timeline


def test_bulk_report_and_notifications_pages(
    people: dict[str, Any], setting: dict[str, Any], live_server: Any, axe_check: Any
) -> None:
    base = live_server.url
    org, lead = people["boligorganisation"], people["anvisningsleder"]
    dwelling = setting["dwelling"]
    today = timezone.localdate()

    _go(org, f"{base}/ledige-boliger/", axe_check)
    org.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Meld ledige boliger fra en fil"
    ).click()
    org.wait_for_url("**/ledige-boliger/meld/fil/")
    axe_check(org)
    bad = "cvr;afdelingsnr;adresse;etage;doer;opsigelsesdato;ledig_fra\n11111111;101;Alfavej 1;st;tv;i går;\n"
    org.get_by_label("Fil (CSV eller XLSX)").set_input_files(
        {"name": "ledige.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    org.get_by_role("button", name="Meld de ledige boliger").click()
    org.wait_for_load_state()
    assert "Filen har 2 fejl. Intet er meldt." in org.inner_text("main")
    axe_check(org)
    good = (
        "cvr;afdelingsnr;adresse;etage;doer;opsigelsesdato;ledig_fra\n"
        f"11111111;101;Alfavej 1;st;tv;{today:%d-%m-%Y};{today:%d-%m-%Y}\n"
    )
    org.get_by_label("Fil (CSV eller XLSX)").set_input_files(
        {"name": "ledige.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    org.get_by_role("button", name="Meld de ledige boliger").click()
    org.wait_for_url("**/ledige-boliger/")
    assert "Meldt 1 ledig bolig: 1 til kommunen" in org.inner_text("main")
    vacancy = Vacancy.objects.get()

    lead.reload()
    lead.get_by_role("link", name="Beskeder 1 ulæst").click()
    lead.wait_for_url("**/indbakke/")
    axe_check(lead)
    lead.get_by_role("link", name=f"Ny kommunal ledig bolig: {dwelling}").click()
    lead.wait_for_url(f"**/ledige-boliger/{vacancy.pk}/")
    assert lead.get_by_role("link", name="Beskeder", exact=True).count() == 1  # none unread
    _go(lead, f"{base}/indbakke/indstillinger/", axe_check)
    lead.get_by_label("Én gang om dagen, samlet").check()
    lead.get_by_role("button", name="Gem").click()
    lead.wait_for_load_state()
    assert "Dit valg er gemt." in lead.inner_text("main")
    axe_check(lead)
