"""The monthly statement per organisation: computed from the vacancies, approved and frozen with
its SHA-256, corrected by new lines, downloaded as PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from anvis.notifications.models import Notification
from anvis.vacancies import selectors, services
from anvis.vacancies.models import MonthlyStatement, StatementCorrection
from anvis_core.workflow.statement import content_hash

from .conftest import REPORT_DAY

D = dt.date


@pytest.fixture
def handed_back(users: dict[str, Any], agreement: Any, cheap: Any) -> Any:
    """Reported and available 04.03.2026, accepted, handed back 10.04.2026 (3100 kr a month,
    the agreement covers the 450 kr a conto)."""
    agreement.versions.update(void_rent_covers_aconto=True)
    cheap.aconto = 450
    cheap.save()
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY - dt.timedelta(days=30),
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    vacancy = services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY
    )
    assert vacancy.aconto_during_vacancy == 450
    return services.vacancy_hand_back(
        actor=users["anvisningsleder"], vacancy=vacancy, reason="Ikke egnet", today=D(2026, 4, 10)
    )


def test_statements_over_a_month_boundary(handed_back: Any, org_a: Any) -> None:
    march = selectors.statement_compute(
        organisation_id=org_a.pk, month=D(2026, 3, 1), as_of=D(2026, 5, 1)
    )
    april = selectors.statement_compute(
        organisation_id=org_a.pk, month=D(2026, 4, 1), as_of=D(2026, 5, 1)
    )
    # March: 04.03–31.03 is 28 days; 3100 × 12 × 28 / 365 = 2853.70; a conto 450 → 414.25.
    [line] = march.lines
    assert (line.start, line.days, line.void_rent, line.aconto) == (
        D(2026, 3, 4),
        28,
        Decimal("2853.70"),
        Decimal("414.25"),
    )
    # April: 01.04–09.04 (handed back on the 10th) is 9 days: 917.26 and 133.15.
    [line] = april.lines
    assert (line.days, line.void_rent, line.aconto) == (9, Decimal("917.26"), Decimal("133.15"))
    # The two months together are the vacancy's whole account.
    account = handed_back.void_rent_on(D(2026, 5, 1))
    assert account.rent.days == 37
    assert march.void_rent_total + april.void_rent_total == account.rent.amount
    assert (
        selectors.statement_compute(
            organisation_id=org_a.pk, month=D(2026, 5, 1), as_of=D(2026, 6, 1)
        ).lines
        == ()
    )


def test_approve_freezes_with_a_hash_and_corrections_are_new_lines(
    users: dict[str, Any], handed_back: Any, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lead = users["anvisningsleder"]
    with pytest.raises(ValidationError) as exc:
        services.statement_approve(
            actor=lead, organisation_id=org_a.pk, month=D(2026, 4, 1), today=D(2026, 4, 29)
        )
    assert "kan godkendes, når måneden er slut" in str(exc.value)
    with pytest.raises(PermissionDenied):
        services.statement_approve(
            actor=users["boligorganisation"], organisation_id=org_a.pk, month=D(2026, 3, 1)
        )
    statement = services.statement_approve(
        actor=lead, organisation_id=org_a.pk, month=D(2026, 3, 1), today=D(2026, 4, 2)
    )
    assert statement.content["void_rent_total"] == "2853.70"
    assert statement.content_hash == content_hash(statement.content)
    with pytest.raises(ValidationError) as exc:
        services.statement_approve(
            actor=lead, organisation_id=org_a.pk, month=D(2026, 3, 1), today=D(2026, 4, 3)
        )
    assert "allerede godkendt" in str(exc.value)
    # A later change (a different void-rent start) does not touch the frozen statement.
    handed_back.void_rent_start = D(2026, 3, 10)
    handed_back.save()
    frozen = MonthlyStatement.objects.get()
    assert frozen.content["void_rent_total"] == "2853.70"
    assert frozen.content_hash == statement.content_hash
    with pytest.raises(ValidationError) as exc:
        services.statement_correct(actor=lead, statement=frozen, amount=Decimal(0), reason="")
    assert exc.value.message_dict == {
        "reason": ["Angiv begrundelsen for rettelsen."],
        "amount": ["En rettelse kan ikke være 0 kr."],
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.statement_correct(
            actor=lead, statement=frozen, amount=Decimal("-611.51"), reason="Start 10.03 aftalt"
        )
    assert StatementCorrection.objects.get().amount == Decimal("-611.51")
    assert MonthlyStatement.objects.get().content_hash == statement.content_hash
    # The organisation, which is paid, is told; the lead who wrote it is not; nor is the other
    # organisation.
    told = Notification.objects.filter(kind="statement_corrected")
    assert list(told.values_list("recipient", "title", "body")) == [
        (
            users["boligorganisation"].pk,
            "Godkendt månedsopgørelse rettet: Alfa Boligselskab, marts 2026",
            "Der er tilføjet en rettelse på -611,51 kr.: Start 10.03 aftalt",
        )
    ]


def test_a_lease_starting_in_an_approved_month_corrects_the_approved_statements(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    org_a: Any,
    client_for: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Void rent for March and April was approved while the dwelling stood empty; the lease,
    registered in May, started on 20 March. Each approved month gets a correction line for
    what it paid too much; the frozen statements are not touched; the person registering is
    told on the page, and the allocation lead, who pays, by a notification."""
    from anvis.cases.services import case_create

    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=REPORT_DAY - dt.timedelta(days=30),
        available_from=REPORT_DAY,
        report_date=REPORT_DAY,
    )
    vacancy = services.vacancy_accept(
        actor=users["anvisningsleder"], vacancy=vacancy, today=REPORT_DAY
    )
    case = case_create(
        actor=users["sagsbehandler"],
        cpr="120385-1235",
        first_name="Karl",
        last_name="Testesen",
        phone="12345678",
        situation="shelter_110",
        situation_since=D(2026, 1, 5),
        today=D(2026, 2, 1),
    )
    offer = services.offer_create(
        actor=users["sagsbehandler"], vacancy=vacancy, case=case, today=D(2026, 3, 5)
    )
    services.offer_accept(actor=users["sagsbehandler"], offer=offer, today=D(2026, 3, 6))
    lead = users["anvisningsleder"]
    march, april = (
        services.statement_approve(
            actor=lead, organisation_id=org_a.pk, month=month, today=D(2026, 5, 2)
        )
        for month in (D(2026, 3, 1), D(2026, 4, 1))
    )
    # 04.03–31.03 is 28 days, 3100 × 12 × 28 / 365; April's 30 days 3100 × 12 × 30 / 365.
    assert (march.content["void_rent_total"], april.content["void_rent_total"]) == (
        "2853.70",
        "3057.53",
    )
    hashes = {march.content_hash, april.content_hash}

    client = client_for("boligorganisation")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vacancies:lease_create", args=[offer.pk]),
            {"signed_on": "2026-05-02", "starts_on": "2026-03-20", "move_in_on": "2026-03-20"},
            follow=True,
        )
    assert response.status_code == 200
    # 04.03–19.03 is 16 days: 1630.68 owed instead of 2853.70; April nothing instead of 3057.53.
    corrections = {
        c.statement.month: c.amount
        for c in StatementCorrection.objects.filter(vacancy=vacancy).select_related("statement")
    }
    assert corrections == {D(2026, 3, 1): Decimal("-1223.02"), D(2026, 4, 1): Decimal("-3057.53")}
    assert {s.content_hash for s in MonthlyStatement.objects.all()} == hashes
    page = html.unescape(response.content.decode())
    assert "Den godkendte opgørelse for marts 2026 er rettet med -1.223,02 kr." in page
    assert "Den godkendte opgørelse for april 2026 er rettet med -3.057,53 kr." in page
    reasons = list(StatementCorrection.objects.values_list("reason", flat=True))
    assert all(r.startswith(str(cheap)) and "kr.." not in r for r in reasons)
    told = Notification.objects.filter(kind="statement_corrected")
    # the lead, once per corrected month; not the organisation's user who registered the lease
    assert sorted(n.title for n in told.filter(recipient=lead)) == [
        "Godkendt månedsopgørelse rettet: Alfa Boligselskab, april 2026",
        "Godkendt månedsopgørelse rettet: Alfa Boligselskab, marts 2026",
    ]
    assert not told.filter(recipient=users["boligorganisation"]).exists()
    assert not told.exclude(recipient=lead).exists()
    march_note = told.get(title__endswith="marts 2026")
    assert march_note.body.startswith("Der er tilføjet en rettelse på -1.223,02 kr.: ")
    assert (
        march_note.link == f"{reverse('vacancies:statement')}?organisation={org_a.pk}&month=2026-03"
    )
    page = html.unescape(client_for("anvisningsleder").get(march_note.link).content.decode())
    assert "-1.223,02" in page


def test_the_statement_page_pdf_and_xlsx(
    client_for: Any, users: dict[str, Any], handed_back: Any, org_a: Any
) -> None:
    url = reverse("vacancies:statement") + f"?organisation={org_a.pk}&month=2026-03"
    org = client_for("boligorganisation")
    page = org.get(url).content.decode()
    assert "Månedsopgørelse" in page and str(handed_back.dwelling) in page
    assert "2.853,70" in page and "414,25" in page and "3.267,95" in page
    assert "Ikke godkendt endnu" in page
    assert "Godkend og lås opgørelsen" not in page  # the organisation cannot approve
    # Organisation B's staff cannot choose organisation A.
    other = client_for("org_b").get(url).content.decode()
    assert "2.853,70" not in other
    lead = client_for("anvisningsleder")
    assert "Godkend og lås opgørelsen" in lead.get(url).content.decode()
    approve = lead.post(
        reverse("vacancies:statement_approve"), {"organisation": org_a.pk, "month": "2026-03"}
    )
    assert approve.status_code == 302
    statement = MonthlyStatement.objects.get()
    told = lead.get(approve.url).content.decode()
    assert f"Opgørelsen er godkendt og låst (SHA-256 {statement.content_hash[:12]})." in told
    # Approving again is refused with the service's reason, and nothing changes.
    again = lead.post(
        reverse("vacancies:statement_approve"),
        {"organisation": org_a.pk, "month": "2026-03"},
        follow=True,
    ).content.decode()
    assert "er allerede godkendt; ret den med en ny linje." in again
    assert MonthlyStatement.objects.count() == 1
    page = org.get(url).content.decode()
    assert statement.content_hash in page and "Godkendt" in page
    # A correction with a bad amount is refused in Danish and writes nothing.
    refused = lead.post(
        reverse("vacancies:statement_correct"),
        {"organisation": org_a.pk, "month": "2026-03", "amount": "abc", "reason": "x"},
    )
    assert refused.status_code == 422
    assert "Indtast et tal." in refused.content.decode()
    assert not StatementCorrection.objects.exists()
    added = lead.post(
        reverse("vacancies:statement_correct"),
        {"organisation": org_a.pk, "month": "2026-03", "amount": "-100,00", "reason": "Aftalt"},
    )
    assert added.status_code == 302
    page = org.get(url).content.decode()
    assert "Aftalt" in page and "3.267,95" in page and "3.167,95 kr." in page
    # The page's download links keep its query and add the format once.
    links = {
        fmt: html.unescape(href)
        for href, fmt in re.findall(r'href="(\?[^"]*format=(pdf|xlsx))"', page)
    }
    base = reverse("vacancies:statement")
    for fmt, href in links.items():
        assert parse_qs(href[1:]) == {
            "organisation": [str(org_a.pk)],
            "month": ["2026-03"],
            "format": [fmt],
        }
    pdf = org.get(base + links["pdf"])
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = org.get(base + links["xlsx"])
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Linje", "Bolig"]
    assert rows[1][0] == "Tomgangsleje" and rows[1][4] == 28
    assert rows[-2][0] == "I alt" and Decimal(str(rows[-2][-1])) == Decimal("3167.95")
    assert rows[-1] == ["SHA-256", statement.content_hash, None, None, None, None, None, None]


def test_the_statements_of_every_organisation(
    client_for: Any, users: dict[str, Any], handed_back: Any, org_a: Any, org_b: Any
) -> None:
    url = reverse("vacancies:statement_overview")
    lead = client_for("anvisningsleder")
    page = lead.get(url + "?month=2026-03")
    assert page.status_code == 200
    text = page.content.decode()
    # Both organisations are listed; org A's March: 2853.70 void rent + 414.25 a conto.
    assert org_a.name in text and org_b.name in text
    assert "2.853,70" in text and "3.267,95" in text
    # The totals row too is written as Danes write amounts, not as the database holds them.
    assert "2853,70" not in text and "3267,95" not in text
    assert "Klar til godkendelse" in text
    rows = page.context["rows"]
    assert [r.shown.organisation for r in rows] == sorted([org_a, org_b], key=lambda o: o.name)
    assert page.context["totals"]["total"] == Decimal("3267.95")

    # Approved: the status says so, and the frozen totals are shown.
    services.statement_approve(
        actor=users["anvisningsleder"],
        organisation_id=org_a.pk,
        month=D(2026, 3, 1),
        today=D(2026, 4, 2),
    )
    page = lead.get(url + f"?month=2026-03&organisation={org_a.pk}")
    assert [r.status for r in page.context["rows"]] == ["approved"]
    assert "Godkendt" in page.content.decode()

    # Organisation staff see only their own organisation, and cannot ask for another's.
    org_page = client_for("org_b").get(url + "?month=2026-03")
    assert [r.shown.organisation for r in org_page.context["rows"]] == [org_b]
    refused = client_for("org_b").get(url + f"?month=2026-03&organisation={org_a.pk}")
    assert refused.status_code == 422
    assert refused.context["rows"] == []

    # A bad month is refused in Danish.
    bad = lead.get(url + "?month=marts")
    assert bad.status_code == 422
    assert "Angiv måneden" in bad.content.decode()


def test_a_corrections_day_is_the_local_day_in_the_page_and_the_xlsx(
    client_for: Any, users: dict[str, Any], handed_back: Any, org_a: Any
) -> None:
    """A correction written at 01:30 Danish summer time (23:30 UTC the day before) is dated
    the Danish day on the page and in the download alike."""
    from openpyxl import load_workbook

    statement = services.statement_approve(
        actor=users["anvisningsleder"],
        organisation_id=org_a.pk,
        month=D(2026, 3, 1),
        today=D(2026, 4, 2),
    )
    correction = services.statement_correct(
        actor=users["anvisningsleder"], statement=statement, amount=Decimal("-5"), reason="Aftalt"
    )
    moment = dt.datetime(2026, 4, 2, 23, 30, tzinfo=dt.UTC)
    StatementCorrection.objects.filter(pk=correction.pk).update(created_at=moment)
    url = reverse("vacancies:statement") + f"?organisation={org_a.pk}&month=2026-03"
    org = client_for("boligorganisation")
    assert "03.04.2026" in org.get(url).content.decode()
    sheet = load_workbook(io.BytesIO(org.get(url + "&format=xlsx").content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Rettelse")
    assert row[1] == "Aftalt" and row[2].date() == D(2026, 4, 3)


def test_an_acceptance_with_void_rent_from_an_approved_month_corrects_that_statement(
    users: dict[str, Any],
    agreement: Any,
    cheap: Any,
    org_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Reported and available on Friday 27 February; February's statement is approved on
    Monday 2 March, while the dwelling still awaits the municipality's answer; the lead accepts
    on 3 March, so void rent runs from 27 February (the available-from day). The vacancy page,
    the lease's settled void rent and the void-rent page count February's two days; so must
    February's statement, by a correction line as when a registration changes an approved
    month (a lease registered late, a lease cancelled)."""
    lead = users["anvisningsleder"]
    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=D(2026, 1, 30),
        available_from=D(2026, 2, 27),
        report_date=D(2026, 2, 27),
    )
    february = services.statement_approve(
        actor=lead, organisation_id=org_a.pk, month=D(2026, 2, 1), today=D(2026, 3, 2)
    )
    assert february.content["lines"] == []
    with django_capture_on_commit_callbacks(execute=True):
        vacancy = services.vacancy_accept(actor=lead, vacancy=vacancy, today=D(2026, 3, 3))
    assert vacancy.void_rent_start == D(2026, 2, 27)
    # 27.02–28.02 is 2 days: 3100 × 12 × 2 / 365 = 203.84 kr, as the account says.
    owed = selectors.vacancy_month_owed(vacancy=vacancy, month=D(2026, 2, 1), as_of=D(2026, 3, 3))
    assert owed == Decimal("203.84")
    [correction] = StatementCorrection.objects.filter(vacancy=vacancy)
    assert (correction.statement, correction.amount) == (february, Decimal("203.84"))
    assert correction.reason == (
        f"{cheap}: taget af kommunen 03.03.2026 med tomgangsleje fra 27.02.2026; månedens "
        "tomgangsleje er 203,84 kr. i stedet for de godkendte 0 kr. (februar 2026)"
    )
    # The frozen record stands; the organisation, who is paid, is told.
    assert MonthlyStatement.objects.get().content_hash == february.content_hash
    assert Notification.objects.filter(
        kind="statement_corrected", recipient=users["boligorganisation"]
    ).exists()


def test_a_correction_submitted_twice_is_one_line(
    client_for: Any, handed_back: Any, org_a: Any, users: dict[str, Any]
) -> None:
    """A double click on "Tilføj rettelse" posts the same correction twice: the statement gets
    one line. Another correction (another amount or reason) is a line of its own."""
    lead = client_for("anvisningsleder")
    services.statement_approve(
        actor=users["anvisningsleder"], organisation_id=org_a.pk, month=D(2026, 3, 1)
    )
    url = reverse("vacancies:statement") + f"?organisation={org_a.pk}&month=2026-03"
    posted = {"organisation": org_a.pk, "month": "2026-03", "amount": "-100,00", "reason": "Aftalt"}
    said = []
    for _click in range(2):
        answer = lead.post(reverse("vacancies:statement_correct"), posted, follow=True)
        said.append(answer.content.decode())
    assert "Rettelsen er tilføjet som en ny linje." in said[0]
    assert "allerede tilføjet for et øjeblik siden" in said[1]
    assert "Rettelsen er tilføjet som en ny linje." not in said[1]
    page = client_for("boligorganisation").get(url).content.decode()
    assert page.count("Aftalt") == 1
    assert "3.167,95 kr." in page
    other = {**posted, "reason": "Aftalt igen"}
    assert lead.post(reverse("vacancies:statement_correct"), other).status_code == 302
    assert StatementCorrection.objects.count() == 2

    # The same correction made again later (outside the repeat window) is a line of its own.
    StatementCorrection.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    assert lead.post(reverse("vacancies:statement_correct"), posted).status_code == 302
    assert StatementCorrection.objects.filter(reason="Aftalt").count() == 2


def test_an_acceptance_that_corrects_an_approved_statement_tells_the_lead(
    client_for: Any, users: dict[str, Any], agreement: Any, cheap: Any, org_a: Any, monkeypatch: Any
) -> None:
    """The lead who accepts on the vacancy page learns which approved month was corrected (as the
    one who registers or cancels a lease does)."""

    vacancy = services.vacancy_report(
        actor=users["boligorganisation"],
        dwelling=cheap,
        notice_date=D(2026, 1, 30),
        available_from=D(2026, 2, 27),
        report_date=D(2026, 2, 27),
    )
    services.statement_approve(
        actor=users["anvisningsleder"],
        organisation_id=org_a.pk,
        month=D(2026, 2, 1),
        today=D(2026, 3, 2),
    )
    real = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, *a: D(2026, 3, 3) if value is None else real(value, *a),
    )
    page = (
        client_for("anvisningsleder")
        .post(
            reverse("vacancies:vacancy_accept", args=[vacancy.pk]),
            {"confirm_nobody": "1"},
            follow=True,
        )
        .content.decode()
    )
    assert "Kommunen har taget imod boligen." in page
    assert "Den godkendte opgørelse for februar 2026 er rettet med 203,84 kr." in page
