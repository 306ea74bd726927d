"""The ledger's figures are the same on the page, in the page's CSV and XLSX downloads, in the
API's CSV and XLSX exports and in the API's JSON ledger, at both levels."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from anvis.agreements.figures import FIGURES
from anvis.agreements.tables import LEDGER_COUNTS
from anvis.agreements.templatetags.agreements import signed

from .test_ledger_door import QUARTER, year_of_vacancies

pytestmark = pytest.mark.django_db

# The figures compared, by their Danish header in the files.
HEADERS = {
    "Egnede": ("quarter", "eligible"),
    "Forventet": ("quarter", "expected"),
    "Accepteret": ("quarter", "accepted"),
    "Afvist": ("quarter", "declined"),
    "Udløbet": ("quarter", "expired"),
    "Afventer": ("quarter", "pending"),
}

# The breakdowns under a line's cumulative figures, as the page words them.
BREAKDOWNS = {
    "extra": "{n} ekstra",
    "withdrawn": "{n} kommunal{s} tur{s} udlejet af organisationen",
    "handed_back": "{n} leveret tilbage af kommunen, tæller ikke som leveret",
    "blocked": "{n} lukket/loft nået",
}


def _dec(value: Any) -> Decimal:
    return Decimal(str(value).replace(",", "."))


def _csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _xlsx(content: bytes) -> list[dict[str, Any]]:
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _key(row: dict[str, Any], level: str) -> str:
    return str(row["Afdeling"] if level == "department" else row["Boligorganisation"])


@pytest.mark.parametrize("level", ["organisation", "department"])
def test_one_ledger_everywhere(
    agreement: Any, users: dict[str, Any], client_for: Any, level: str
) -> None:
    year_of_vacancies(users)
    user = users["styregruppe"]
    page_client = client_for("styregruppe")
    params = {"aftale": agreement.pk, "kvartal": str(QUARTER), "niveau": level}
    if level == "department":
        params["niveau"] = "afdeling"
    page = page_client.get("/aftaler/regnskab/", params)
    view = page.context["view"]
    html = page.content.decode()
    api = APIClient()
    api.force_authenticate(user)
    api_params = {"agreement": agreement.pk, "quarter": str(QUARTER), "level": level}
    body = api.get("/api/v1/ledger/", api_params).json()

    expected = {}
    for row in view.rows:
        q, c = row.line.quarter, row.line.cumulative
        expected[row.label] = {
            "Egnede": q.eligible,
            "Forventet": _dec(f"{float(q.expected):.2f}"),
            "Accepteret": q.accepted,
            "Afvist": q.declined,
            "Udløbet": q.expired,
            "Afventer": q.pending,
            "Egnede (akkumuleret)": c.eligible,
            "Leveret (akkumuleret)": c.delivered,
            "Saldo": _dec(f"{float(row.line.closing):.2f}"),
        }
        # The page shows the closing balance of every line it lists.
        assert signed(row.line.closing) in html
    assert any(v["Egnede"] for v in expected.values())

    files = {
        "page csv": _csv(
            page_client.get("/aftaler/regnskab/", {**params, "format": "csv"}).content
        ),
        "page xlsx": _xlsx(
            page_client.get("/aftaler/regnskab/", {**params, "format": "xlsx"}).content
        ),
        "api csv": _csv(
            api.get("/api/v1/exports/ledger/", {**api_params, "filetype": "csv"}).content
        ),
        "api xlsx": _xlsx(
            api.get("/api/v1/exports/ledger/", {**api_params, "filetype": "xlsx"}).content
        ),
    }
    for name, rows in files.items():
        assert {_key(r, level) for r in rows} == set(expected), name
        for row in rows:
            want = expected[_key(row, level)]
            for header, value in want.items():
                got = row[header]
                assert _dec(got) == _dec(value), (name, header, row)

    # Every count of the ledger, for the quarter and cumulative: the files' column (headed by
    # the figure's name), the API's JSON and the page's own figures agree, and the page shows
    # the breakdowns it has (extra, let by the organisation, handed back, closed or cap
    # reached) as the counts of its line.
    with translation.override("da"):
        headers = {name: str(FIGURES[name][1]) for name in LEDGER_COUNTS}
    json_rows = {r["label"]: r for r in body["rows"]}
    seen: set[str] = set()
    for row in view.rows:
        for span in ("quarter", "cumulative"):
            figures = getattr(row.line, span)
            for name in LEDGER_COUNTS:
                value = getattr(figures, name)
                seen |= {name} if value else set()
                header = headers[name] + (" (akkumuleret)" if span == "cumulative" else "")
                for file_name, rows in files.items():
                    got = next(r for r in rows if _key(r, level) == row.label)[header]
                    assert _dec(got) == value, (file_name, row.label, header)
                assert json_rows[row.label][span][name] == value, (row.label, span, name)
        c = row.line.cumulative
        for name, text in BREAKDOWNS.items():
            count = getattr(c, name)
            if count:
                shown = text.format(n=count, s="" if count == 1 else "e")
                assert f">{shown}</a>" in html, (row.label, shown)
    # The data has something behind every count (hand-backs and extras included).
    assert {"extra", "withdrawn", "handed_back", "ordinary", "blocked"} <= seen, seen

    assert set(json_rows) == set(expected)
    for label, want in expected.items():
        r = json_rows[label]
        assert r["quarter"]["eligible"] == want["Egnede"]
        assert _dec(r["quarter"]["expected"]) == want["Forventet"]
        assert r["quarter"]["accepted"] == want["Accepteret"]
        assert r["quarter"]["declined"] == want["Afvist"]
        assert r["quarter"]["expired"] == want["Udløbet"]
        assert r["quarter"]["pending"] == want["Afventer"]
        assert r["cumulative"]["eligible"] == want["Egnede (akkumuleret)"]
        assert _dec(r["cumulative"]["balance"]) == want["Saldo"]
