from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anvis.monitoring.compute import recompute
from anvis.monitoring.models import DepartmentIndicators

from .conftest import TODAY, add_year

ROLES = ["sagsbehandler", "anvisningsleder", "boligorganisation", "styregruppe", "administrator"]
EXPECTED = {
    "/overvaagning/afdelinger/": dict.fromkeys(ROLES, 200),
    "/overvaagning/trappetrin/": {**dict.fromkeys(ROLES, 200), "boligorganisation": 403},
    "/overvaagning/import/indikatorer/": {
        **dict.fromkeys(ROLES, 403),
        "anvisningsleder": 200,
        "administrator": 200,
    },
    "/overvaagning/import/omraader/": {
        **dict.fromkeys(ROLES, 403),
        "anvisningsleder": 200,
        "administrator": 200,
    },
    "/overvaagning/genberegn/": {
        **dict.fromkeys(ROLES, 403),
        "anvisningsleder": 200,
        "administrator": 200,
    },
}


@pytest.mark.parametrize("url", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_access_per_role(monitored: Any, client_for: Any, url: str, role: str) -> None:
    assert client_for(role).get(url).status_code == EXPECTED[url][role]


def test_anonymous_goes_to_login(client: Any, monitored: Any) -> None:
    response = client.get("/overvaagning/afdelinger/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_organisation_sees_only_own_departments(monitored: Any, client_for: Any) -> None:
    c = client_for("boligorganisation")
    page = c.get("/overvaagning/afdelinger/").content.decode()
    assert monitored["a"].name in page and monitored["b"].name not in page
    assert c.get(f"/overvaagning/afdelinger/{monitored['a'].pk}/").status_code == 200
    assert c.get(f"/overvaagning/afdelinger/{monitored['b'].pk}/").status_code == 404
    steering = client_for("styregruppe").get("/overvaagning/afdelinger/").content.decode()
    assert monitored["a"].name in steering and monitored["b"].name in steering


def test_status_filter(monitored: Any, client_for: Any) -> None:
    page = client_for("styregruppe").get("/overvaagning/afdelinger/?status=red").content.decode()
    assert monitored["a"].name in page and monitored["b"].name not in page


def test_detail_shows_reasons_in_danish_and_svg_charts(monitored: Any, client_for: Any) -> None:
    page = (
        client_for("styregruppe")
        .get(f"/overvaagning/afdelinger/{monitored['a'].pk}/")
        .content.decode()
    )
    assert "Opfylder 2 af de 4 kriterier for et udsat boligområde" in page
    assert "uden for arbejde og uddannelse: 45 % (toårigt gennemsnit)" in page
    assert '<svg class="chart"' in page and "<title" in page
    assert "<script" not in page


def test_suppressed_values_stay_hidden_everywhere(
    dept_a: Any, dept_b: Any, client_for: Any
) -> None:
    # dept_b is small in 2025: the importer would drop values, so store them as the DB allows
    # (suppressed, no values) and check the residents count is not shown either.
    add_year(
        dept_a,
        2025,
        {
            "outside_work_education": "33.3",
            "basic_schooling_only": "44.4",
            "income_relative_region": "77.7",
            "convictions_relative_national": "1.11",
            "non_western": "12.3",
            "move_out_rate": "9.9",
            "public_support": "21.2",
        },
    )
    add_year(dept_b, 2025, None, residents=87, households=41)
    recompute(on_date=TODAY)
    c = client_for("styregruppe")
    detail = c.get(f"/overvaagning/afdelinger/{dept_b.pk}/").content.decode()
    assert "Diskretioneret" in detail
    assert ">87<" not in detail and ">41<" not in detail
    listing = c.get("/overvaagning/afdelinger/").content.decode()
    assert "Ingen data" in listing
    proposals = c.get("/overvaagning/trappetrin/?aar=2026").content.decode()
    assert "diskretionerede" in proposals
    assert DepartmentIndicators.objects.get(department=dept_b).outside_work_education is None


def test_indicator_upload_page_reports_errors_in_danish(monitored: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile(
        "x.csv", b"cvr;afdelingsnr;aar;beboere;husstande\n11111111;404;2025;400;200\n"
    )
    response = client_for("anvisningsleder").post(
        "/overvaagning/import/indikatorer/", {"file": upload}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Filen har 1 fejl. Intet blev importeret." in page
    assert "Linje 2, kolonne &#x27;afdelingsnr&#x27;: der er ingen afdeling 404" in page


def test_indicator_upload_page_refuses_other_file_types(monitored: Any, client_for: Any) -> None:
    upload = SimpleUploadedFile("x.pdf", b"%PDF")
    page = (
        client_for("administrator")
        .post("/overvaagning/import/indikatorer/", {"file": upload})
        .content.decode()
    )
    assert "Brug en .csv- eller .xlsx-fil." in page


def test_recompute_page(monitored: Any, client_for: Any) -> None:
    response = client_for("anvisningsleder").post("/overvaagning/genberegn/", {"confirm": "on"})
    assert response.status_code == 302


def test_proposal_page_filters_and_counts_levels(monitored: Any, client_for: Any) -> None:
    c = client_for("anvisningsleder")
    url = "/overvaagning/trappetrin/"
    everything = c.get(url).content.decode()
    a, b = monitored["a"], monitored["b"]
    assert f"{a.number} {a.name}" in everything and f"{b.number} {b.name}" in everything
    red_only = c.get(url, {"niveau": "red"}).content.decode()
    assert f"{a.number} {a.name}" in red_only and f"{b.number} {b.name}" not in red_only
    assert "(1)" in red_only  # the level counts in the filter
    found = c.get(url, {"q": b.name}).content.decode()
    assert f"{b.number} {b.name}" in found and f"{a.number} {a.name}" not in found
    # an unknown level is ignored rather than an error
    assert c.get(url, {"niveau": "purple"}).status_code == 200


def _placements(dept: Any) -> None:
    """Department 101: 6 placements in its first stairwell and 1 (left without notice) in a
    second one, all within the last 12 months (the page counts to today)."""
    import datetime as dt

    from django.utils import timezone

    from anvis.monitoring.models import MunicipalPlacement

    today = timezone.localdate()
    from anvis.stock.models import Dwelling, Entrance

    first = dept.entrances.get()
    second = Entrance.objects.create(
        department=dept, street="Alfavej 3", postal_code="9220", city="Aalborg Øst"
    )
    Dwelling.objects.create(entrance=second, floor="st", door="th", rooms=2, area_m2=60, rent=4000)
    dwelling = first.dwellings.first()
    for month in range(1, 7):
        MunicipalPlacement.objects.create(
            dwelling=dwelling,
            entrance=first,
            department=dept,
            placed_on=today - dt.timedelta(days=30 * month),
            case_ref=f"S-{month}",
        )
    MunicipalPlacement.objects.create(
        dwelling=second.dwellings.get(),
        entrance=second,
        department=dept,
        placed_on=today - dt.timedelta(days=200),
        moved_out_on=today - dt.timedelta(days=100),
        outcome="abandoned",
        case_ref="S-7",
    )
    recompute(on_date=today)


def _row(page: str, marker: str) -> str:
    """The table row (or list item) of the page that holds `marker`, tags stripped."""
    import re

    row = next(r for r in re.findall(r"<tr>.*?</tr>", page, re.S) if marker in r)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


@pytest.mark.parametrize(
    ("role", "exact"),
    [("styregruppe", False), ("anvisningsleder", True), ("boligorganisation", True)],
)
def test_placement_counts_per_role(monitored: Any, client_for: Any, role: str, exact: bool) -> None:
    """The steering group sees placements per department and stairwell, and their outcomes,
    with counts under 5 suppressed as in its report; the municipality, and the organisation's
    own staff for its own departments, see them exactly."""
    dept = monitored["a"]
    _placements(dept)
    c = client_for(role)
    listing = c.get("/overvaagning/afdelinger/").content.decode()
    detail = c.get(f"/overvaagning/afdelinger/{dept.pk}/").content.decode()
    outcome = _row(detail.replace("<dt>", "<tr><dt>").replace("</dd>", "</dd></tr>"), "Forladt")
    if exact:
        assert _row(listing, "afd. 101").endswith("3 7 7 7 0,0 %")
        assert _row(detail, "Alfavej 1").startswith("Alfavej 1 2 6 300,0")
        assert _row(detail, "Alfavej 3").startswith("Alfavej 3 1 1 100,0")
        assert outcome == "Forladt uden opsigelse 1"
        assert "&lt;5" not in detail
    else:
        assert _row(listing, "afd. 101").endswith("3 7 7 7 0,0 %")
        assert "2 &lt;5 &lt;5 &lt;5" in _row(listing, "afd. 202")  # none placed: 0 is under 5
        # One stairwell has 1: both are hidden, or the total (7) would tell it.
        assert _row(detail, "Alfavej 1").startswith("Alfavej 1 2 &lt;5 &lt;5 &lt;5")
        assert _row(detail, "Alfavej 3").startswith("Alfavej 3 1 &lt;5 &lt;5 &lt;5")
        assert _row(detail, "Afdelingen i alt").startswith("Afdelingen i alt 3 7")
        assert outcome == "Forladt uden opsigelse &lt;5"
        assert "styregruppeudgave" in detail


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["11111111;101;2025;169;93;9,5"], "1 række er indlæst; statusserne er genberegnet."),
        (
            ["11111111;101;2025;169;93;9,5", "22222222;202;2025;300;150;10"],
            "2 rækker er indlæst; statusserne er genberegnet.",
        ),
    ],
)
def test_indicator_upload_says_how_many_rows_in_danish(
    monitored: Any, client_for: Any, lines: list[str], message: str
) -> None:
    data = "cvr;afdelingsnr;aar;beboere;husstande;fraflytning\n" + "\n".join(lines) + "\n"
    upload = SimpleUploadedFile("fraflytning.csv", data.encode())
    response = client_for("anvisningsleder").post(
        "/overvaagning/import/indikatorer/", {"file": upload}, follow=True
    )
    assert message in response.content.decode()


def test_list_status_and_filter_read_the_status_on_the_day(
    dept_a: Any, dept_b: Any, client_for: Any
) -> None:
    """Before the day's recompute (a new indicator year has taken effect since the stored
    snapshot), the list shows and filters by the status the placement gate reads today."""
    import datetime as dt

    from django.utils import timezone

    from anvis.monitoring.selectors import department_status_map

    from .conftest import RED_VALUES

    today = timezone.localdate()
    add_year(dept_b, today.year - 1, RED_VALUES)
    recompute(on_date=dt.date(today.year - 1, 6, 1))  # last year's snapshot: no figures yet
    assert department_status_map(today, [dept_b.pk])[dept_b.pk].status == "red"
    c = client_for("styregruppe")
    red = c.get("/overvaagning/afdelinger/?status=red").content.decode()
    assert dept_b.name in red and dept_a.name not in red
    assert "status--red" in red
    unknown = c.get("/overvaagning/afdelinger/?status=unknown").content.decode()
    assert dept_a.name in unknown and dept_b.name not in unknown


def test_residents_and_households_are_written_with_thousands_separators(
    dept_a: Any, client_for: Any
) -> None:
    from .conftest import GREEN_VALUES, add_year

    add_year(dept_a, 2025, GREEN_VALUES, residents=1090, households=1012)
    page = client_for("anvisningsleder").get(f"/overvaagning/afdelinger/{dept_a.pk}/")
    html = page.content.decode()
    assert ">1.090</td>" in html and ">1.012</td>" in html
